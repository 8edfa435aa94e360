import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeVerification } from '../cli/audit.ts';
import { anchorAuditChain } from '../jobs.ts';
import { backupDatabase, restoreDatabase } from '../modules/backup/backup.service.ts';
import { buildGrid, buildUser, signIn, type TestUser } from '../test/factories.ts';
import { type Client, createTestEnv, openTestDatabase, type TestEnv } from '../test/harness.ts';
import { chainHash, chainHead, verifyAuditChain, writeAudit } from './audit.ts';
import {
  anchorFile,
  readAnchors,
  recordAuditAnchor,
  restartAnchors,
  verifyAuditAnchored,
} from './audit-anchors.ts';
import { MINUTE } from './clock.ts';
import { type Ctx, systemContext } from './context.ts';

let env: TestEnv;
let base: string;
let admin: TestUser;
let n = 0;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'gridgov-anchors-'));
  env = await createTestEnv({ dataDir: base });
  const root = await buildGrid(env.handle.db);
  admin = await buildUser(env.handle.db, env.config, { grid: root, roles: [{ role: '审计管理员' }] });
});
afterAll(async () => {
  await env?.close();
  await rm(base, { recursive: true, force: true });
});

async function write(rows = 1): Promise<void> {
  for (let i = 0; i < rows; i++)
    await writeAudit(env.handle.db, env.ctx, { action: 'anchor.test', detail: { n: n++ } });
}

/** A node of its own: a fresh data directory, so each test has its own anchor file. */
async function node(): Promise<{ dir: string; file: string; ctx: Ctx }> {
  const dir = await mkdtemp(join(base, 'node-'));
  return { dir, file: anchorFile(dir), ctx: { ...env.ctx, config: { ...env.config, dataDir: dir } } };
}

/** Signed in now: the tests move the clock past the idle timeout. */
const auditor = (): Promise<Client> => signIn(env.app, admin, env.clock);

const lines = async (file: string) => (await readFile(file, 'utf8')).trimEnd().split('\n');

async function head() {
  const h = await chainHead(env.handle.db);
  if (!h) throw new Error('empty audit log');
  return h;
}

/** As a superuser would: with the append-only trigger off. */
async function behindTheTrigger(statement: () => Promise<unknown>): Promise<void> {
  const db = env.handle.db;
  await sql`ALTER TABLE audit DISABLE TRIGGER audit_no_update`.execute(db);
  try {
    await statement();
  } finally {
    await sql`ALTER TABLE audit ENABLE TRIGGER audit_no_update`.execute(db);
  }
}

/** Deletes every row after `afterId`; the returned function removes anything written since and puts them back. */
async function cutTail(afterId: number): Promise<() => Promise<void>> {
  const db = env.handle.db;
  const removed = await db.selectFrom('audit').selectAll().where('id', '>', afterId).orderBy('id').execute();
  await behindTheTrigger(() => sql`DELETE FROM audit WHERE id > ${afterId}`.execute(db));
  return () =>
    behindTheTrigger(async () => {
      await sql`DELETE FROM audit WHERE id > ${afterId}`.execute(db);
      await sql`
        INSERT INTO audit OVERRIDING SYSTEM VALUE
        SELECT * FROM jsonb_populate_recordset(NULL::audit, ${JSON.stringify(removed)}::jsonb)`.execute(db);
    });
}

