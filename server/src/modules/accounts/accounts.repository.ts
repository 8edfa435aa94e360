import type { AccountStatus } from '@gridgov/common/schemas/accounts';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import type { AccountUpdate } from '../../db/schema/types.ts';
import { escapeLike } from '../../lib/access.ts';

/** Whether a database error is a unique-constraint violation (PostgreSQL 23505, same on PGlite). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** Account columns for presentation, with the home grid and department; never the secrets. */
function selectAccounts(q: Queryable) {
  return q
    .selectFrom('account')
    .innerJoin('grid', 'grid.id', 'account.home_grid_id')
    .leftJoin('department', 'department.id', 'account.department_id')
    .select([
      'account.id',
      'account.username',
      'account.display_name',
      'account.home_grid_id',
      'grid.name as home_grid_name',
      'grid.path as home_path',
      'account.department_id',
      'department.name_zh as department_name_zh',
      'department.name_en as department_name_en',
      'account.locked_until',
      'account.disabled_at',
      'account.disabled_reason',
      'account.last_active_at',
      'account.totp_enabled_at',
      'account.must_change_password',
      'account.email',
      'account.notify_email',
    ])
    .select(sql<boolean>`account.totp_secret IS NOT NULL`.as('totp_set'));
}

export type AccountListRow = Awaited<ReturnType<ReturnType<typeof selectAccounts>['execute']>>[number];

export interface AccountFilter {
  q?: string;
  gridId?: number;
  status?: AccountStatus;
  limit: number;
  offset: number;
  now: Date;
}

