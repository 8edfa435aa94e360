import { PassThrough, Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../config.ts';
import type { DbHandle } from '../../db/client.ts';
import { verifyAuditChain, writeAudit } from '../../lib/audit.ts';
import { FakeClock } from '../../lib/clock.ts';
import { type Ctx, systemContext } from '../../lib/context.ts';
import { buildGrid, buildUser } from '../../test/factories.ts';
import { openTestDatabase } from '../../test/harness.ts';
import { listTables } from './backup.repository.ts';
import { type BackupHeader, backupDatabase, restoreDatabase } from './backup.service.ts';

interface Db {
  handle: DbHandle;
  ctx: Ctx;
  drop: () => Promise<void>;
}

const config = testConfig();
const opened: Db[] = [];

async function freshDatabase(): Promise<Db> {
  const { handle, drop } = await openTestDatabase();
  const ctx = systemContext({ db: handle.db, clock: new FakeClock(), config }, 'backup-test');
  const db = { handle, ctx, drop };
  opened.push(db);
  return db;
}

async function backupText(db: Db, batchSize?: number): Promise<string> {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  await backupDatabase(db.ctx, out, { batchSize });
  out.end();
  return chunks.join('');
}

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of await listTables(db.handle.db)) {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t.name)}`.execute(db.handle.db);
    counts[t.name] = Number(r.rows[0]!.n);
  }
  return counts;
}

let source: Db;
let file: string;

beforeAll(async () => {
  source = await freshDatabase();
  const q = source.handle.db;
  const root = await buildGrid(q, { name: '测试市' });
  const town = await buildGrid(q, { parent: root, name: '测试街道' });
  const village = await buildGrid(q, {
    parent: town,
    polygon: {
      type: 'Polygon',
      coordinates: [
        [
          [120, 30],
          [120.1, 30],
          [120.1, 30.1],
          [120, 30],
        ],
      ],
    },
  });
  // A node moved under a newer one: its parent has a larger id, so id order is not parent order.
  const newer = await buildGrid(q, { parent: root, name: '新建街道' });
  await q.updateTable('grid').set({ parent_id: newer.id }).where('id', '=', town.id).execute();
  await q
    .insertInto('department')
    .values({ code: `d${Date.now()}`, name_zh: '应急管理局', name_en: 'Emergency' })
    .execute();
  await buildUser(q, config, { grid: village, roles: [{ role: '网格员' }] });
  await buildUser(q, config, { grid: root, roles: [{ role: '审计管理员' }] });
  for (let i = 0; i < 7; i++) {
    await writeAudit(q, source.ctx, {
      action: 'test.write',
      objectType: 'grid',
      objectId: village.id,
      objectPath: village.path,
      detail: { i, zh: '中文', nested: { b: 1, a: [1, 'x'] } },
    });
  }
  file = await backupText(source, 3);
}, 120_000);

afterAll(async () => {
  for (const db of opened) {
    await db.handle.close();
    await db.drop();
  }
});

describe('backup', () => {
  it('writes a header with the migrations, the audit head and row counts, then one line per row', async () => {
    const lines = file.trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as BackupHeader;
    expect(header).toMatchObject({ format: 'gridgov-backup', version: 1 });
    expect(header.migrations[0]).toBe('0001_foundation.sql');
    const head = await source.handle.db
      .selectFrom('audit')
      .select('hash')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(header.auditHead).toBe(head.hash);
    const names = header.tables.map((t) => t.name);
    expect(names).not.toContain('schema_migration');
    const mustPrecede: [string, string][] = [
      ['grid', 'grid_level'],
      ['account', 'grid'],
      ['role_assignment', 'account'],
      ['role_assignment', 'role'],
    ];
    for (const [child, parent] of mustPrecede) {
      expect(names.indexOf(child), `${child} after ${parent}`).toBeGreaterThan(names.indexOf(parent));
    }
    expect(lines.length - 1).toBe(header.tables.reduce((n, t) => n + t.rows, 0));
    expect(JSON.parse(lines[1]!)).toHaveProperty('table', names[0]);
    const audit = lines.map((l) => JSON.parse(l)).filter((l) => l.table === 'audit');
    expect(audit.some((l) => l.row.action === 'system.backup')).toBe(true);
  });
});

describe('restore', () => {
  it('restores into a fresh database: same rows, an intact chain, and identities moved past the data', async () => {
    const target = await freshDatabase();
    const summary = await restoreDatabase(target.ctx, Readable.from([file]), { batchSize: 2 });
    expect(summary.rows).toBe(file.trimEnd().split('\n').length - 1);

    const before = await rowCounts(source);
    const after = await rowCounts(target);
    expect(after).toEqual({ ...before, audit: before.audit! + 1 });

    const verified = await verifyAuditChain(target.handle.db);
    expect(verified).toMatchObject({ ok: true, checked: before.audit! + 1 });
    const last = await target.handle.db
      .selectFrom('audit')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(last.action).toBe('system.restore');

    const grids = (q: DbHandle) =>
      q.db
        .selectFrom('grid')
        .select(['id', 'parent_id', 'path', 'polygon', 'created_at'])
        .orderBy('id')
        .execute();
    expect(await grids(target.handle)).toEqual(await grids(source.handle));
    const accounts = (q: DbHandle) => q.db.selectFrom('account').selectAll().orderBy('id').execute();
    expect(await accounts(target.handle)).toEqual(await accounts(source.handle));

    const maxGrid = Math.max(...(await grids(target.handle)).map((g) => g.id));
    const added = await buildGrid(target.handle.db);
    expect(added.id).toBeGreaterThan(maxGrid);
    await writeAudit(target.handle.db, target.ctx, { action: 'test.after-restore' });
    expect((await verifyAuditChain(target.handle.db)).ok).toBe(true);
  });

  it('refuses a database that holds data, and leaves it untouched', async () => {
    const target = await freshDatabase();
    await buildGrid(target.handle.db);
    const before = await rowCounts(target);
    await expect(restoreDatabase(target.ctx, Readable.from([file]))).rejects.toThrow(/not empty.*grid/);
    await writeAudit(target.handle.db, target.ctx, { action: 'test.only-audit' });
    await target.handle.db.deleteFrom('grid').execute();
    await expect(restoreDatabase(target.ctx, Readable.from([file]))).rejects.toThrow(/not empty.*audit/);
    expect((await rowCounts(target)).grid).toBe(0);
    expect((await rowCounts(target)).role).toBe(before.role);
  });

  it('refuses a cut-off file, a foreign header and other migrations, rolling everything back', async () => {
    const target = await freshDatabase();
    const before = await rowCounts(target);
    const lines = file.trimEnd().split('\n');
    const cut = `${lines.slice(0, -2).join('\n')}\n`;
    await expect(restoreDatabase(target.ctx, Readable.from([cut]))).rejects.toThrow(/header promises/);
    await expect(restoreDatabase(target.ctx, Readable.from(['{"hello":1}\n']))).rejects.toThrow(
      /not a gridgov/,
    );
    const header = JSON.parse(lines[0]!) as BackupHeader;
    const other = [
      JSON.stringify({ ...header, migrations: [...header.migrations, '9999_future.sql'] }),
      ...lines.slice(1),
    ];
    await expect(restoreDatabase(target.ctx, Readable.from([other.join('\n')]))).rejects.toThrow(
      /migrations/,
    );
    expect(await rowCounts(target)).toEqual(before);
  });
});
