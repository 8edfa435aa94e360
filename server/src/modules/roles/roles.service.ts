import {
  ADMIN_PERMISSIONS,
  ALL_PERMISSIONS,
  adminKindOf,
  classifyPermissions,
} from '@gridgov/common/permissions';
import type { CreateRoleBody, PermissionInfo, UpdateRoleBody } from '@gridgov/common/schemas/roles';
import { scopeWhere } from '../../lib/access.ts';
import { AppError, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { isUniqueViolation } from '../accounts/accounts.repository.ts';
import { requireUpdatableRole } from './roles.policy.ts';
import type { RoleView } from './roles.presenter.ts';
import {
  countAssignments,
  findRole,
  findRoleIdByName,
  insertRole,
  listRoles as listRows,
  lockRole,
  type RoleValues,
  rolesAssignedOutside,
  updateRole as updateRow,
} from './roles.repository.ts';

const nameTaken = () =>
  new AppError('CONFLICT', 'A role with this name exists', [{ field: 'name', message: 'is already used' }]);

/** Where the caller administers roles: a predicate on `grid.path`. */
const manageScope = (ctx: Ctx) => scopeWhere(ctx, 'role.manage', 'grid.path');

/** Validates a permission set and returns it in canonical order with the kind it makes (400 on `permissions`). */
function classify(permissions: readonly string[]): Pick<RoleValues, 'kind' | 'permissions'> {
  const result = classifyPermissions(permissions);
  if ('error' in result) throw validationError([{ field: 'permissions', message: result.error }]);
  const set = new Set(permissions);
  return { kind: result.kind, permissions: ALL_PERMISSIONS.filter((p) => set.has(p)) };
}

function roleName(value: string): string {
  const name = value.trim();
  if (!name) throw validationError([{ field: 'name', message: 'is empty' }]);
  return name;
}

/** Read-only permissions that administrators share with staff (grid.read, department.read, account.read). */
const SHARED = new Set<string>(
  ALL_PERMISSIONS.filter(
    (p) =>
      adminKindOf(p) === null &&
      Object.values(ADMIN_PERMISSIONS).some((list) => (list as readonly string[]).includes(p)),
  ),
);

/** Every permission with its kind, for the role editor. */
export function listPermissions(): PermissionInfo[] {
  return ALL_PERMISSIONS.map((permission) => ({
    permission,
    kind: adminKindOf(permission) ?? (SHARED.has(permission) ? 'shared' : 'business'),
  }));
}

export async function listRoles(ctx: Ctx): Promise<RoleView[]> {
  const [rows, outside] = await Promise.all([
    listRows(ctx.db),
    rolesAssignedOutside(ctx.db, manageScope(ctx)),
  ]);
  return rows.map((row) => ({ row, assignedOutsideScope: outside.has(row.id) }));
}

/** Creates a custom role; its kind follows from its permissions, which may not mix kinds (no super-admin). */
export async function createRole(ctx: Ctx, body: CreateRoleBody): Promise<RoleView> {
  const values: RoleValues = {
    name: roleName(body.name),
    nameEn: body.nameEn?.trim() ?? '',
    description: body.description?.trim() ?? '',
    ...classify(body.permissions),
  };
  if (await findRoleIdByName(ctx.db, values.name)) throw nameTaken();
  try {
    const row = await ctx.db.transaction().execute(async (trx) => {
      const created = await insertRole(trx, { ...values, now: ctx.clock.now() });
      await writeAudit(trx, ctx, {
        action: 'role.create',
        objectType: 'role',
        objectId: created.id,
        detail: { name: created.name, kind: created.kind, permissions: created.permissions },
      });
      return created;
    });
    return { row, assignedOutsideScope: false };
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

/**
 * Edits a custom role. Built-in roles and roles assigned outside the caller's scope are refused
 * (403); a permission change that would change the kind of a role already assigned is a conflict,
 * since its holders could end up with two kinds.
 */
export async function updateRole(ctx: Ctx, id: number, body: UpdateRoleBody): Promise<RoleView> {
  const role = await findRole(ctx.db, id);
  if (!role) throw new AppError('NOT_FOUND', 'No such role');
  const outside = await rolesAssignedOutside(ctx.db, manageScope(ctx), id);
  requireUpdatableRole(role, outside.has(id));
  const values: Partial<RoleValues> = {
    name: body.name === undefined ? undefined : roleName(body.name),
    nameEn: body.nameEn?.trim(),
    description: body.description?.trim(),
    ...(body.permissions ? classify(body.permissions) : {}),
  };
  if (values.name && values.name !== role.name && (await findRoleIdByName(ctx.db, values.name)))
    throw nameTaken();
  try {
    const row = await ctx.db.transaction().execute(async (trx) => {
      await lockRole(trx, id, 'update');
      if (values.kind && values.kind !== role.kind && (await countAssignments(trx, id)) > 0) {
        throw new AppError(
          'CONFLICT',
          `The role is assigned, so its kind cannot change from ${role.kind} to ${values.kind}`,
          [{ field: 'permissions', message: `would change the role's kind to ${values.kind}` }],
        );
      }
      const updated = await updateRow(trx, id, values);
      if (!updated) throw new AppError('NOT_FOUND', 'No such role');
      await writeAudit(trx, ctx, {
        action: 'role.update',
        objectType: 'role',
        objectId: id,
        detail: {
          fields: Object.keys(body),
          kind: updated.kind,
          ...(body.permissions ? { permissions: updated.permissions } : {}),
        },
      });
      return updated;
    });
    return { row, assignedOutsideScope: false };
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}