/** One page of the accounts matching `filter` inside `scope` (a predicate on the home grid's path). */
export async function listAccounts(
  q: Queryable,
  scope: Expression<SqlBool>,
  filter: AccountFilter,
): Promise<{ rows: AccountListRow[]; total: number }> {
  let query = selectAccounts(q).where(scope);
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    query = query.where((eb) =>
      eb.or([eb('account.username', 'ilike', like), eb('account.display_name', 'ilike', like)]),
    );
  }
  if (filter.gridId !== undefined) {
    // Paths hold only digits and slashes, so the subtree prefix needs no LIKE escaping.
    query = query.where(
      sql<SqlBool>`grid.path LIKE (SELECT g.path FROM grid g WHERE g.id = ${filter.gridId}) || '%'`,
    );
  }
  if (filter.status === 'disabled') query = query.where('account.disabled_at', 'is not', null);
  if (filter.status === 'locked') {
    query = query.where('account.disabled_at', 'is', null).where('account.locked_until', '>', filter.now);
  }
  if (filter.status === 'active') {
    query = query
      .where('account.disabled_at', 'is', null)
      .where((eb) =>
        eb.or([eb('account.locked_until', 'is', null), eb('account.locked_until', '<=', filter.now)]),
      );
  }
  const [rows, count] = await Promise.all([
    query
      .orderBy('account.username')
      .orderBy('account.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** One account, unscoped: the service decides 404 or 403 from its home path. */
export function findAccount(q: Queryable, id: number) {
  return selectAccounts(q).where('account.id', '=', id).executeTakeFirst();
}

export function findAccountIdByUsername(q: Queryable, username: string) {
  return q
    .selectFrom('account')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

/** The role assignments of the given accounts, with role, grid and department names. */
export function findAssignments(q: Queryable, accountIds: readonly number[]) {
  if (accountIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('role_assignment as ra')
    .innerJoin('role as r', 'r.id', 'ra.role_id')
    .innerJoin('grid as g', 'g.id', 'ra.grid_id')
    .leftJoin('department as d', 'd.id', 'ra.department_id')
    .select([
      'ra.id',
      'ra.account_id',
      'r.id as role_id',
      'r.name as role_name',
      'r.kind as role_kind',
      'g.id as grid_id',
      'g.name as grid_name',
      'd.id as department_id',
      'd.name_zh as department_name_zh',
      'd.name_en as department_name_en',
    ])
    .where('ra.account_id', 'in', accountIds)
    .orderBy('ra.id')
    .execute();
}

export type AssignmentRow = Awaited<ReturnType<typeof findAssignments>>[number];

export interface NewAccount {
  username: string;
  displayName: string;
  passwordHash: string;
  homeGridId: number;
  departmentId: number | null;
  /** The work e-mail address; none when left out. */
  email?: string | null;
  now: Date;
}

export async function insertAccount(q: Queryable, a: NewAccount): Promise<number> {
  const row = await q
    .insertInto('account')
    .values({
      username: a.username,
      display_name: a.displayName,
      password_hash: a.passwordHash,
      must_change_password: true,
      password_changed_at: a.now,
      home_grid_id: a.homeGridId,
      department_id: a.departmentId,
      email: a.email ?? null,
      created_at: a.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Updates one account when `guard` holds (the state the change starts from);
 * false when no row matched, i.e. someone else changed it first.
 */
export async function updateAccount(
  q: Queryable,
  id: number,
  set: AccountUpdate,
  guard?: Expression<SqlBool>,
): Promise<boolean> {
  let query = q.updateTable('account').set(set).where('id', '=', id);
  if (guard) query = query.where(guard);
  const row = await query.returning('id').executeTakeFirst();
  return row !== undefined;
}

export function deleteSessionsOf(q: Queryable, accountIds: readonly number[]) {
  if (accountIds.length === 0) return Promise.resolve([]);
  return q.deleteFrom('session').where('account_id', 'in', accountIds).execute();
}

/**
 * Disables every enabled account whose last activity (or creation, if it never signed in) is
 * before `cutoff`, and returns them with their home paths for the audit.
 */
export function disableInactive(q: Queryable, cutoff: Date, now: Date) {
  return q
    .updateTable('account')
    .set({ disabled_at: now, disabled_reason: 'inactive' })
    .from('grid')
    .whereRef('grid.id', '=', 'account.home_grid_id')
    .where('account.disabled_at', 'is', null)
    .where(sql<SqlBool>`coalesce(account.last_active_at, account.created_at) < ${cutoff}`)
    .returning(['account.id', 'grid.path as home_path'])
    .execute();
}

/** The account's e-mail settings, its row locked until the transaction ends (concurrent edits serialize). */
export function lockEmailSettings(q: Queryable, id: number) {
  return q
    .selectFrom('account')
    .select(['email', 'notify_email'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Locks the account row until the transaction ends, so that concurrent assignments serialize. */
export function lockAccount(q: Queryable, id: number) {
  return q.selectFrom('account').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The distinct kinds of the roles an account holds. */
export async function roleKindsOf(q: Queryable, accountId: number): Promise<string[]> {
  const rows = await q
    .selectFrom('role_assignment as ra')
    .innerJoin('role as r', 'r.id', 'ra.role_id')
    .select('r.kind')
    .distinct()
    .where('ra.account_id', '=', accountId)
    .execute();
  return rows.map((r) => r.kind);
}

/** One assignment with the paths that decide who may see and remove it. */
export function findAssignment(q: Queryable, id: number) {
  return q
    .selectFrom('role_assignment as ra')
    .innerJoin('account as a', 'a.id', 'ra.account_id')
    .innerJoin('grid as home', 'home.id', 'a.home_grid_id')
    .innerJoin('grid as g', 'g.id', 'ra.grid_id')
    .select([
      'ra.id',
      'ra.account_id',
      'ra.role_id',
      'ra.grid_id',
      'ra.department_id',
      'home.path as home_path',
      'g.path as grid_path',
    ])
    .where('ra.id', '=', id)
    .executeTakeFirst();
}

export function assignmentExists(q: Queryable, a: { accountId: number; roleId: number; gridId: number }) {
  return q
    .selectFrom('role_assignment')
    .select('id')
    .where('account_id', '=', a.accountId)
    .where('role_id', '=', a.roleId)
    .where('grid_id', '=', a.gridId)
    .executeTakeFirst();
}

export async function insertAssignment(
  q: Queryable,
  a: { accountId: number; roleId: number; gridId: number; departmentId: number | null; now: Date },
): Promise<number> {
  const row = await q
    .insertInto('role_assignment')
    .values({
      account_id: a.accountId,
      role_id: a.roleId,
      grid_id: a.gridId,
      department_id: a.departmentId,
      created_at: a.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteAssignment(q: Queryable, id: number): Promise<boolean> {
  const row = await q.deleteFrom('role_assignment').where('id', '=', id).returning('id').executeTakeFirst();
  return row !== undefined;
}
