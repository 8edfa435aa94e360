import type { AuditEntry, AuditResult } from '@gridgov/common/schemas/audit';
import type { AuditRow } from '../../db/schema/types.ts';
import type { SheetColumn } from '../../lib/spreadsheet.ts';

export function presentAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorRoles: row.actor_roles,
    ip: row.ip,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    result: row.result as AuditResult,
    reason: row.reason,
    requestId: row.request_id,
    detail: row.detail ?? null,
    hash: row.hash,
  };
}

const RESULT_ZH: Record<string, string> = { success: '成功', failure: '失败', denied: '拒绝' };
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * Excel dates carry no time zone: the cell shows the wall-clock time of Beijing (UTC+8), as the
 * header says, so that an exported log reads the same as the screen.
 */
function beijingWallClock(at: Date): Date {
  return new Date(new Date(at).getTime() + BEIJING_OFFSET_MS);
}

/** The columns of the audit export, with Chinese headers. */
export const AUDIT_SHEET_COLUMNS: readonly SheetColumn<AuditRow>[] = [
  { header: '序号', width: 10, value: (r) => r.id },
  {
    header: '时间（北京时间）',
    width: 20,
    value: (r) => beijingWallClock(r.at),
    numFmt: 'yyyy-mm-dd hh:mm:ss',
  },
  { header: '操作人编号', width: 12, value: (r) => r.actor_id },
  { header: '操作人', width: 16, value: (r) => r.actor_name ?? '' },
  { header: '操作人角色', width: 20, value: (r) => r.actor_roles.join('、') },
  { header: 'IP 地址', width: 16, value: (r) => r.ip ?? '' },
  { header: '操作', width: 22, value: (r) => r.action },
  { header: '对象类型', width: 12, value: (r) => r.object_type ?? '' },
  { header: '对象编号', width: 12, value: (r) => r.object_id ?? '' },
  { header: '结果', width: 8, value: (r) => RESULT_ZH[r.result] ?? r.result },
  { header: '原因', width: 24, value: (r) => r.reason ?? '' },
  { header: '请求编号', width: 38, value: (r) => r.request_id ?? '' },
  { header: '详情', width: 40, value: (r) => (r.detail === null ? '' : JSON.stringify(r.detail)) },
  { header: '哈希', width: 40, value: (r) => r.hash },
];
