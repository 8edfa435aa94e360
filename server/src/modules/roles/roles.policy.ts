import { holdsPermission } from '../../lib/access.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/context.ts';
import type { RoleRow } from './roles.repository.ts';

/**
 * Roles are global definitions. A custom role may be edited by a holder of role.manage as long
 * as every grid it is assigned at lies inside the caller's role.manage scope; built-in roles never.
 */
export function canUpdateRole(ctx: Ctx, role: RoleRow, assignedOutsideScope: boolean): boolean {
  return !role.builtin && !assignedOutsideScope && holdsPermission(ctx, 'role.manage');
}

export function requireUpdatableRole(role: RoleRow, assignedOutsideScope: boolean): void {
  if (role.builtin) {
    throw new AppError('FORBIDDEN', 'Built-in roles cannot be edited', undefined, { denial: true });
  }
  if (assignedOutsideScope) {
    throw new AppError('FORBIDDEN', 'The role is assigned outside your scope', undefined, { denial: true });
  }
}
