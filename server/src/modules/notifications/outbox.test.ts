import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HOUR, MINUTE } from '../../lib/clock.ts';
import { buildGrid, buildUser } from '../../test/factories.ts';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildMatter } from '../../test/matter-factory.ts';
import { sealSecret } from '../auth/totp.ts';
import { notifyAccounts } from './notify.ts';
import { claimDue } from './outbox.repository.ts';
import {
  backoffMs,
  deliverOutbox,
  emailTransport,
  enqueue,
  LEASE_MS,
  smtpFromSettings,
  type Transports,
  webhookSignature,
  webhookTransport,
} from './outbox.ts';

let env: TestEnv;
let hook: WebhookServer;
beforeAll(async () => {
  env = await createTestEnv();
  hook = await webhookServer();
});
afterAll(async () => {
  await hook?.close();
  await env?.close();
});
afterEach(async () => {
  // Each test starts with an empty outbox and no settings of its own.
  await env.handle.db.deleteFrom('outbox').execute();
  await env.handle.db
    .deleteFrom('setting')
    .where('key', 'in', ['webhook_url', 'webhook_secret', 'smtp'])
    .execute();
  hook.received.length = 0;
  hook.status = 204;
});

interface WebhookServer {
  url: string;
  status: number;
  received: { headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** A webhook receiver on loopback that records what it gets and answers `status`. */
async function webhookServer(): Promise<WebhookServer> {
  const state: WebhookServer = { url: '', status: 204, received: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      state.received.push({ headers: req.headers, body });
      res.statusCode = state.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/gridgov`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await env.handle.db
    .insertInto('setting')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
}

/** A secret as `PUT /api/settings/notifications` stores it: sealed under the deployment secret. */
const sealed = (secret: string) => sealSecret(secret, env.config.secret!);

function outboxRows() {
  return env.handle.db.selectFrom('outbox').selectAll().orderBy('id').execute();
}

const noEmail: Transports['email'] = async () => {
  throw new Error('email is not expected here');
};

async function notifyInTx(opts: { rollback?: boolean } = {}) {
  const grid = await buildGrid(env.handle.db);
  const matter = await buildMatter(env.handle.db, env.clock, { grid, title: '张三家门口占道经营' });
  const users = await Promise.all([1, 2].map(() => buildUser(env.handle.db, env.config, { grid })));
  const ids = users.map((u) => u.id);
  await env.handle.db
    .transaction()
    .execute(async (trx) => {
      await notifyAccounts(trx, env.ctx, ids, {
        matter: { id: matter.id, code: matter.code, title: matter.title },
        kind: 'matter.dispatched',
        title: '有新的派遣事项',
      });
      if (opts.rollback) throw new Error('rolled back on purpose');
    })
    .catch((e: Error) => {
      if (!opts.rollback) throw e;
    });
  return { matter, ids };
}

describe('outbox: enqueue', () => {
  it('a message is queued only if its transaction commits', async () => {
    await env.handle.db
      .transaction()
      .execute(async (trx) => {
        await enqueue(trx, 'webhook', hook.url, { event: 'x' }, env.clock.now());
        throw new Error('no');
      })
      .catch(() => undefined);
    expect(await outboxRows()).toEqual([]);
    await env.handle.db
      .transaction()
      .execute((trx) => enqueue(trx, 'webhook', hook.url, { event: 'x' }, env.clock.now()));
    expect(await outboxRows()).toHaveLength(1);
  });

  it('notifyAccounts queues no webhook unless webhook_url is set to an http(s) URL', async () => {
    await notifyInTx();
    expect(await outboxRows()).toEqual([]);
    await setSetting('webhook_url', 'ftp://example.org/x');
    await notifyInTx();
    expect(await outboxRows()).toEqual([]);
  });

  it('with webhook_url set, notifyAccounts queues one event in the same transaction, without personal values', async () => {
    await setSetting('webhook_url', hook.url);
    await notifyInTx({ rollback: true });
    expect(await outboxRows()).toEqual([]);
    const { matter, ids } = await notifyInTx();
    const rows = await outboxRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'webhook', target: hook.url, attempts: 0, delivered_at: null });
    expect(rows[0]!.next_attempt_at).toEqual(env.clock.now());
    expect(rows[0]!.payload).toEqual({
      event: 'notification',
      kind: 'matter.dispatched',
      matterId: matter.id,
      matterCode: matter.code,
      accountIds: ids,
      at: env.clock.now().toISOString(),
    });
    expect(JSON.stringify(rows[0]!.payload)).not.toMatch(/张三|有新的/);
  });
});

describe('outbox: delivery', () => {
  it('backs off 1 min · 2^n up to 6 h', () => {
    expect([1, 2, 3, 4, 9, 10, 50].map(backoffMs)).toEqual([
      MINUTE,
      2 * MINUTE,
      4 * MINUTE,
      8 * MINUTE,
      256 * MINUTE,
      6 * HOUR,
      6 * HOUR,
    ]);
  });

  it('POSTs a signed webhook to a loopback receiver and marks it delivered, once', async () => {
    await setSetting('webhook_url', hook.url);
    await setSetting('webhook_secret', sealed('webhook-secret-for-tests'));
    await notifyInTx();
    const [row] = await outboxRows();
    expect(await deliverOutbox(env.ctx, { email: noEmail, webhook: webhookTransport() })).toEqual({
      delivered: 1,
      failed: 0,
    });
    expect(hook.received).toHaveLength(1);
    const got = hook.received[0]!;
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-gridgov-delivery']).toBe(String(row!.id));
    expect(got.headers['x-gridgov-signature']).toBe(webhookSignature('webhook-secret-for-tests', got.body));
    expect(JSON.parse(got.body)).toEqual(row!.payload);
    const [after] = await outboxRows();
    expect(after!.delivered_at).toEqual(env.clock.now());
    expect(await deliverOutbox(env.ctx, { email: noEmail, webhook: webhookTransport() })).toEqual({
      delivered: 0,
      failed: 0,
    });
    expect(hook.received).toHaveLength(1);
  });

  it('a failing receiver is retried with exponential backoff on the clock, then delivered', async () => {
    await setSetting('webhook_url', hook.url);
    await setSetting('webhook_secret', sealed('s'));
    await notifyInTx();
    const transports = { email: noEmail, webhook: webhookTransport() };
    hook.status = 500;
    const start = env.clock.now().getTime();
    expect(await deliverOutbox(env.ctx, transports)).toEqual({ delivered: 0, failed: 1 });
    let [row] = await outboxRows();
    expect(row).toMatchObject({
      attempts: 1,
      delivered_at: null,
      last_error: 'Error: webhook answered HTTP 500',
    });
    expect(row!.next_attempt_at.getTime()).toBe(start + MINUTE);

    env.clock.advance(MINUTE - 1000);
    expect(await deliverOutbox(env.ctx, transports)).toEqual({ delivered: 0, failed: 0 });
    env.clock.advance(1000);
    expect(await deliverOutbox(env.ctx, transports)).toEqual({ delivered: 0, failed: 1 });
    [row] = await outboxRows();
    expect(row!.attempts).toBe(2);
    expect(row!.next_attempt_at.getTime()).toBe(env.clock.now().getTime() + 2 * MINUTE);

    env.clock.advance(2 * MINUTE);
    hook.status = 302;
    expect(await deliverOutbox(env.ctx, transports)).toEqual({ delivered: 0, failed: 1 });
    [row] = await outboxRows();
    expect(row!.attempts).toBe(3);
    expect(row!.next_attempt_at.getTime()).toBe(env.clock.now().getTime() + 4 * MINUTE);

    env.clock.advance(4 * MINUTE);
    hook.status = 200;
    expect(await deliverOutbox(env.ctx, transports)).toEqual({ delivered: 1, failed: 0 });
    [row] = await outboxRows();
    expect(row!.delivered_at).toEqual(env.clock.now());
    expect(row!.attempts).toBe(3);
    expect(hook.received).toHaveLength(4);
    expect(new Set(hook.received.map((r) => r.headers['x-gridgov-delivery']))).toEqual(
      new Set([String(row!.id)]),
    );
  });

  it('without webhook_secret nothing is sent and the attempt is counted', async () => {
    await env.handle.db
      .transaction()
      .execute((trx) => enqueue(trx, 'webhook', hook.url, { event: 'x' }, env.clock.now()));
    expect(await deliverOutbox(env.ctx, { email: noEmail, webhook: webhookTransport() })).toEqual({
      delivered: 0,
      failed: 1,
    });
    expect(hook.received).toEqual([]);
    expect((await outboxRows())[0]).toMatchObject({
      attempts: 1,
      last_error: 'Error: webhook_secret is not set',
    });
  });

  it('a webhook secret that does not open under the deployment secret (e.g. stored in clear) is a failure', async () => {
    await setSetting('webhook_secret', 'written-in-clear-by-hand');
    await env.handle.db
      .transaction()
      .execute((trx) => enqueue(trx, 'webhook', hook.url, { event: 'x' }, env.clock.now()));
    expect(await deliverOutbox(env.ctx, { email: noEmail, webhook: webhookTransport() })).toEqual({
      delivered: 0,
      failed: 1,
    });
    expect(hook.received).toEqual([]);
    expect((await outboxRows())[0]!.last_error).toBe(
      "Error: webhook_secret cannot be opened with this deployment's secret; set it again",
    );
  });

  it('the SMTP transporter signs in with the sealed password, opened', async () => {
    await setSetting('smtp', {
      host: 'smtp.example.org',
      port: 465,
      secure: true,
      user: 'gridgov',
      from: 'gridgov@example.org',
      passwordSealed: sealed('smtp-password-for-tests'),
    });
    const mailer = await smtpFromSettings()(env.ctx);
    expect(mailer?.from).toBe('gridgov@example.org');
    if (!mailer) throw new Error('smtp is not configured');
    const { options } = mailer.transporter as unknown as { options: Record<string, unknown> };
    expect(options).toMatchObject({
      host: 'smtp.example.org',
      port: 465,
      secure: true,
      auth: { user: 'gridgov', pass: 'smtp-password-for-tests' },
    });
    mailer.transporter.close();
  });

  it('sends email through an injected nodemailer transport (no network)', async () => {
    const transporter = nodemailer.createTransport({ jsonTransport: true });
    const sendMail = vi.spyOn(transporter, 'sendMail');
    const email = emailTransport(async () => ({ transporter, from: 'gridgov@example.org' }));
    await env.handle.db.transaction().execute(async (trx) => {
      await enqueue(
        trx,
        'email',
        'duty@example.org',
        { subject: '事项超期提醒', text: '有 1 件事项超期。' },
        env.clock.now(),
      );
      await enqueue(trx, 'email', 'duty@example.org', { kind: 'no subject' }, env.clock.now());
    });
    const failing = async () => {
      throw new Error('webhook is not expected here');
    };
    expect(await deliverOutbox(env.ctx, { email, webhook: failing })).toEqual({ delivered: 1, failed: 1 });
    expect(sendMail).toHaveBeenCalledTimes(1);
    const info = (await sendMail.mock.results[0]!.value) as { message: string };
    const message = JSON.parse(info.message) as { subject: string; text: string; to: { address: string }[] };
    expect(message.subject).toBe('事项超期提醒');
    expect(message.text).toBe('有 1 件事项超期。');
    expect(message.to[0]!.address).toBe('duty@example.org');
    const rows = await outboxRows();
    expect(rows[0]!.delivered_at).not.toBeNull();
    expect(rows[1]).toMatchObject({
      attempts: 1,
      last_error: 'Error: email payload needs a subject and a text',
    });
  });

  it('the default email transport reports a missing smtp setting as a failed attempt', async () => {
    await env.handle.db
      .transaction()
      .execute((trx) =>
        enqueue(trx, 'email', 'duty@example.org', { subject: 's', text: 't' }, env.clock.now()),
      );
    expect(await deliverOutbox(env.ctx)).toEqual({ delivered: 0, failed: 1 });
    expect((await outboxRows())[0]!.last_error).toBe('Error: email is not configured (setting smtp)');
  });

  it('concurrent workers deliver each message once, in batches of 50', async () => {
    await setSetting('webhook_secret', sealed('s'));
    await env.handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 60; i++) await enqueue(trx, 'webhook', hook.url, { n: i }, env.clock.now());
    });
    const transports = { email: noEmail, webhook: webhookTransport() };
    const results = await Promise.all([
      deliverOutbox(env.ctx, transports),
      deliverOutbox(env.ctx, transports),
    ]);
    expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(60);
    expect(results.every((r) => r.delivered <= 50 && r.failed === 0)).toBe(true);
    expect(hook.received).toHaveLength(60);
    expect(new Set(hook.received.map((r) => JSON.parse(r.body).n)).size).toBe(60);
    expect((await outboxRows()).every((r) => r.delivered_at !== null)).toBe(true);
  });

  it('a message claimed by a worker that died is due again after the lease (at least once)', async () => {
    await env.handle.db
      .transaction()
      .execute((trx) => enqueue(trx, 'webhook', hook.url, { event: 'x' }, env.clock.now()));
    const claimed = await claimDue(
      env.handle.db,
      env.clock.now(),
      new Date(env.clock.now().getTime() + LEASE_MS),
      50,
    );
    expect(claimed).toHaveLength(1);
    await setSetting('webhook_secret', sealed('s'));
    const transports = { email: noEmail, webhook: webhookTransport() };
    expect(await deliverOutbox(env.ctx, transports)).toEqual({ delivered: 0, failed: 0 });
    env.clock.advance(LEASE_MS);
    expect(await deliverOutbox(env.ctx, transports)).toEqual({ delivered: 1, failed: 0 });
    expect(hook.received).toHaveLength(1);
  });
});
