import type { AssignRoleBody } from '@gridgov/common/schemas/accounts';
import { canAccess } from '../../lib/access.ts';
import { AppError, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { requireActiveDepartment } from '../departments/departments.service.ts';
import { findRole, lockRole } from '../roles/roles.repository.ts';
import { requireAccountAction } from './accounts.policy.ts';
import type { AccountView } from './accounts.presenter.ts';
import {
  assignmentExists,
  deleteAssignment,
  deleteSessionsOf,
  findAssignment,
  insertAssignment,
  lockAccount,
  roleKindsOf,
} from './accounts.repository.ts';
import { loadAccount, requireGrid } from './accounts.service.ts';

/**
 * Assigns a role to an account at a grid in the caller's role.manage scope (404 for the grid
 * otherwise). An account holds roles of one kind only — business, or one administrator kind —
 * so a role of another kind is a conflict. Gaining an administrator kind ends the account's
 * sessions, so that its next sign-in asks for the second factor.
 */
export async function assignRole(ctx: Ctx, accountId: number, body: AssignRoleBody): Promise<AccountView> {
  const { row } = await loadAccount(ctx, accountId);
  requireAccountAction(ctx, 'role.manage', { id: accountId, homePath: row.home_path });
  const found = await findRole(ctx.db, body.roleId);
  if (!found) throw validationError([{ field: 'roleId', message: 'no such role' }]);
  const grid = await requireGrid(ctx, 'role.manage', body.gridId);
  const departmentId = body.departmentId ?? null;
  if (departmentId !== null) {
    if (found.kind !== 'business') {
      throw validationError([
        { field: 'departmentId', message: 'only business roles are narrowed to a department' },
      ]);
    }
    await requireActiveDepartment(ctx, departmentId, 'departmentId');
  }
  await ctx.db.transaction().execute(async (trx) => {
    await lockAccount(trx, accountId);
    const role = (await lockRole(trx, found.id, 'share')) ?? found;
    const held = await roleKindsOf(trx, accountId);
    const other = held.find((k) => k !== role.kind);
    if (other) {
      throw new AppError(
        'CONFLICT',
        `An account holds roles of one kind only: this account holds a ${other} role, so it cannot also hold a ${role.kind} role`,
        [{ field: 'roleId', message: `is a ${role.kind} role; the account holds ${other} roles` }],
      );
    }
    if (await assignmentExists(trx, { accountId, roleId: role.id, gridId: grid.id })) {
      throw new AppError('CONFLICT', 'The account already holds this role at this grid', [
        { field: 'roleId', message: 'is already assigned at this grid' },
      ]);
    }
    const id = await insertAssignment(trx, {
      accountId,
      roleId: role.id,
      gridId: grid.id,
      departmentId,
      now: ctx.clock.now(),
    });
    if (role.kind !== 'business' && !held.includes(role.kind)) await deleteSessionsOf(trx, [accountId]);
    await writeAudit(trx, ctx, {
      action: 'role.assign',
      objectType: 'account',
      objectId: accountId,
      objectPath: row.home_path,
      detail: { assignmentId: id, roleId: role.id, kind: role.kind, gridId: grid.id, departmentId },
    });
  });
  return loadAccount(ctx, accountId);
}

/**
 * Removes an assignment. It is visible where its account is; removing it also needs role.manage
 * at the grid it was made at (403 for one made above the caller's scope).
 */
export async function unassignRole(ctx: Ctx, assignmentId: number): Promise<void> {
  const a = await findAssignment(ctx.db, assignmentId);
  if (!a) throw new AppError('NOT_FOUND');
  requireAccountAction(ctx, 'role.manage', { id: a.account_id, homePath: a.home_path });
  if (!canAccess(ctx, 'role.manage', a.grid_path)) {
    throw new AppError('FORBIDDEN', 'The role was assigned above your scope', undefined, { denial: true });
  }
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await deleteAssignment(trx, assignmentId))) throw new AppError('NOT_FOUND');
    await writeAudit(trx, ctx, {
      action: 'role.unassign',
      objectType: 'account',
      objectId: a.account_id,
      objectPath: a.home_path,
      detail: { assignmentId, roleId: a.role_id, gridId: a.grid_id, departmentId: a.department_id },
    });
  });
}
