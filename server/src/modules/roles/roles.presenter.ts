import type { Role, RoleKind } from '@gridgov/common/schemas/roles';
import type { Ctx } from '../../lib/context.ts';
import { canUpdateRole } from './roles.policy.ts';
import type { RoleRow } from './roles.repository.ts';

/** A role with whether it is assigned outside the caller's role.manage scope (which blocks editing). */
export interface RoleView {
  row: RoleRow;
  assignedOutsideScope: boolean;
}

export function presentRole(ctx: Ctx, { row, assignedOutsideScope }: RoleView): Role {
  return {
    id: row.id,
    name: row.name,
    nameEn: row.name_en,
    description: row.description,
    kind: row.kind as RoleKind,
    permissions: row.permissions,
    builtin: row.builtin,
    abilities: { update: canUpdateRole(ctx, row, assignedOutsideScope) },
  };
}
