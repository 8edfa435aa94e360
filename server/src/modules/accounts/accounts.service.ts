import type { Permission } from '@gridgov/common/permissions';
import type { AccountListQuery, CreateAccountBody } from '@gridgov/common/schemas/accounts';
import { type SqlBool, sql } from 'kysely';
import type { GridRow } from '../../db/schema/types.ts';
import { requireAccess, scopeWhere } from '../../lib/access.ts';
import { AppError, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import { DAY } from '../../lib/clock.ts';
import type { Ctx } from '../../lib/context.ts';
import { hashPassword } from '../auth/password.ts';
import { loadPolicy } from '../auth/policy.ts';
import { requireActiveDepartment } from '../departments/departments.service.ts';
import { findGridById } from '../grids/grids.repository.ts';
import { requireAccountAction } from './accounts.policy.ts';
import type { AccountView } from './accounts.presenter.ts';
import {
  type AccountListRow,
  deleteSessionsOf,
  disableInactive,
  findAccount,
  findAccountIdByUsername,
  findAssignments,
  insertAccount,
  isUniqueViolation,
  listAccounts as listRows,
  updateAccount,
} from './accounts.repository.ts';
import { generateInitialPassword } from './initial-password.ts';

const usernameTaken = () =>
  new AppError('CONFLICT', 'The username is already taken', [
    { field: 'username', message: 'is already taken' },
  ]);

/** A grid the caller may use `perm` on: 404 when absent or out of scope (the same answer), 403 in scope without it. */
export async function requireGrid(ctx: Ctx, perm: Permission, id: number): Promise<GridRow> {
  const grid = await findGridById(ctx.db, id);
  if (!grid) throw new AppError('NOT_FOUND');
  requireAccess(ctx, perm, grid.path);
  return grid;
}

/** Loads an account with its assignments, unscoped; callers check access on `row.home_path`. */
export async function loadAccount(ctx: Ctx, id: number): Promise<AccountView> {
  const row = await findAccount(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND');
  return { row, assignments: await findAssignments(ctx.db, [id]) };
}

/** Loads an account the caller may use `perm` on, not being the caller's own (404 / 403 otherwise). */
async function loadForAction(ctx: Ctx, id: number, perm: Permission): Promise<AccountListRow> {
  const row = await findAccount(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND');
  requireAccountAction(ctx, perm, { id, homePath: row.home_path });
  return row;
}

/** The accounts whose home grid lies where the caller holds account.read, one page at a time. */
export async function listAccounts(
  ctx: Ctx,
  query: AccountListQuery,
): Promise<{ items: AccountView[]; total: number }> {
  const { rows, total } = await listRows(ctx.db, scopeWhere(ctx, 'account.read', 'grid.path'), {
    q: query.q?.trim() || undefined,
    gridId: query.gridId,
    status: query.status,
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
    now: ctx.clock.now(),
  });
  const assignments = await findAssignments(
    ctx.db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((row) => ({ row, assignments: assignments.filter((a) => a.account_id === row.id) })),
    total,
  };
}

/** One account, visible where the caller holds account.read over its home grid. */
export async function getAccount(ctx: Ctx, id: number): Promise<AccountView> {
  const view = await loadAccount(ctx, id);
  requireAccess(ctx, 'account.read', view.row.home_path);
  return view;
}

/**
 * Creates an account at a home grid in the caller's account.manage scope, with a generated initial
 * password that must be changed at first sign-in. The password is returned once and never stored
 * in clear, logged or audited.
 */
export async function createAccount(
  ctx: Ctx,
  body: CreateAccountBody,
): Promise<{ view: AccountView; initialPassword: string }> {
  const displayName = body.displayName.trim();
  if (!displayName) throw validationError([{ field: 'displayName', message: 'is empty' }]);
  const grid = await requireGrid(ctx, 'account.manage', body.homeGridId);
  if (body.departmentId !== undefined) await requireActiveDepartment(ctx, body.departmentId, 'departmentId');
  if (await findAccountIdByUsername(ctx.db, body.username)) throw usernameTaken();
  const initialPassword = generateInitialPassword(await loadPolicy(ctx.db), body.username);
  const passwordHash = await hashPassword(initialPassword);
  const now = ctx.clock.now();
  let id: number;
  try {
    id = await ctx.db.transaction().execute(async (trx) => {
      const created = await insertAccount(trx, {
        username: body.username,
        displayName,
        passwordHash,
        homeGridId: grid.id,
        departmentId: body.departmentId ?? null,
        email: body.email ?? null,
        now,
      });
      await writeAudit(trx, ctx, {
        action: 'account.create',
        objectType: 'account',
        objectId: created,
        objectPath: grid.path,
        // Whether an e-mail address was given, never the address.
        detail: {
          homeGridId: grid.id,
          departmentId: body.departmentId ?? null,
          email: body.email === undefined ? 'none' : 'set',
        },
      });
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw usernameTaken();
    throw error;
  }
  return { view: await loadAccount(ctx, id), initialPassword };
}

/** Disables an account with a reason and ends its sessions. */
export async function disableAccount(ctx: Ctx, id: number, reason: string): Promise<AccountView> {
  const why = reason.trim();
  if (!why) throw validationError([{ field: 'reason', message: 'is empty' }]);
  const row = await loadForAction(ctx, id, 'account.manage');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const done = await updateAccount(
      trx,
      id,
      { disabled_at: now, disabled_reason: why },
      sql<SqlBool>`disabled_at IS NULL`,
    );
    if (!done) throw new AppError('CONFLICT', 'The account is already disabled');
    await deleteSessionsOf(trx, [id]);
    await writeAudit(trx, ctx, {
      action: 'account.disable',
      objectType: 'account',
      objectId: id,
      objectPath: row.home_path,
      reason: why,
    });
  });
  return loadAccount(ctx, id);
}

/** Enables a disabled account; its inactivity clock restarts now, so the sweep does not disable it again at once. */
export async function enableAccount(ctx: Ctx, id: number): Promise<AccountView> {
  const row = await loadForAction(ctx, id, 'account.manage');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const done = await updateAccount(
      trx,
      id,
      { disabled_at: null, disabled_reason: null, last_active_at: now },
      sql<SqlBool>`disabled_at IS NOT NULL`,
    );
    if (!done) throw new AppError('CONFLICT', 'The account is not disabled');
    await writeAudit(trx, ctx, {
      action: 'account.enable',
      objectType: 'account',
      objectId: id,
      objectPath: row.home_path,
    });
  });
  return loadAccount(ctx, id);
}

/** Lifts a sign-in lockout before it expires and clears the failure count. */
export async function unlockAccount(ctx: Ctx, id: number): Promise<AccountView> {
  const row = await loadForAction(ctx, id, 'account.unlock');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const done = await updateAccount(
      trx,
      id,
      { locked_until: null, failed_attempts: 0 },
      sql<SqlBool>`locked_until > ${now}`,
    );
    if (!done) throw new AppError('CONFLICT', 'The account is not locked');
    await writeAudit(trx, ctx, {
      action: 'account.unlock',
      objectType: 'account',
      objectId: id,
      objectPath: row.home_path,
    });
  });
  return loadAccount(ctx, id);
}

