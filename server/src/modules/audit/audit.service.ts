import { AUDIT_FILTERS, type AuditFilters } from '@gridgov/common/schemas/audit';
import type { AuditRow } from '../../db/schema/types.ts';
import { AppError, validationError } from '../../lib/app-error.ts';
import { AUDIT_HASH_ALGORITHM, type VerifyResult, writeAudit } from '../../lib/audit.ts';
import { verifyAuditAnchored } from '../../lib/audit-anchors.ts';
import type { Ctx } from '../../lib/context.ts';
import { type Sheet, writeXlsx } from '../../lib/spreadsheet.ts';
import { AUDIT_SHEET_COLUMNS } from './audit.presenter.ts';
import { countAudit, listAudit } from './audit.repository.ts';

/** The most rows one export holds; the newest are kept and the file says when it was cut. */
export const EXPORT_MAX_ROWS = 50_000;
const EXPORT_BATCH = 2_000;

function requireActor(ctx: Ctx) {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.actor;
}

/** Dates the schema lets through but JavaScript cannot place (e.g. a leap second), and a reversed range. */
function checkRange(filters: AuditFilters): void {
  for (const field of ['from', 'to'] as const) {
    const value = filters[field];
    if (value !== undefined && Number.isNaN(new Date(value).getTime())) {
      throw validationError([{ field: `querystring.${field}`, message: 'is not a usable date-time' }]);
    }
  }
  if (filters.from && filters.to && new Date(filters.to) < new Date(filters.from)) {
    throw validationError([{ field: 'querystring.to', message: 'must not be before from' }]);
  }
}

/** The names of the filters in use — never their values, which may name a person. */
function filterNames(filters: AuditFilters): (keyof AuditFilters)[] {
  return AUDIT_FILTERS.filter((k) => filters[k] !== undefined && filters[k] !== '');
}

/**
 * Searches the audit log within the caller's audit subtrees (by the object's or the actor's grid),
 * newest first. The search itself is audited, with the names of the filters used.
 */
export async function searchAudit(
  ctx: Ctx,
  filters: AuditFilters,
  page: { limit: number; offset: number },
): Promise<{ items: AuditRow[]; total: number }> {
  const actor = requireActor(ctx);
  checkRange(filters);
  const [items, total] = await Promise.all([
    listAudit(ctx.db, ctx, 'audit.read', filters, page),
    countAudit(ctx.db, ctx, 'audit.read', filters),
  ]);
  await writeAudit(ctx.db, ctx, {
    action: 'audit.search',
    objectType: 'audit',
    objectPath: actor.homePath,
    detail: { filters: filterNames(filters), offset: page.offset, returned: items.length, total },
  });
  return { items, total };
}

async function* exportBatches(ctx: Ctx, filters: AuditFilters, max: number): AsyncGenerator<AuditRow[]> {
  let beforeId: number | undefined;
  let left = max;
  while (left > 0) {
    const rows = await listAudit(ctx.db, ctx, 'audit.export', filters, {
      limit: Math.min(EXPORT_BATCH, left),
      beforeId,
    });
    if (rows.length === 0) return;
    yield rows;
    left -= rows.length;
    beforeId = rows[rows.length - 1]!.id;
  }
}

export interface AuditExport {
  file: Buffer;
  rows: number;
  total: number;
  truncated: boolean;
}

/**
 * Exports the matching rows in the caller's export scope to xlsx: at most {@link EXPORT_MAX_ROWS},
 * newest first, every text cell escaped against formula injection, plus a sheet describing the export.
 * Audited as `audit.export` before the file is handed out.
 */
export async function exportAudit(ctx: Ctx, filters: AuditFilters): Promise<AuditExport> {
  const actor = requireActor(ctx);
  checkRange(filters);
  const total = await countAudit(ctx.db, ctx, 'audit.export', filters);
  const rows = Math.min(total, EXPORT_MAX_ROWS);
  const truncated = total > EXPORT_MAX_ROWS;
  const about: [string, string | number][] = [
    ['导出时间（UTC）', ctx.clock.now().toISOString()],
    ['导出人', actor.username],
    ...filterNames(filters).map((k): [string, string] => [`筛选：${k}`, String(filters[k])]),
    ['符合条件行数', total],
    ['导出行数', rows],
    ['说明', truncated ? `仅导出最新的 ${EXPORT_MAX_ROWS} 行，请缩小时间范围后分批导出` : '已全部导出'],
  ];
  const sheets: Sheet<unknown>[] = [
    { name: '审计日志', columns: AUDIT_SHEET_COLUMNS, rows: exportBatches(ctx, filters, rows) },
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
    action: 'audit.export',
    objectType: 'audit',
    objectPath: actor.homePath,
    detail: { filters: filterNames(filters), rows, total, truncated },
  });
  return { file, rows, total, truncated };
}

/**
 * Walks the whole hash chain (it is one chain for the deployment, not per subtree) and checks it
 * against the anchors this node has recorded, which catch a cut-off tail. Audited.
 */
export async function verifyAudit(ctx: Ctx): Promise<VerifyResult & { algorithm: string }> {
  const actor = requireActor(ctx);
  const result = await verifyAuditAnchored(ctx.db, ctx.config.dataDir);
  await writeAudit(ctx.db, ctx, {
    action: 'audit.verify',
    objectType: 'audit',
    objectPath: actor.homePath,
    result: 'success',
    detail: {
      ok: result.ok,
      checked: result.checked,
      firstBroken: result.firstBroken?.id ?? null,
      kind: result.firstBroken?.kind ?? null,
      anchors: result.anchors.checked,
    },
  });
  return { ...result, algorithm: AUDIT_HASH_ALGORITHM };
}
