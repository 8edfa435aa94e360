import { type Expression, type Selectable, type SqlBool, sql } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import type { RoleTable } from '../../db/schema/types.ts';

export type RoleRow = Selectable<RoleTable>;

export function listRoles(q: Queryable): Promise<RoleRow[]> {
  return q.selectFrom('role').selectAll().orderBy('builtin', 'desc').orderBy('id').execute();
}

export function findRole(q: Queryable, id: number): Promise<RoleRow | undefined> {
  return q.selectFrom('role').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Reads a role and locks it until the transaction ends: `share` while assigning it (its kind must
 * not change meanwhile), `update` while editing it (no assignment may be added meanwhile).
 */
export function lockRole(q: Queryable, id: number, mode: 'share' | 'update'): Promise<RoleRow | undefined> {
  const query = q.selectFrom('role').selectAll().where('id', '=', id);
  return (mode === 'share' ? query.forShare() : query.forUpdate()).executeTakeFirst();
}

export function findRoleIdByName(q: Queryable, name: string) {
  return q.selectFrom('role').select('id').where('name', '=', name).executeTakeFirst();
}

/**
 * The roles assigned at some grid outside `scope` (a predicate on `grid.path`): changing such a
 * role would change grants the caller does not administer.
 */
export async function rolesAssignedOutside(q: Queryable, scope: Expression<SqlBool>, roleId?: number) {
  let query = q
    .selectFrom('role_assignment as ra')
    .innerJoin('grid', 'grid.id', 'ra.grid_id')
    .select('ra.role_id')
    .distinct()
    .where(sql<SqlBool>`NOT ${scope}`);
  if (roleId !== undefined) query = query.where('ra.role_id', '=', roleId);
  const rows = await query.execute();
  return new Set(rows.map((r) => r.role_id));
}

export async function countAssignments(q: Queryable, roleId: number): Promise<number> {
  const row = await q
    .selectFrom('role_assignment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role_id', '=', roleId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface RoleValues {
  name: string;
  nameEn: string;
  description: string;
  kind: string;
  permissions: string[];
}

export function insertRole(q: Queryable, r: RoleValues & { now: Date }): Promise<RoleRow> {
  return q
    .insertInto('role')
    .values({
      name: r.name,
      name_en: r.nameEn,
      description: r.description,
      kind: r.kind,
      permissions: r.permissions,
      builtin: false,
      created_at: r.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates a custom role; built-in roles are never matched. */
export function updateRole(q: Queryable, id: number, r: Partial<RoleValues>): Promise<RoleRow | undefined> {
  return q
    .updateTable('role')
    .set({
      ...(r.name === undefined ? {} : { name: r.name }),
      ...(r.nameEn === undefined ? {} : { name_en: r.nameEn }),
      ...(r.description === undefined ? {} : { description: r.description }),
      ...(r.kind === undefined ? {} : { kind: r.kind }),
      ...(r.permissions === undefined ? {} : { permissions: r.permissions }),
    })
    .where('id', '=', id)
    .where('builtin', '=', false)
    .returningAll()
    .executeTakeFirst();
}
