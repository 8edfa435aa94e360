import { randomBytes } from 'node:crypto';
import type { MatterState } from '@gridgov/common/workflow/matter';
import type { Queryable } from '../db/client.ts';
import type { GridRow, MatterRow } from '../db/schema/types.ts';
import type { Clock } from '../lib/clock.ts';
import { type CategoryLimits, planStep, workCalendar } from '../modules/matters/deadlines.ts';

/**
 * A matter inserted directly in a given state, for tests of what happens around matters (lists, sweeps,
 * supervision). Workflow tests go through the API instead.
 */
export async function buildMatter(
  q: Queryable,
  clock: Clock,
  opts: {
    grid: GridRow;
    owner?: GridRow;
    assignee?: GridRow | null;
    departmentId?: number | null;
    state?: MatterState;
    categoryCode?: string;
    title?: string;
    reporterId?: number | null;
    handlerId?: number | null;
  },
): Promise<MatterRow> {
  const category = await q
    .selectFrom('category')
    .select(['id', 'matter_type', 'limits'])
    .where('code', '=', opts.categoryCode ?? 'safety.fire_lane')
    .executeTakeFirstOrThrow();
  const now = clock.now();
  const state = opts.state ?? 'reported';
  const owner = opts.owner ?? opts.grid;
  const assignee =
    opts.assignee === undefined
      ? ['dispatched', 'signed', 'in_progress', 'handled'].includes(state)
        ? owner
        : null
      : opts.assignee;
  const plan = planStep(state, category.limits as CategoryLimits, now, await workCalendar(q, now));
  return q
    .insertInto('matter')
    .values({
      code: `T${randomBytes(5).toString('hex').toUpperCase()}`,
      type: category.matter_type ?? 'hazard',
      category_id: category.id,
      title: opts.title ?? '测试事项',
      description: '测试描述',
      source: 'grid_worker',
      state,
      grid_id: opts.grid.id,
      grid_path: opts.grid.path,
      owner_grid_id: owner.id,
      owner_path: owner.path,
      assignee_grid_id: assignee?.id ?? null,
      assignee_path: assignee?.path ?? null,
      department_id: opts.departmentId ?? null,
      dispatcher_grid_id: assignee ? owner.id : null,
      reporter_id: opts.reporterId ?? null,
      handler_id: opts.handlerId ?? null,
      ...plan,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
