import { randomUUID } from 'node:crypto';
import type { PersonalField } from '@gridgov/common/schemas/matters';
import { type Insertable, sql, type Updateable } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import type { MatterRow, MatterTable } from '../../db/schema/types.ts';
import type { Ctx } from '../../lib/context.ts';
import { matterScopeWhere } from './matters.scope.ts';

/** One matter, unscoped: the service decides 404 from its placement. */
export function findMatter(q: Queryable, id: number): Promise<MatterRow | undefined> {
  return q.selectFrom('matter').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The category columns the write side needs for an existing matter. */
export function findMatterCategory(q: Queryable, id: number) {
  return q
    .selectFrom('category')
    .select(['id', 'limits', 'petition', 'personal_fields', 'required_fields'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/**
 * Inserts a matter and gives it its code, `SJ<yyyymmdd>-<id, 6 digits>`, which needs the new id:
 * the row is written with a unique placeholder code first.
 */
export async function insertMatter(
  q: Queryable,
  values: Omit<Insertable<MatterTable>, 'code'>,
  codePrefix: string,
): Promise<MatterRow> {
  const { id } = await q
    .insertInto('matter')
    .values({ ...values, code: `tmp:${randomUUID()}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return q
    .updateTable('matter')
    .set({ code: `${codePrefix}-${String(id).padStart(6, '0')}` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The guarded write of a transition: applies `set` and bumps the version only if the matter is still
 * in the state and at the version the caller decided on. Undefined when someone else moved first.
 */
export function updateMatterGuarded(
  q: Queryable,
  id: number,
  guard: { state: string; version: number },
  set: Updateable<MatterTable>,
): Promise<MatterRow | undefined> {
  return q
    .updateTable('matter')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('state', '=', guard.state)
    .where('version', '=', guard.version)
    .returningAll()
    .executeTakeFirst();
}

export type PartyValues = { role: 'requester' | 'party' } & Partial<Record<PersonalField, string>>;

export async function insertParties(q: Queryable, matterId: number, parties: readonly PartyValues[]) {
  if (parties.length === 0) return;
  await q
    .insertInto('matter_party')
    .values(
      parties.map((p) => ({
        matter_id: matterId,
        role: p.role,
        name: p.name ?? null,
        phone: p.phone ?? null,
        id_number: p.id_number ?? null,
        address: p.address ?? null,
      })),
    )
    .execute();
}

export interface NewEvent {
  matterId: number;
  at: Date;
  actorId: number | null;
  action: string;
  fromState: string | null;
  toState: string | null;
  note?: string | null;
  /** Facts about the change: ids, states, free text by staff — never a party's personal values. */
  detail: Record<string, unknown>;
  attachmentIds?: readonly number[];
}

export async function insertMatterEvent(q: Queryable, e: NewEvent): Promise<void> {
  await q
    .insertInto('matter_event')
    .values({
      matter_id: e.matterId,
      at: e.at,
      actor_id: e.actorId,
      action: e.action,
      from_state: e.fromState,
      to_state: e.toState,
      note: e.note ?? null,
      detail: JSON.stringify(e.detail),
      attachment_ids: [...(e.attachmentIds ?? [])],
    })
    .execute();
}

/** The units (grid or department) the matter has been dispatched to so far, as `grid:department` keys. */
export async function dispatchTargets(q: Queryable, matterId: number): Promise<string[]> {
  const rows = await q
    .selectFrom('matter_event')
    .select('detail')
    .where('matter_id', '=', matterId)
    .where('action', '=', 'dispatch')
    .execute();
  return rows.map((r) => String((r.detail as { target?: string } | null)?.target ?? ''));
}

/** The days asked for by the latest extension request. */
export async function lastExtensionRequest(q: Queryable, matterId: number): Promise<number | null> {
  const row = await q
    .selectFrom('matter_event')
    .select('detail')
    .where('matter_id', '=', matterId)
    .where('action', '=', 'request_extension')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const days = (row?.detail as { extensionDays?: unknown } | undefined)?.extensionDays;
  return typeof days === 'number' ? days : null;
}

/** Which of `ids` are attachments of this matter. */
export async function attachmentsOfMatter(q: Queryable, matterId: number, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const rows = await q
    .selectFrom('attachment')
    .select('id')
    .where('matter_id', '=', matterId)
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => r.id);
}

/** Whether any file is attached to the matter (at any step). */
export async function hasAttachments(q: Queryable, matterId: number): Promise<boolean> {
  const row = await q
    .selectFrom('attachment')
    .select('id')
    .where('matter_id', '=', matterId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function findGrid(q: Queryable, id: number) {
  return q
    .selectFrom('grid')
    .select(['id', 'path', 'level', 'depth'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The nodes on a path, root first. */
export function gridsOnPath(q: Queryable, path: string) {
  const ids = path.split('/').filter(Boolean).map(Number);
  return q
    .selectFrom('grid')
    .select(['id', 'path', 'level', 'depth'])
    .where('id', 'in', ids)
    .orderBy('depth')
    .execute();
}

export function findActiveDepartment(q: Queryable, id: number) {
  return q
    .selectFrom('department')
    .select('id')
    .where('id', '=', id)
    .where('active', '=', true)
    .executeTakeFirst();
}

// ---- detail ----------------------------------------------------------------------------------------

export function listParties(q: Queryable, matterId: number) {
  return q.selectFrom('matter_party').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();
}

export function listEvents(q: Queryable, matterId: number) {
  return q
    .selectFrom('matter_event as e')
    .leftJoin('account as a', 'a.id', 'e.actor_id')
    .selectAll('e')
    .select('a.display_name as actor_name')
    .where('e.matter_id', '=', matterId)
    .orderBy('e.id')
    .execute();
}

export async function accountNames(
  q: Queryable,
  ids: readonly (number | null)[],
): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await q
    .selectFrom('account')
    .select(['id', 'display_name'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export interface UnitName {
  kind: 'grid' | 'department';
  id: number;
  name_zh: string;
  name_en: string | null;
  level: string | null;
}

/**
 * The names of grids and departments (organisational data) in one statement: `kind` tells the two
 * halves of the UNION ALL apart; a grid has its `level`, a department its English name.
 */
export async function unitNames(
  q: Queryable,
  gridIds: readonly number[],
  departmentIds: readonly number[],
): Promise<UnitName[]> {
  const grids = q
    .selectFrom('grid')
    .select([
      sql<UnitName['kind']>`'grid'`.as('kind'),
      'id',
      'name as name_zh',
      sql<string | null>`NULL::text`.as('name_en'),
      sql<string | null>`level`.as('level'),
    ])
    .where('id', 'in', [...gridIds]);
  const departments = q
    .selectFrom('department')
    .select([
      sql<UnitName['kind']>`'department'`.as('kind'),
      'id',
      'name_zh',
      sql<string | null>`name_en`.as('name_en'),
      sql<string | null>`NULL::text`.as('level'),
    ])
    .where('id', 'in', [...departmentIds]);
  if (gridIds.length && departmentIds.length) return grids.unionAll(departments).execute();
  if (gridIds.length) return grids.execute();
  if (departmentIds.length) return departments.execute();
  return [];
}

/** The codes of those of `ids` the caller may read (`matter.read`, the read-scope rule); others are left out. */
export function readableMatterCodes(q: Queryable, ctx: Ctx, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('matter')
    .select(['id', 'code'])
    .where('id', 'in', [...ids])
    .where(matterScopeWhere(ctx, 'matter.read'))
    .execute();
}
