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

/**
 * The handling level answers: `matter.handle` over the assignee or `matter.dispatch` over the owner, held
 * through a grant strictly below the issuing level (or a grant of the matter's department). The issuer and
 * the levels above it do not answer their own order: 督办 presses a lower level, which must reply.
 */
export function mayReply(ctx: Ctx, m: SupervisedMatter, issuerGridPath: string): boolean {
  const answers = (perm: 'matter.handle' | 'matter.dispatch', path: string) =>
    (ctx.actor?.grants.get(perm) ?? []).some(
      (g) =>
        path.startsWith(g.path) &&
        (g.departmentId === null
          ? g.path !== issuerGridPath && g.path.startsWith(issuerGridPath)
          : g.departmentId === m.department_id),
    );
  return (
    (m.assignee_path !== null && answers('matter.handle', m.assignee_path)) ||
    answers('matter.dispatch', m.owner_path)
  );
}

/** The issuing level (or any level above it) closes. */
export function mayClose(ctx: Ctx, issuerGridPath: string): boolean {
  return canAccess(ctx, 'matter.supervise', issuerGridPath);
}
