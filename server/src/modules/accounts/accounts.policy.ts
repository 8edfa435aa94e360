import type { Permission } from '@gridgov/common/permissions';
import type { AccountAbilities } from '@gridgov/common/schemas/accounts';
import { canAccess, requireAccess } from '../../lib/access.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/context.ts';

/** What decides who may act on an account: its id (no acting on oneself) and its home grid's path. */
export interface AccountFacts {
  id: number;
  homePath: string;
  disabled: boolean;
  locked: boolean;
  totpSet: boolean;
}

const isSelf = (ctx: Ctx, accountId: number) => ctx.actor?.id === accountId;

/**
 * Throws unless the caller may use `perm` on the account: 404 outside the caller's scope,
 * 403 in scope without `perm` there, 403 on the caller's own account (administrators do not
 * change their own roles, status or credentials here; /auth covers the latter).
 */
export function requireAccountAction(ctx: Ctx, perm: Permission, account: { id: number; homePath: string }) {
  requireAccess(ctx, perm, account.homePath);
  if (isSelf(ctx, account.id)) {
    throw new AppError('FORBIDDEN', 'Administrators cannot change their own account here', undefined, {
      denial: true,
    });
  }
}

/** What this caller may do to this account now, so the web shows only the buttons that will work. */
export function accountAbilities(ctx: Ctx, a: AccountFacts): AccountAbilities {
  const may = (perm: Permission) => !isSelf(ctx, a.id) && canAccess(ctx, perm, a.homePath);
  return {
    disable: may('account.manage') && !a.disabled,
    enable: may('account.manage') && a.disabled,
    unlock: may('account.unlock') && a.locked,
    resetPassword: may('account.unlock'),
    resetTotp: may('account.unlock') && a.totpSet,
    assignRoles: may('role.manage'),
    update: may('account.manage'),
  };
}
