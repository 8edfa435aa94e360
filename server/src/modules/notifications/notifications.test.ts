import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NotificationPage } from '@gridgov/common/schemas/notifications';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { type DbHandle, openDatabase } from '../../db/client.ts';
import type { GridRow } from '../../db/schema/types.ts';
import { MINUTE } from '../../lib/clock.ts';
import { buildGrid, buildUser, signIn, type TestUser } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildMatter } from '../../test/matter-factory.ts';
import { notifyAccounts } from './notify.ts';

let env: TestEnv;
let grid: GridRow;
let matterId: number;
beforeAll(async () => {
  env = await createTestEnv({ eventsHeartbeatMs: 100 });
  grid = await buildGrid(env.handle.db);
  matterId = (await buildMatter(env.handle.db, env.clock, { grid })).id;
});
afterAll(async () => env?.close());

async function staff(): Promise<{ user: TestUser; client: Client }> {
  const user = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: '网格员' }] });
  return { user, client: await signIn(env.app, user, env.clock) };
}

/** Writes notifications the way the workflow does: in a transaction, signalled after commit. */
async function notify(handle: DbHandle, accountIds: number[], kind = 'matter.dispatched', about?: number) {
  const matter = about ? { id: about, code: `M${about}`, title: '不外传' } : null;
  await handle.db
    .transaction()
    .execute((trx) =>
      notifyAccounts(trx, { ...env.ctx, db: handle.db }, accountIds, { matter, kind, title: '有新的事项' }),
    );
}