describe('recording anchors', () => {
  it('records the head when it has moved, and only then, appended to a private file', async () => {
    const { file, ctx, dir } = await node();
    await write();
    const first = await recordAuditAnchor(ctx);
    const h1 = await head();
    expect(first).toMatchObject({
      status: 'recorded',
      anchor: { id: h1.id, hash: h1.hash, at: env.clock.now().toISOString() },
    });
    env.clock.advance(10 * MINUTE);
    expect(await recordAuditAnchor(ctx)).toMatchObject({ status: 'unchanged', anchor: { id: h1.id } });
    expect(await lines(file)).toHaveLength(1);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    await write(2);
    const second = await recordAuditAnchor(ctx);
    const h2 = await head();
    expect(second).toMatchObject({ status: 'recorded', anchor: { id: h2.id, hash: h2.hash } });
    expect(h2.id).toBeGreaterThan(h1.id);
    expect((await lines(file)).map((l) => JSON.parse(l).id)).toEqual([h1.id, h2.id]);

    const verified = await verifyAuditAnchored(env.handle.db, dir);
    expect(verified).toMatchObject({
      ok: true,
      anchors: { checked: 2, latest: { id: h2.id, at: env.clock.now().toISOString() } },
    });
    expect(verified.firstBroken).toBeUndefined();
  });

  it('starts a new line after a line cut short by a crash, and skips that line when reading', async () => {
    const { file, ctx, dir } = await node();
    await write();
    await recordAuditAnchor(ctx);
    await writeFile(file, `${await readFile(file, 'utf8')}{"id":12`);
    await write();
    expect(await recordAuditAnchor(ctx)).toMatchObject({ status: 'recorded' });
    expect(await readAnchors(file)).toHaveLength(2);
    expect(await verifyAuditAnchored(env.handle.db, dir)).toMatchObject({
      ok: true,
      anchors: { checked: 2 },
    });
  });

  it('keeps the file bounded: rewritten to the newest anchors once it grows too large', async () => {
    const { file, ctx, dir } = await node();
    const limits = { maxBytes: 1000, keep: 4 };
    let rotations = 0;
    let largest = 0;
    for (let i = 0; i < 30; i++) {
      await write();
      env.clock.advance(10 * MINUTE);
      const outcome = await recordAuditAnchor(ctx, limits);
      expect(outcome.status).toBe('recorded');
      if (outcome.status === 'recorded' && outcome.rotated) rotations++;
      largest = Math.max(largest, (await stat(file)).size);
    }
    const anchors = await readAnchors(file);
    expect(rotations).toBeGreaterThan(2);
    expect(largest).toBeLessThanOrEqual(limits.maxBytes);
    expect(anchors.length).toBeLessThanOrEqual(Math.ceil(limits.maxBytes / 100));
    expect(anchors.at(-1)?.id).toBe((await head()).id);
    expect(anchors.map((a) => a.id)).toEqual([...anchors.map((a) => a.id)].sort((a, b) => a - b));
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await verifyAuditAnchored(env.handle.db, dir)).toMatchObject({
      ok: true,
      anchors: { checked: anchors.length },
    });
  });
});

