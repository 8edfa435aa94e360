import { canAccess } from '../../lib/access.ts';
import type { Ctx } from '../../lib/context.ts';

/** The columns of a matter that decide who may act on its supervision orders. */
export interface SupervisedMatter {
  owner_path: string;
  assignee_path: string | null;
  department_id: number | null;
}

/**
 * The deepest grid path at which the caller holds `matter.supervise` over the matter's owner from
 * strictly above (督办 goes down the tree, never sideways or up); null when there is none.
 */
export function supervisingPath(ctx: Ctx, m: SupervisedMatter): string | null {
  const grants = ctx.actor?.grants.get('matter.supervise') ?? [];
  const paths = grants
    .filter((g) => g.departmentId === null || g.departmentId === m.department_id)
    .map((g) => g.path)
    .filter((p) => p !== m.owner_path && m.owner_path.startsWith(p));
  return paths.reduce<string | null>(
    (deepest, p) => (!deepest || p.length > deepest.length ? p : deepest),
    null,
  );
}

/** The grid id a path ends with: '/1/7/23/' → 23. */
export function gridIdOfPath(path: string): number {
  return Number(path.split('/').filter(Boolean).at(-1));
}

/** The handling level answers: `matter.handle` over the assignee or `matter.dispatch` over the owner. */
export function mayReply(ctx: Ctx, m: SupervisedMatter): boolean {
  return (
    (m.assignee_path !== null && canAccess(ctx, 'matter.handle', m.assignee_path, m.department_id)) ||
    canAccess(ctx, 'matter.dispatch', m.owner_path, m.department_id)
  );
}

/** The issuing level (or any level above it) closes. */
export function mayClose(ctx: Ctx, issuerGridPath: string): boolean {
  return canAccess(ctx, 'matter.supervise', issuerGridPath);
}
