import type { MatterFilters } from '@gridgov/common/schemas/saved-views';
import {
  MATTER_STATE_LABELS,
  MATTER_TYPE_LABELS,
  type MatterState,
  type MatterType,
} from '@gridgov/common/workflow/matter';
import { AppError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { type Sheet, type SheetColumn, writeXlsx } from '../../lib/spreadsheet.ts';
import { countMatching, filterNames, matterListWhere, selectMatching } from './matters.list.ts';
import { type DeadlineStatus, deadlineStatus, type MatterSummaryRow } from './matters.summary.ts';

/** The most rows one export holds; the newest are kept and the file says when it was cut. */
export const MATTER_EXPORT_MAX_ROWS = 10_000;
const BATCH = 1_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DATE_FMT = 'yyyy-mm-dd hh:mm';

const STEP_ZH: Record<string, string> = { accept: '受理', sign: '签收', handle: '处置', verify: '核查' };
const DEADLINE_ZH: Record<DeadlineStatus, string> = {
  none: '无时限',
  ok: '正常',
  warning: '临期预警',
  overdue: '已超期',
  paused: '已挂起',
};
const PRIORITY_ZH: Record<string, string> = { normal: '一般', urgent: '紧急' };
const SOURCE_ZH: Record<string, string> = {
  grid_worker: '网格员上报',
  desk: '窗口受理',
  hotline: '热线',
  portal: '群众网上诉求',
  open311: '开放接口',
  screening: '排查',
};

/** Excel dates carry no time zone: cells show Beijing wall-clock time, as the headers say. */
function beijing(at: Date | string | null): Date | null {
  return at === null ? null : new Date(new Date(at).getTime() + BEIJING_OFFSET_MS);
}

/**
 * The columns of the matter export. There is deliberately no column for requesters or parties: personal
 * information is not exported at all (see docs/matters.md, "Personal information").
 */
export function matterSheetColumns(now: Date): readonly SheetColumn<MatterSummaryRow>[] {
  return [
    { header: '事项编号', width: 18, value: (r) => r.code },
    {
      header: '类型',
      width: 10,
      value: (r) => MATTER_TYPE_LABELS[r.type as MatterType]?.['zh-CN'] ?? r.type,
    },
    { header: '类别', width: 18, value: (r) => r.category_name_zh },
    { header: '标题', width: 36, value: (r) => r.title },
    {
      header: '状态',
      width: 10,
      value: (r) => MATTER_STATE_LABELS[r.state as MatterState]?.['zh-CN'] ?? r.state,
    },
    { header: '紧急程度', width: 8, value: (r) => PRIORITY_ZH[r.priority] ?? r.priority },
    { header: '来源', width: 12, value: (r) => SOURCE_ZH[r.source] ?? r.source },
    { header: '发生地网格', width: 20, value: (r) => r.grid_name },
    { header: '主办层级', width: 20, value: (r) => r.owner_name },
    { header: '承办网格', width: 20, value: (r) => r.assignee_name ?? '' },
    { header: '承办部门', width: 16, value: (r) => r.department_name ?? '' },
    { header: '当前环节', width: 10, value: (r) => (r.step ? (STEP_ZH[r.step] ?? r.step) : '') },
    { header: '办理时限（北京时间）', width: 20, value: (r) => beijing(r.due_at), numFmt: DATE_FMT },
    { header: '时限状态', width: 10, value: (r) => DEADLINE_ZH[deadlineStatus(r, now)] },
    { header: '问题工单', width: 8, value: (r) => (r.problem ? '是' : '否') },
    { header: '未办结督办数', width: 12, value: (r) => r.open_supervisions },
    { header: '重办次数', width: 8, value: (r) => r.rework_count },
    { header: '上报时间（北京时间）', width: 20, value: (r) => beijing(r.created_at), numFmt: DATE_FMT },
    { header: '更新时间（北京时间）', width: 20, value: (r) => beijing(r.updated_at), numFmt: DATE_FMT },
  ];
}

function* batches<T>(rows: readonly T[], size: number): Generator<readonly T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

export interface MatterExport {
  file: Buffer;
  rows: number;
  total: number;
  truncated: boolean;
}

/**
 * Exports the matters matching `filters` that the caller may both read and export, newest first, at most
 * {@link MATTER_EXPORT_MAX_ROWS}, with a sheet describing the export. No personal information; every
 * text cell is escaped against formula injection by `writeXlsx`. Audited as `matter.export` with the
 * names of the filters only.
 */
export async function exportMatters(ctx: Ctx, filters: MatterFilters): Promise<MatterExport> {
  const actor = ctx.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const where = await matterListWhere(ctx, filters, ['matter.read', 'matter.export']);
  const now = ctx.clock.now();
  const total = await countMatching(ctx.db, where);
  const list = await selectMatching(ctx.db, where).limit(MATTER_EXPORT_MAX_ROWS).execute();
  const truncated = total > list.length;
  const names = filterNames(filters);
  const about: [string, string | number][] = [
    ['导出时间（UTC）', now.toISOString()],
    ['导出人', actor.username],
    ['筛选条件', names.length ? names.join('、') : '无'],
    ['符合条件行数', total],
    ['导出行数', list.length],
    [
      '说明',
      truncated ? `仅导出最新的 ${MATTER_EXPORT_MAX_ROWS} 行，请缩小筛选范围后分批导出` : '已全部导出',
    ],
    ['个人信息', '本文件不含当事人、诉求人等个人信息'],
  ];
  const sheets: Sheet<unknown>[] = [
    { name: '事项清单', columns: matterSheetColumns(now), rows: batches(list, BATCH) },
    {
      name: '导出说明',
      columns: [
        { header: '项目', width: 20, value: (r: (typeof about)[number]) => r[0] },
        { header: '内容', width: 60, value: (r: (typeof about)[number]) => r[1] },
      ],
      rows: [about],
    },
  ];
  const file = await writeXlsx(sheets);
  await writeAudit(ctx.db, ctx, {
    action: 'matter.export',
    objectType: 'matter',
    objectPath: actor.homePath,
    detail: { filters: names, rows: list.length, total, truncated },
  });
  return { file, rows: list.length, total, truncated };
}