describe('verifying against anchors', () => {
  it('reports the newest rows deleted behind the trigger as truncated, then as a gone row once the log grows again', async () => {
    const client = await auditor();
    await write(3);
    expect(await recordAuditAnchor(env.ctx)).toMatchObject({ status: 'recorded' });
    const anchored = await head();
    const keptId = (
      await env.handle.db
        .selectFrom('audit')
        .select('id')
        .where('id', '<', anchored.id)
        .orderBy('id', 'desc')
        .offset(1)
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;
    expect(await verifyAuditChain(env.handle.db)).toMatchObject({ ok: true });
    const putBack = await cutTail(keptId);

    // The chain alone is still valid: that is the gap the anchors close.
    expect(await verifyAuditChain(env.handle.db)).toMatchObject({ ok: true });
    const direct = await verifyAuditAnchored(env.handle.db, base);
    expect(direct).toMatchObject({
      ok: false,
      firstBroken: { id: anchored.id, kind: 'truncated', lastId: keptId, anchor: { id: anchored.id } },
    });
    expect(direct.firstBroken?.reason).toMatch(
      new RegExp(`^the chain ends at id ${keptId} but an anchor from \\S+ recorded id ${anchored.id}$`),
    );
    expect(describeVerification(direct, anchorFile(base)).join('\n')).toContain('retire-anchors');

    const res = await client.get('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ok: false,
      firstBroken: { id: anchored.id, kind: 'truncated', lastId: keptId },
      anchors: { checked: expect.any(Number), latest: { id: anchored.id } },
    });

    // The verification's own audit row now lies beyond the cut: the anchored row is gone from the middle.
    const again = (await client.get('/api/audit/verify')).json();
    expect(again).toMatchObject({ ok: false, firstBroken: { id: anchored.id, kind: 'anchor_mismatch' } });
    expect(again.firstBroken.reason).toMatch(/no longer exists/);

    const before = await lines(anchorFile(base));
    const logged: unknown[][] = [];
    const log = { error: (...args: unknown[]) => logged.push(args), debug: () => undefined };
    await anchorAuditChain(env.ctx, log as unknown as FastifyBaseLogger);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.[0]).toMatchObject({ job: 'audit-anchor', anchorId: anchored.id });
    expect(await lines(anchorFile(base))).toEqual(before);

    await putBack();
    expect(await verifyAuditAnchored(env.handle.db, base)).toMatchObject({ ok: true });
  });

  it('reports an anchored row rewritten with a valid hash, which the chain alone accepts', async () => {
    const { ctx, dir } = await node();
    await write();
    await recordAuditAnchor(ctx);
    const db = env.handle.db;
    const row = await db
      .selectFrom('audit')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const rewrite = (action: string, hash: string) =>
      behindTheTrigger(() =>
        sql`UPDATE audit SET action = ${action}, hash = ${hash} WHERE id = ${row.id}`.execute(db),
      );
    await rewrite('anchor.forged', chainHash(row.prev_hash, { ...row, action: 'anchor.forged' }));

    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    const result = await verifyAuditAnchored(db, dir);
    expect(result).toMatchObject({
      ok: false,
      firstBroken: { id: row.id, kind: 'anchor_mismatch', anchor: { id: row.id } },
    });
    expect(result.firstBroken?.reason).toMatch(/does not carry the hash/);
    expect(await recordAuditAnchor(ctx)).toMatchObject({ status: 'diverged', anchor: { id: row.id } });

    await rewrite(row.action, row.hash);
    expect(await verifyAuditAnchored(db, dir)).toMatchObject({ ok: true, anchors: { checked: 1 } });
  });

  it('a clean chain passes through the API and reports the anchors of the answering node', async () => {
    await write();
    const client = await auditor();
    await recordAuditAnchor(env.ctx);
    const res = await client.get('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ ok: true, anchors: { latest: { id: expect.any(Number) } } });
    expect(body.anchors.checked).toBeGreaterThanOrEqual(1);
    expect(body.firstBroken).toBeUndefined();
    const logged = await env.handle.db
      .selectFrom('audit')
      .select('detail')
      .where('action', '=', 'audit.verify')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(logged.detail).toMatchObject({ ok: true, kind: null, anchors: body.anchors.checked });
  });
});

describe('restore', () => {
  it('old anchors report a restored older backup as cut off; restartAnchors retires them and anchors the new head', async () => {
    const { dir, file, ctx } = await node();
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await backupDatabase(ctx, out);
    out.end();
    await write(3);
    await recordAuditAnchor(ctx);
    const anchoredId = (await head()).id;

    const target = await openTestDatabase();
    try {
      const restored = systemContext(
        { db: target.handle.db, clock: env.clock, config: ctx.config },
        'restore',
      );
      await restoreDatabase(restored, Readable.from([Buffer.concat(chunks)]));
      expect(await verifyAuditAnchored(target.handle.db, dir)).toMatchObject({
        ok: false,
        firstBroken: { id: anchoredId, kind: 'truncated' },
      });

      const { retired, anchor } = await restartAnchors(restored);
      expect(retired).toMatch(/audit-anchors\.retired-\d{8}T\d{6}Z-[0-9a-f]{6}\.jsonl$/);
      expect(await readAnchors(retired!)).toHaveLength(1);
      const restoredHead = await chainHead(target.handle.db);
      expect(anchor).toMatchObject({ id: restoredHead?.id, hash: restoredHead?.hash });
      expect(await readAnchors(file)).toHaveLength(1);
      expect(await verifyAuditAnchored(target.handle.db, dir)).toMatchObject({
        ok: true,
        anchors: { checked: 1, latest: { id: restoredHead?.id } },
      });
      expect(await recordAuditAnchor(restored)).toMatchObject({ status: 'unchanged' });
    } finally {
      await target.handle.close();
      await target.drop();
    }
  });
});
