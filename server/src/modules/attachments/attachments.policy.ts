import { canAccess } from '../../lib/access.ts';
import type { Ctx } from '../../lib/context.ts';
import type { MatterPlacement } from '../matters/matters.scope.ts';

/**
 * Whether the caller takes part in the matter and so may add evidence to it: reporting over the
 * place, signing or handling over the assignee, accepting or dispatching over the owner, or
 * verifying over the place. Department grants count only for the matter's department.
 */
export function mayAttach(ctx: Ctx, m: MatterPlacement): boolean {
  const dept = m.department_id;
  return (
    canAccess(ctx, 'matter.report', m.grid_path, dept) ||
    canAccess(ctx, 'matter.verify', m.grid_path, dept) ||
    canAccess(ctx, 'matter.dispatch', m.owner_path, dept) ||
    canAccess(ctx, 'matter.accept', m.owner_path, dept) ||
    (m.assignee_path !== null &&
      (canAccess(ctx, 'matter.handle', m.assignee_path, dept) ||
        canAccess(ctx, 'matter.sign', m.assignee_path, dept)))
  );
}
