import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow } from '../../db/schema/types.ts';
import { verifyAuditChain, writeAudit } from '../../lib/audit.ts';
import { escapeCell } from '../../lib/spreadsheet.ts';
import { buildGrid, buildUser, signIn, type TestUser } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
let root: GridRow;
let east: GridRow;
let west: GridRow;
let eastAuditor: Client;
let westAuditor: Client;
let eastWorker: TestUser;
let westWorker: TestUser;

/** A row written as if by `actor` (home `actorPath`) about an object at `objectPath`. */
function audit(
  action: string,
  actorPath: string | null,
  objectPath: string | null,
  extra: { objectId?: string; reason?: string; actorName?: string; actorId?: number } = {},
) {
  return writeAudit(env.handle.db, env.ctx, {
    action,
    objectType: 'thing',
    objectId: extra.objectId ?? '1',
    objectPath,
    reason: extra.reason,
    actor: { id: extra.actorId ?? null, name: extra.actorName ?? 'someone', path: actorPath },
  });
}

beforeAll(async () => {
  env = await createTestEnv();
  const db = env.handle.db;
  root = await buildGrid(db);
  east = await buildGrid(db, { parent: root, name: '东街道' });
  west = await buildGrid(db, { parent: root, name: '西街道' });
  const eastAdmin = await buildUser(db, env.config, { grid: east, roles: [{ role: '审计管理员' }] });
  const westAdmin = await buildUser(db, env.config, { grid: west, roles: [{ role: '审计管理员' }] });
  eastWorker = await buildUser(db, env.config, { grid: east, roles: [{ role: '网格员' }] });
  westWorker = await buildUser(db, env.config, { grid: west, roles: [{ role: '网格员' }] });
  eastAuditor = await signIn(env.app, eastAdmin, env.clock);
  westAuditor = await signIn(env.app, westAdmin, env.clock);
});
afterAll(async () => env?.close());