/** A live event stream read over real HTTP (inject cannot stream). */
interface Stream {
  res: IncomingMessage;
  text(): string;
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

async function listening(app: FastifyInstance): Promise<string> {
  const address = app.server.address() as AddressInfo | null;
  if (address) return `http://127.0.0.1:${address.port}`;
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function openStream(app: FastifyInstance, cookie: string): Promise<Stream> {
  const base = await listening(app);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}/api/events`,
      { headers: { cookie, accept: 'text/event-stream' } },
      (res) => {
        let buffer = '';
        const waiters: (() => void)[] = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (const w of [...waiters]) w();
        });
        const ended = new Promise<void>((done) => {
          res.on('end', done);
          res.on('close', done);
        });
        resolve({
          res,
          text: () => buffer,
          ended,
          close: () => req.destroy(),
          waitFor: (pattern, timeoutMs = 5000) =>
            new Promise<void>((ok, fail) => {
              const matches = () =>
                typeof pattern === 'string' ? buffer.includes(pattern) : pattern.test(buffer);
              if (matches()) return ok();
              const timer = setTimeout(
                () => fail(new Error(`no ${pattern} in stream:\n${buffer}`)),
                timeoutMs,
              );
              waiters.push(() => {
                if (!matches()) return;
                clearTimeout(timer);
                ok();
              });
            }),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function within<T>(p: Promise<T>, ms = 5000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, fail) => setTimeout(() => fail(new Error('timed out')), ms))]);
}

describe('notifications: refusals', () => {
  it('401 without a session', async () => {
    const anon = anonymous(env.app);
    expect((await anon.get('/api/notifications')).statusCode).toBe(401);
    expect((await anon.post('/api/notifications/read', { all: true })).statusCode).toBe(401);
    expect((await anon.get('/api/events')).statusCode).toBe(401);
  });

  it('400 for malformed queries and bodies', async () => {
    const { client } = await staff();
    expect((await client.get('/api/notifications?limit=0')).statusCode).toBe(400);
    expect((await client.get('/api/notifications?limit=101')).statusCode).toBe(400);
    expect((await client.get('/api/notifications?unread=maybe')).statusCode).toBe(400);
    for (const body of [{}, { ids: [] }, { all: false }, { ids: [1], all: true }, { ids: ['x'] }]) {
      const res = await client.post('/api/notifications/read', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('notifications: inbox', () => {
  it('lists only the caller’s own entries, newest first, and marks them read', async () => {
    const a = await staff();
    const b = await staff();
    const matter = await buildMatter(env.handle.db, env.clock, { grid });
    await notify(env.handle, [a.user.id], 'matter.reported', matter.id);
    await notify(env.handle, [a.user.id, b.user.id], 'matter.dispatched', matter.id);
    await notify(env.handle, [a.user.id], 'matter.overdue');

    const page = (await a.client.get('/api/notifications')).json() as NotificationPage;
    expect(page.total).toBe(3);
    expect(page.unread).toBe(3);
    expect(page.items.map((n) => n.kind)).toEqual(['matter.overdue', 'matter.dispatched', 'matter.reported']);
    expect(page.items[1]).toMatchObject({
      matterId: matter.id,
      // The matter's code and title, so that a client can word the entry in its own language.
      matter: { code: matter.code, title: matter.title },
      title: '有新的事项',
      readAt: null,
    });
    expect(page.items[0]).toMatchObject({ matterId: null, matter: null });
    const second = (await a.client.get('/api/notifications?limit=1&offset=1')).json() as NotificationPage;
    expect(second.items.map((n) => n.kind)).toEqual(['matter.dispatched']);
    expect(second.total).toBe(3);

    const theirs = ((await b.client.get('/api/notifications')).json() as NotificationPage).items;
    expect(theirs).toHaveLength(1);
    const marked = await a.client.post('/api/notifications/read', {
      ids: [page.items[0]!.id, theirs[0]!.id],
    });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toEqual({ marked: 1, unread: 2 });
    expect(((await b.client.get('/api/notifications')).json() as NotificationPage).unread).toBe(1);

    const unread = (await a.client.get('/api/notifications?unread=true')).json() as NotificationPage;
    expect(unread).toMatchObject({ total: 2, unread: 2 });
    expect(unread.items.map((n) => n.kind)).toEqual(['matter.dispatched', 'matter.reported']);
    expect((await a.client.post('/api/notifications/read', { all: true })).json()).toEqual({
      marked: 2,
      unread: 0,
    });
    const after = (await a.client.get('/api/notifications?unread=true')).json() as NotificationPage;
    expect(after).toEqual({ items: [], total: 0, unread: 0 });
    const all = (await a.client.get('/api/notifications')).json() as NotificationPage;
    expect(all.total).toBe(3);
    expect(all.items.every((n) => n.readAt === env.clock.now().toISOString())).toBe(true);
  });
});

describe('live events', () => {
  it('streams the caller’s notifications as Server-Sent Events, with retry and heartbeat', async () => {
    const a = await staff();
    const b = await staff();
    const stream = await openStream(env.app, a.client.cookie);
    try {
      expect(stream.res.statusCode).toBe(200);
      expect(stream.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.res.headers['cache-control']).toBe('no-store');
      await stream.waitFor('retry: 5000\n');
      await notify(env.handle, [b.user.id], 'for.someone.else');
      await notify(env.handle, [a.user.id], 'matter.dispatched', matterId);
      await stream.waitFor(
        `event: notification\ndata: {"kind":"matter.dispatched","matterId":${matterId}}\n\n`,
      );
      await stream.waitFor(': ping\n\n');
      expect(stream.text()).not.toContain('for.someone.else');
      expect(stream.text()).not.toContain('有新的事项');
    } finally {
      stream.close();
    }
  });

  it('ends the stream at a heartbeat once the session has expired', async () => {
    const a = await staff();
    const stream = await openStream(env.app, a.client.cookie);
    await stream.waitFor(': ping');
    expect(stream.res.complete).toBe(false);
    env.clock.advance(31 * MINUTE);
    await within(stream.ended);
    expect(stream.text()).toContain('event: end\ndata: {"reason":"session"}\n\n');
  });

  it('ends the stream at a heartbeat once the account is disabled', async () => {
    const a = await staff();
    const stream = await openStream(env.app, a.client.cookie);
    await stream.waitFor(': ping');
    await env.handle.db
      .updateTable('account')
      .set({ disabled_at: env.clock.now() })
      .where('id', '=', a.user.id)
      .execute();
    await within(stream.ended);
    expect(stream.text()).toContain('event: end');
  });

  describe('across two server processes on one database', () => {
    let other: FastifyInstance;
    let otherHandle: DbHandle;
    let otherClosed = false;
    beforeAll(async () => {
      otherHandle =
        env.handle.kind === 'postgres'
          ? await openDatabase({ url: String(env.handle.pool!.options.connectionString), poolSize: 2 })
          : env.handle;
      other = await buildApp({ handle: otherHandle, config: env.config, clock: env.clock, logger: false });
      await other.ready();
    });
    afterAll(async () => {
      if (!otherClosed) await other?.close();
      if (otherHandle && otherHandle !== env.handle) await otherHandle.close();
    });

    it('a notification written through one app reaches a subscriber of the other', async () => {
      const a = await staff();
      const stream = await openStream(other, a.client.cookie);
      try {
        await stream.waitFor('retry:');
        await notify(env.handle, [a.user.id], 'matter.returned', matterId);
        await stream.waitFor(`event: notification\ndata: {"kind":"matter.returned","matterId":${matterId}}`);
      } finally {
        stream.close();
      }
    });

    it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
      'PostgreSQL: the listener reconnects after its connection is killed and asks clients to resync',
      async () => {
        const a = await staff();
        const stream = await openStream(other, a.client.cookie);
        try {
          await stream.waitFor('retry:');
          const killed = await sql<{ n: number }>`
            SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
            WHERE application_name = 'gridgov-events' AND datname = current_database()`.execute(
            env.handle.db,
          );
          expect(killed.rows[0]!.n).toBeGreaterThanOrEqual(1);
          await stream.waitFor('event: resync', 10_000);
          await notify(env.handle, [a.user.id], 'after.reconnect', matterId);
          await stream.waitFor('"kind":"after.reconnect"');
        } finally {
          stream.close();
        }
      },
    );

    it('closing the app ends its open streams', async () => {
      const a = await staff();
      const stream = await openStream(other, a.client.cookie);
      await stream.waitFor('retry:');
      otherClosed = true;
      await within(other.close());
      await within(stream.ended);
    });
  });
});
