import { generateIdNumber, generateMobile, mulberry32 } from '@gridgov/common/pii/gb11643';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatterRow } from '../../db/schema/types.ts';
import { HOUR } from '../../lib/clock.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildMatter } from '../../test/matter-factory.ts';
import { patchMatter, type SiblingTowns, siblingTowns, signInAll } from '../../test/matters-read.fixture.ts';
import { MATTER_EXPORT_MAX_ROWS } from './matters.export.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

type Clients = Record<keyof SiblingTowns['users'], Client>;

async function workbookOf(payload: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(payload as unknown as ExcelJS.Buffer);
  return workbook;
}

/** Every cell of every sheet, as text, plus the sheet names. */
function allText(workbook: ExcelJS.Workbook): string[] {
  const out: string[] = [];
  workbook.eachSheet((sheet) => {
    out.push(sheet.name);
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value;
        out.push(v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v));
      });
    });
  });
  return out;
}

describe('matter export', () => {
  let t: SiblingTowns;
  let c: Clients;
  let evil: MatterRow;
  let plain: MatterRow;
  let sibling: MatterRow;
  const rng = mulberry32(20260302);
  const phone = generateMobile(rng);
  const idNumber = generateIdNumber(rng);

  beforeAll(async () => {
    t = await siblingTowns(env);
    c = await signInAll(env, t.users);
    const db = env.handle.db;
    const now = env.clock.now().getTime();
    evil = await buildMatter(db, env.clock, {
      grid: t.gridA,
      categoryCode: 'livelihood.assistance',
      title: "=cmd|' /C calc'!A0",
    });
    plain = await patchMatter(
      db,
      await buildMatter(db, env.clock, {
        grid: t.villageA,
        owner: t.townA,
        assignee: t.villageA,
        departmentId: t.deptD.id,
        state: 'in_progress',
        title: '消防通道被占用',
      }),
      { created_at: new Date(now - HOUR), due_at: new Date(now - 1000), open_supervisions: 1, problem: true },
    );
    sibling = await buildMatter(db, env.clock, { grid: t.villageB, title: '乙镇事项' });
    for (const m of [evil, plain]) {
      await db
        .insertInto('matter_party')
        .values({
          matter_id: m.id,
          role: 'requester',
          name: '司马懿',
          phone,
          id_number: idNumber,
          address: '某某社区3栋',
        })
        .execute();
    }
  });

  it('401 when not signed in, 403 without matter.export', async () => {
    expect((await anonymous(env.app).get('/api/matters/export.xlsx')).statusCode).toBe(401);
    expect((await c.village.get('/api/matters/export.xlsx')).statusCode).toBe(403);
    expect((await c.auditor.get('/api/matters/export.xlsx')).statusCode).toBe(403);
  });

  it('400 naming the field; paging is not an export filter', async () => {
    const cases: [string, string][] = [
      ['?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'querystring.to'],
      ['?state=nope', 'querystring.state.0'],
      ['?limit=10', 'querystring.limit'],
    ];
    for (const [qs, field] of cases) {
      const res = await c.townA.get(`/api/matters/export.xlsx${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().error.details[0].field, qs).toBe(field);
    }
  });

  it('404 for a grid filter outside the caller’s scope', async () => {
    expect((await c.townA.get(`/api/matters/export.xlsx?gridId=${t.townB.id}`)).statusCode).toBe(404);
  });

  it('Chinese headers, one row per matter in scope, escaped formulas, no personal information anywhere', async () => {
    const res = await c.townA.get('/api/matters/export.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="matters-\d{8}-\d{6}\.xlsx"/);
    expect(res.headers['x-truncated']).toBe('false');
    expect(res.headers['x-total-count']).toBe('2');
    const workbook = await workbookOf(res.rawPayload);
    const sheet = workbook.getWorksheet('事项清单')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      '事项编号',
      '类型',
      '类别',
      '标题',
      '状态',
      '紧急程度',
      '来源',
      '发生地网格',
      '主办层级',
      '承办网格',
      '承办部门',
      '当前环节',
      '办理时限（北京时间）',
      '时限状态',
      '问题工单',
      '未办结督办数',
      '重办次数',
      '上报时间（北京时间）',
      '更新时间（北京时间）',
    ]);
    expect(sheet.rowCount).toBe(3);
    const rows = [2, 3].map((n) => (sheet.getRow(n).values as unknown[]).slice(1));
    const evilRow = rows.find((r) => r[0] === evil.code)!;
    expect(evilRow[3]).toBe("'=cmd|' /C calc'!A0");
    expect(evilRow.slice(1, 3)).toEqual(['诉求', '困难群众救助']);
    const plainRow = rows.find((r) => r[0] === plain.code)!;
    expect(plainRow.slice(3, 16)).toEqual([
      '消防通道被占用',
      '处置中',
      '一般',
      '网格员上报',
      t.villageA.name,
      t.townA.name,
      t.villageA.name,
      t.deptD.name_zh,
      '处置',
      expect.any(Date),
      '已超期',
      '是',
      1,
    ]);
    const text = allText(workbook).join('\n');
    expect(text).not.toContain(phone);
    expect(text).not.toContain(idNumber);
    expect(text).not.toContain('司马');
    expect(text).not.toContain('某某社区');
    expect(text).not.toContain(sibling.code);
    const about = workbook.getWorksheet('导出说明')!;
    expect(String(about.getRow(2).getCell(1).value)).toBe('导出时间（UTC）');
  });

  it('is audited with the names of the filters, never their values', async () => {
    const res = await c.townA.get(`/api/matters/export.xlsx?q=${encodeURIComponent('司马懿')}&problem=true`);
    expect(res.statusCode, res.body).toBe(200);
    const row = await env.handle.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'matter.export')
      .where('actor_id', '=', t.users.townA.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.object_type).toBe('matter');
    expect(row.detail).toEqual({ filters: ['problem', 'q'], rows: 0, total: 0, truncated: false });
    expect(JSON.stringify(row)).not.toContain('司马懿');
  });

  it('cuts at 10,000 rows, says so in a note sheet and in x-truncated', { timeout: 60_000 }, async () => {
    const db = env.handle.db;
    await sql`
      INSERT INTO matter (code, type, category_id, title, description, source, state, grid_id, grid_path,
        owner_grid_id, owner_path, created_at, updated_at)
      SELECT 'BULK' || ${t.villageA2.id}::text || '-' || n, 'hazard', ${evil.category_id}, '批量事项' || n, '-',
        'desk', 'reported', ${t.villageA2.id}, ${t.villageA2.path}, ${t.villageA2.id}, ${t.villageA2.path},
        ${new Date(env.clock.now().getTime() - 2 * HOUR)}::timestamptz + n * interval '1 millisecond', now()
      FROM generate_series(1, ${MATTER_EXPORT_MAX_ROWS + 1}) AS n`.execute(db);
    const res = await c.townA.get(`/api/matters/export.xlsx?gridId=${t.villageA2.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-truncated']).toBe('true');
    expect(res.headers['x-total-count']).toBe(String(MATTER_EXPORT_MAX_ROWS + 1));
    const workbook = await workbookOf(res.rawPayload);
    expect(workbook.getWorksheet('事项清单')!.rowCount).toBe(MATTER_EXPORT_MAX_ROWS + 1);
    const codes = new Set<string>();
    workbook.getWorksheet('事项清单')!.eachRow((row, n) => {
      if (n > 1) codes.add(String(row.getCell(1).value));
    });
    expect(codes.has(`BULK${t.villageA2.id}-1`)).toBe(false);
    expect(codes.has(`BULK${t.villageA2.id}-${MATTER_EXPORT_MAX_ROWS + 1}`)).toBe(true);
    const note = allText(workbook).join('\n');
    expect(note).toContain(`仅导出最新的 ${MATTER_EXPORT_MAX_ROWS} 行`);
  });
});