/**
 * Replaces the password with a generated one that must be changed at next sign-in, and ends
 * the account's sessions. Returns the new password once.
 */
export async function resetPassword(ctx: Ctx, id: number): Promise<string> {
  const row = await loadForAction(ctx, id, 'account.unlock');
  const initialPassword = generateInitialPassword(await loadPolicy(ctx.db), row.username);
  const passwordHash = await hashPassword(initialPassword);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await updateAccount(trx, id, {
      password_hash: passwordHash,
      must_change_password: true,
      password_changed_at: now,
    });
    await deleteSessionsOf(trx, [id]);
    await writeAudit(trx, ctx, {
      action: 'account.password.reset',
      objectType: 'account',
      objectId: id,
      objectPath: row.home_path,
    });
  });
  return initialPassword;
}

/**
 * Removes the account's second factor (a lost phone) and ends its sessions; sign-in asks it to
 * enrol again when its roles or the policy require one.
 */
export async function resetTotp(ctx: Ctx, id: number): Promise<AccountView> {
  const row = await loadForAction(ctx, id, 'account.unlock');
  await ctx.db.transaction().execute(async (trx) => {
    const done = await updateAccount(
      trx,
      id,
      { totp_secret: null, totp_enabled_at: null, totp_last_step: null },
      sql<SqlBool>`totp_secret IS NOT NULL`,
    );
    if (!done) throw new AppError('CONFLICT', 'The account has no second factor to reset');
    await deleteSessionsOf(trx, [id]);
    await writeAudit(trx, ctx, {
      action: 'account.totp.reset',
      objectType: 'account',
      objectId: id,
      objectPath: row.home_path,
    });
  });
  return loadAccount(ctx, id);
}

/**
 * The inactivity sweep: disables every enabled account with no activity (or, if it never signed
 * in, no creation) within the policy's `inactiveDays`, ends their sessions and audits each one.
 * Returns how many were disabled.
 */
export async function disableInactiveAccounts(ctx: Ctx): Promise<number> {
  const policy = await loadPolicy(ctx.db);
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - policy.inactiveDays * DAY);
  return ctx.db.transaction().execute(async (trx) => {
    const disabled = await disableInactive(trx, cutoff, now);
    await deleteSessionsOf(
      trx,
      disabled.map((a) => a.id),
    );
    for (const a of disabled) {
      await writeAudit(trx, ctx, {
        action: 'account.disable',
        objectType: 'account',
        objectId: a.id,
        objectPath: a.home_path,
        reason: 'inactive',
        detail: { inactiveDays: policy.inactiveDays },
      });
    }
    return disabled.length;
  });
}
