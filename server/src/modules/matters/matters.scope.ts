import type { Permission } from '@gridgov/common/permissions';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { canAccess, escapeLike, inScope } from '../../lib/access.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Ctx, Grant } from '../../lib/context.ts';

/** The columns that place a matter in the tree (see docs/matters.md, "Read scope"). */
export interface MatterPlacement {
  grid_path: string;
  owner_path: string;
  assignee_path: string | null;
  department_id: number | null;
}

function grants(ctx: Ctx, perm: Permission): readonly Grant[] {
  return ctx.actor?.grants.get(perm) ?? [];
}

function covered(g: Grant, m: MatterPlacement): boolean {
  if (g.departmentId !== null) return m.department_id === g.departmentId && m.grid_path.startsWith(g.path);
  return [m.grid_path, m.owner_path, m.assignee_path].some((p) => p?.startsWith(g.path));
}

/** Whether the caller holds `perm` over the matter by the read-scope rule. */
export function coversMatter(ctx: Ctx, perm: Permission, m: MatterPlacement): boolean {
  return grants(ctx, perm).some((g) => covered(g, m));
}

/**
 * The SQL twin of {@link coversMatter} for the `matter` table (aliased `m` unless told otherwise):
 * lists and single objects agree because both come from the same rule. No grants → false.
 */
export function matterScopeWhere(ctx: Ctx, perm: Permission, alias = 'matter'): RawBuilder<SqlBool> {
  const list = grants(ctx, perm);
  if (list.length === 0) return sql<SqlBool>`false`;
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const parts = list.map((g) => {
    const prefix = `${escapeLike(g.path)}%`;
    if (g.departmentId !== null) {
      return sql<SqlBool>`(${col('department_id')} = ${g.departmentId} AND ${col('grid_path')} LIKE ${prefix})`;
    }
    return sql<SqlBool>`(${col('grid_path')} LIKE ${prefix} OR ${col('owner_path')} LIKE ${prefix} OR ${col('assignee_path')} LIKE ${prefix})`;
  });
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/** 404 unless the caller may read the matter. */
export function requireMatterRead(ctx: Ctx, m: MatterPlacement): void {
  if (!coversMatter(ctx, 'matter.read', m))
    throw new AppError('NOT_FOUND', 'No such matter', undefined, { denial: true });
}

/** For an action on a readable matter: 403 when `perm` is not held over `path` (department-aware). */
export function requireMatterAction(
  ctx: Ctx,
  perm: Permission,
  path: string | null,
  departmentId: number | null,
): void {
  if (path && canAccess(ctx, perm, path, departmentId)) return;
  if (path && inScope(ctx, path))
    throw new AppError('FORBIDDEN', undefined, { permission: perm }, { denial: true });
  throw new AppError('FORBIDDEN', undefined, { permission: perm }, { denial: true });
}
