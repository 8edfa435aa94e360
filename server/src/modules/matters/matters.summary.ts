import type { MatterSummary } from '@gridgov/common/schemas/matters';
import type { MatterState, MatterType } from '@gridgov/common/workflow/matter';
import type { Queryable } from '../../db/client.ts';

/**
 * The one select behind every matter summary (lists, exports, duplicates, the detail's head): `matter`
 * (unaliased, so that `matterScopeWhere(ctx, perm)` applies as is) with the names of its category, place,
 * owner, assignee and department. Add `.where(...)`, `.orderBy(...)` or further `.select(...)` columns.
 */
export function selectMatterSummaries(q: Queryable) {
  return q
    .selectFrom('matter')
    .innerJoin('category as sc', 'sc.id', 'matter.category_id')
    .innerJoin('grid as sg', 'sg.id', 'matter.grid_id')
    .innerJoin('grid as so', 'so.id', 'matter.owner_grid_id')
    .leftJoin('grid as sa', 'sa.id', 'matter.assignee_grid_id')
    .leftJoin('department as sd', 'sd.id', 'matter.department_id')
    .select([
      'matter.id',
      'matter.code',
      'matter.type',
      'matter.category_id',
      'sc.name_zh as category_name_zh',
      'sc.name_en as category_name_en',
      'matter.title',
      'matter.state',
      'matter.flags',
      'matter.priority',
      'matter.source',
      'matter.grid_id',
      'matter.grid_path',
      'sg.name as grid_name',
      'matter.owner_grid_id',
      'matter.owner_path',
      'so.name as owner_name',
      'matter.assignee_grid_id',
      'matter.assignee_path',
      'sa.name as assignee_name',
      'matter.department_id',
      'sd.name_zh as department_name',
      'matter.handler_id',
      'matter.step',
      'matter.due_at',
      'matter.warn_at',
      'matter.warned',
      'matter.overdue',
      'matter.paused_at',
      'matter.problem',
      'matter.open_supervisions',
      'matter.rework_count',
      'matter.created_at',
      'matter.updated_at',
    ]);
}

export type MatterSummaryRow = Awaited<
  ReturnType<ReturnType<typeof selectMatterSummaries>['executeTakeFirstOrThrow']>
>;

type Stamp = Date | string;

export type DeadlineStatus = 'none' | 'ok' | 'warning' | 'overdue' | 'paused';

function iso(value: Stamp): string {
  return new Date(value).toISOString();
}

function isoOrNull(value: Stamp | null): string | null {
  return value === null ? null : iso(value);
}

/** The deadline light of a matter at `now`; the sweeper's flags win, and a due time already past counts too. */
export function deadlineStatus(
  row: Pick<MatterSummaryRow, 'paused_at' | 'overdue' | 'due_at' | 'warned' | 'warn_at'>,
  now: Date,
): DeadlineStatus {
  const t = now.getTime();
  if (row.paused_at !== null) return 'paused';
  if (row.overdue || (row.due_at !== null && new Date(row.due_at).getTime() <= t)) return 'overdue';
  if (row.warned || (row.warn_at !== null && new Date(row.warn_at).getTime() <= t)) return 'warning';
  if (row.due_at !== null) return 'ok';
  return 'none';
}

/** A summary row as the client sees it: names beside ids, dates as ISO strings, no personal information. */
export function presentSummary(row: MatterSummaryRow, now: Date): MatterSummary {
  return {
    id: row.id,
    code: row.code,
    type: row.type as MatterType,
    category: { id: row.category_id, nameZh: row.category_name_zh, nameEn: row.category_name_en },
    title: row.title,
    state: row.state as MatterState,
    flags: row.flags,
    priority: row.priority,
    source: row.source as MatterSummary['source'],
    grid: { id: row.grid_id, name: row.grid_name },
    owner: { id: row.owner_grid_id, name: row.owner_name },
    assignee:
      row.assignee_grid_id === null ? null : { id: row.assignee_grid_id, name: row.assignee_name ?? '' },
    department:
      row.department_id === null ? null : { id: row.department_id, name: row.department_name ?? '' },
    deadline: {
      step: row.step as MatterSummary['deadline']['step'],
      dueAt: isoOrNull(row.due_at),
      warnAt: isoOrNull(row.warn_at),
      status: deadlineStatus(row, now),
    },
    problem: row.problem,
    openSupervisions: row.open_supervisions,
    reworkCount: row.rework_count,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