describe('audit search: denials', () => {
  it('401 when not signed in, on every route', async () => {
    for (const url of ['/api/audit', '/api/audit/export.xlsx', '/api/audit/verify']) {
      const res = await anonymous(env.app).get(url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('400 naming the field for a bad date, an unknown filter or a reversed range', async () => {
    const bad = await eastAuditor.get('/api/audit?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION');
    expect(bad.json().error.details[0].field).toBe('querystring.from');
    const badExport = await eastAuditor.get('/api/audit/export.xlsx?to=2026-13-01T00:00:00Z');
    expect(badExport.json().error.details[0].field).toBe('querystring.to');
    const unknown = await eastAuditor.get('/api/audit?user=x');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].field).toBe('querystring.user');
    const leap = await eastAuditor.get('/api/audit?from=2026-03-01T23:59:60Z');
    expect(leap.statusCode).toBe(400);
    expect(leap.json().error.details[0].field).toBe('querystring.from');
    const reversed = await eastAuditor.get('/api/audit?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.details[0].field).toBe('querystring.to');
  });

  it('403 for the system and security administrators and for business users', async () => {
    const db = env.handle.db;
    const callers = [
      await buildUser(db, env.config, { grid: root, roles: [{ role: '系统管理员' }] }),
      await buildUser(db, env.config, { grid: root, roles: [{ role: '安全管理员' }] }),
      await buildUser(db, env.config, { grid: root, roles: [{ role: '区县指挥中心' }] }),
    ];
    for (const user of callers) {
      const client = await signIn(env.app, user, env.clock);
      for (const url of ['/api/audit', '/api/audit/export.xlsx', '/api/audit/verify']) {
        const res = await client.get(url);
        expect(res.statusCode, `${user.username} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
    }
  });
});

describe('audit search: scope and filters', () => {
  it('shows each audit administrator only the rows of its own subtree, by object or by actor', async () => {
    const tag = `scope-${Date.now()}`;
    await audit('thing.east', east.path, east.path, { reason: tag });
    await audit('thing.west', west.path, west.path, { reason: tag });
    await audit('thing.east-acts-on-west', east.path, west.path, { reason: tag });
    await audit('thing.root', root.path, root.path, { reason: tag });
    await audit('thing.nowhere', null, null, { reason: tag });

    const seen = async (client: Client) => {
      const res = await client.get('/api/audit?action=thing.&limit=500');
      expect(res.statusCode).toBe(200);
      return (res.json().items as { action: string; reason: string }[])
        .filter((i) => i.reason === tag)
        .map((i) => i.action)
        .sort();
    };
    expect(await seen(eastAuditor)).toEqual(['thing.east', 'thing.east-acts-on-west']);
    expect(await seen(westAuditor)).toEqual(['thing.east-acts-on-west', 'thing.west']);
    const rootAdmin = await buildUser(env.handle.db, env.config, {
      grid: root,
      roles: [{ role: '审计管理员' }],
    });
    const rootAuditor = await signIn(env.app, rootAdmin, env.clock);
    expect(await seen(rootAuditor)).toEqual([
      'thing.east',
      'thing.east-acts-on-west',
      'thing.nowhere',
      'thing.root',
      'thing.west',
    ]);
  });

  it('sign-ins of staff show up in their own grid only', async () => {
    await signIn(env.app, eastWorker, env.clock);
    await signIn(env.app, westWorker, env.clock);
    const east = (await eastAuditor.get(`/api/audit?action=auth.login&actor=${eastWorker.username}`)).json();
    expect(east.total).toBe(1);
    expect(east.items[0]).toMatchObject({ actorName: eastWorker.username, result: 'success' });
    const cross = (await eastAuditor.get(`/api/audit?action=auth.login&actor=${westWorker.username}`)).json();
    expect(cross).toEqual({ items: [], total: 0 });
  });

  it('filters by actor id, object, result and time; newest first; paginates with a total', async () => {
    const start = env.clock.now().toISOString();
    env.clock.advance(60_000);
    for (let i = 0; i < 5; i++) {
      await audit('filter.step', east.path, east.path, { objectId: `obj-${i}`, actorId: eastWorker.id });
      env.clock.advance(1000);
    }
    const end = env.clock.now().toISOString();
    await audit('filter.step', east.path, east.path, { objectId: 'obj-late', actorId: eastWorker.id });

    const page = await eastAuditor.get(
      `/api/audit?action=filter.&actor=${eastWorker.id}&from=${start}&to=${end}&limit=2&offset=1`,
    );
    expect(page.statusCode).toBe(200);
    expect(page.json().total).toBe(5);
    expect(page.json().items.map((i: { objectId: string }) => i.objectId)).toEqual(['obj-3', 'obj-2']);
    const entry = page.json().items[0];
    expect(Object.keys(entry).sort()).toEqual(
      [
        'action',
        'actorId',
        'actorName',
        'actorRoles',
        'at',
        'detail',
        'hash',
        'id',
        'ip',
        'objectId',
        'objectType',
        'reason',
        'requestId',
        'result',
      ].sort(),
    );
    const one = await eastAuditor.get('/api/audit?objectType=thing&objectId=obj-late&result=success');
    expect(one.json().total).toBe(1);
    const none = await eastAuditor.get('/api/audit?objectId=obj-late&result=denied');
    expect(none.json().total).toBe(0);
  });

  it('audits the search itself with the filter names, not their values', async () => {
    await eastAuditor.get('/api/audit?actor=secret-name&objectType=thing');
    const row = await env.handle.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'audit.search')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row.detail).toMatchObject({ filters: ['actor', 'objectType'] });
    expect(JSON.stringify(row.detail)).not.toContain('secret-name');
    expect(row.object_path).toBe(east.path);
  });
});

describe('audit export', () => {
  it('returns an xlsx with Chinese headers, in scope, with formula-like text escaped', async () => {
    await audit('export.row', east.path, east.path, { reason: '=cmd|"/c calc"!A1', objectId: 'x-1' });
    await audit('export.row', west.path, west.path, { reason: 'west only', objectId: 'x-2' });
    const res = await eastAuditor.get('/api/audit/export.xlsx?action=export.');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-\d{8}-\d{6}\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('审计日志')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual([
      '序号',
      '时间（北京时间）',
      '操作人编号',
      '操作人',
      '操作人角色',
      'IP 地址',
      '操作',
      '对象类型',
      '对象编号',
      '结果',
      '原因',
      '请求编号',
      '详情',
      '哈希',
    ]);
    expect(sheet.rowCount).toBe(2);
    const row = sheet.getRow(2);
    expect(row.getCell(7).value).toBe('export.row');
    expect(row.getCell(9).value).toBe('x-1');
    expect(row.getCell(10).value).toBe('成功');
    expect(row.getCell(11).value).toBe(`'=cmd|"/c calc"!A1`);
    expect(row.getCell(2).value).toBeInstanceOf(Date);
    expect(workbook.getWorksheet('导出说明')).toBeDefined();

    const logged = await env.handle.db
      .selectFrom('audit')
      .select(['detail', 'actor_name'])
      .where('action', '=', 'audit.export')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(logged.detail).toMatchObject({ filters: ['action'], rows: 1, truncated: false });
  });

  it('escapes every cell that a spreadsheet would evaluate', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(escapeCell(s)).toBe(`'${s}`);
    for (const s of ['', 'plain', '张三', '1-2', 'a=b']) expect(escapeCell(s)).toBe(s);
  });
});

describe('audit chain', () => {
  it('refuses ordinary UPDATE and DELETE on the audit table', async () => {
    const db = env.handle.db;
    const last = await db
      .selectFrom('audit')
      .select('id')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await expect(
      db.updateTable('audit').set({ action: 'x' }).where('id', '=', last.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit').where('id', '=', last.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('verify reports ok, then names the first row edited behind the trigger', async () => {
    const ok = await eastAuditor.get('/api/audit/verify');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true });
    expect(ok.json().checked).toBeGreaterThan(10);
    expect(['sm3', 'sha256']).toContain(ok.json().algorithm);
    expect(ok.json().firstBroken).toBeUndefined();

    const db = env.handle.db;
    const victim = await db
      .selectFrom('audit')
      .select(['id', 'action'])
      .where('action', '=', 'thing.east')
      .executeTakeFirstOrThrow();
    const setAction = async (action: string) => {
      await sql`ALTER TABLE audit DISABLE TRIGGER audit_no_update`.execute(db);
      await sql`UPDATE audit SET action = ${action} WHERE id = ${victim.id}`.execute(db);
      await sql`ALTER TABLE audit ENABLE TRIGGER audit_no_update`.execute(db);
    };
    await setAction('x');
    const broken = await westAuditor.get('/api/audit/verify');
    expect(broken.statusCode).toBe(200);
    expect(broken.json()).toMatchObject({
      ok: false,
      firstBroken: { id: victim.id, reason: 'row content does not match its hash' },
    });
    expect((await verifyAuditChain(db)).firstBroken?.id).toBe(victim.id);

    await setAction(victim.action);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
