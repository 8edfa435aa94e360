import type { Permission } from '@gridgov/common/permissions';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { AppError } from './app-error.ts';
import type { Ctx, Grant } from './context.ts';

function grantsFor(ctx: Ctx, perm: Permission): readonly Grant[] {
  return ctx.actor?.grants.get(perm) ?? [];
}

function covers(grant: Grant, path: string, departmentId?: number | null): boolean {
  if (!path.startsWith(grant.path)) return false;
  if (grant.departmentId === null || departmentId === undefined) return true;
  return grant.departmentId === departmentId;
}

/** The subtree roots where the caller holds `perm`, with nested roots removed. */
export function rootsOf(ctx: Ctx, perm: Permission): string[] {
  const paths = [...new Set(grantsFor(ctx, perm).map((g) => g.path))].sort();
  return paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(q)));
}

/** Whether the caller holds `perm` anywhere at all (a route-level check). */
export function holdsPermission(ctx: Ctx, perm: Permission): boolean {
  return grantsFor(ctx, perm).length > 0;
}

/** Whether the caller may use `perm` on an object at `path` (of `departmentId`, for department roles). */
export function canAccess(ctx: Ctx, perm: Permission, path: string, departmentId?: number | null): boolean {
  return grantsFor(ctx, perm).some((g) => covers(g, path, departmentId));
}

/** Whether the object at `path` is inside the caller's scope under any permission. */
export function inScope(ctx: Ctx, path: string): boolean {
  for (const grants of ctx.actor?.grants.values() ?? []) {
    if (grants.some((g) => path.startsWith(g.path))) return true;
  }
  return false;
}

/**
 * Throws unless the caller may use `perm` on the object at `path`: NOT_FOUND when the object is
 * outside every subtree the caller can see (its existence does not leak), FORBIDDEN when it is
 * visible but this permission is not held there.
 */
export function requireAccess(ctx: Ctx, perm: Permission, path: string, departmentId?: number | null): void {
  if (canAccess(ctx, perm, path, departmentId)) return;
  if (inScope(ctx, path)) throw new AppError('FORBIDDEN', undefined, undefined, { denial: true });
  throw new AppError('NOT_FOUND', undefined, undefined, { denial: true });
}

/**
 * A SQL predicate restricting `column` (a materialized path) to the caller's subtrees for `perm`.
 * With `departmentColumn`, grants of department roles also require the row's department to match.
 * No roots → a predicate that matches nothing.
 */
export function scopeWhere(
  ctx: Ctx,
  perm: Permission,
  column: string,
  departmentColumn?: string,
): RawBuilder<SqlBool> {
  const grants = departmentColumn
    ? grantsFor(ctx, perm)
    : rootsOf(ctx, perm).map((path) => ({ path, departmentId: null }));
  if (grants.length === 0) return sql<SqlBool>`false`;
  const parts = grants.map((g) => {
    const inPath = sql<SqlBool>`${sql.ref(column)} LIKE ${`${escapeLike(g.path)}%`}`;
    if (g.departmentId === null || !departmentColumn) return inPath;
    return sql<SqlBool>`(${inPath} AND ${sql.ref(departmentColumn)} = ${g.departmentId})`;
  });
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/** Bulk check: which of the objects the caller may use `perm` on. */
export function checkAccess<T extends string | number>(
  ctx: Ctx,
  perm: Permission,
  objects: readonly { id: T; path: string; departmentId?: number | null }[],
): Set<T> {
  return new Set(objects.filter((o) => canAccess(ctx, perm, o.path, o.departmentId)).map((o) => o.id));
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
