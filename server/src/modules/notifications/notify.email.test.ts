import { generateIdNumber, generateMobile, mulberry32 } from '@gridgov/common/pii/gb11643';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GridRow } from '../../db/schema/types.ts';
import { buildGrid, buildUser, signIn, type TestUser } from '../../test/factories.ts';
import { type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { notifyAccounts } from './notify.ts';
import { deliverOutbox, emailTransport, notificationEmail, type Transports } from './outbox.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());
afterEach(async () => {
  await env.handle.db.deleteFrom('outbox').execute();
  await env.handle.db.deleteFrom('setting').where('key', 'in', ['smtp', 'webhook_url']).execute();
});

const WORKER = '网格员';
const VILLAGE = '村（社区）工作人员';
/** As `PUT /api/settings/notifications` stores it (no password: the server needs no sign-in). */
const SMTP = { host: 'smtp.example.org', port: 587, secure: false, user: '', from: 'noreply@example.org' };

async function setSmtp(): Promise<void> {
  await env.handle.db
    .insertInto('setting')
    .values({ key: 'smtp', value: JSON.stringify(SMTP) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(SMTP) }))
    .execute();
}

const emailRows = () =>
  env.handle.db.selectFrom('outbox').selectAll().where('channel', '=', 'email').orderBy('id').execute();

interface Region {
  village: GridRow;
  grid: GridRow;
  worker: Client;
  /** Village staff who set an address and turned e-mail on, through their profile. */
  optedIn: TestUser & { client: Client; email: string };
  /** Village staff with an address but the switch off. */
  switchedOff: TestUser;
  /** Village staff without an address. */
  noAddress: TestUser;
}

/** A county → town → village → grid, a grid worker who reports, and three village staff who accept. */
async function region(): Promise<Region> {
  const db = env.handle.db;
  const county = await buildGrid(db);
  const town = await buildGrid(db, { parent: county });
  const village = await buildGrid(db, { parent: town });
  const grid = await buildGrid(db, { parent: village });
  const staff = () => buildUser(db, env.config, { grid: village, roles: [{ role: VILLAGE }] });
  const reporter = await buildUser(db, env.config, { grid, roles: [{ role: WORKER }] });
  const optedIn = await staff();
  const switchedOff = await staff();
  const noAddress = await staff();
  const client = await signIn(env.app, optedIn, env.clock);
  const email = `duty.${optedIn.id}@village.example.gov.cn`;
  const me = await client.patch('/api/auth/me', { email, emailNotifications: true });
  expect(me.statusCode, me.body).toBe(200);
  await db
    .updateTable('account')
    .set({ email: `off.${switchedOff.id}@village.example.gov.cn` })
    .where('id', '=', switchedOff.id)
    .execute();
  return {
    village,
    grid,
    worker: await signIn(env.app, reporter, env.clock),
    optedIn: { ...optedIn, client, email },
    switchedOff,
    noAddress,
  };
}

const rng = mulberry32(20260315);
/** A requester's personal values, each of which must stay out of every e-mail. */
function requester() {
  return {
    name: '张三丰',
    phone: generateMobile(rng),
    id_number: generateIdNumber(rng),
    address: '幸福村3组12号',
  };
}

/** The grid worker reports a matter with a requester; the village's accept holders are told. */
async function report(r: Region, who = requester()) {
  const category = await env.handle.db
    .selectFrom('category')
    .select('id')
    .where('code', '=', 'livelihood.assistance')
    .executeTakeFirstOrThrow();
  const res = await r.worker.post('/api/matters', {
    categoryId: category.id,
    title: '低保申请咨询',
    description: '老人询问低保申请材料',
    gridId: r.grid.id,
    requester: who,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: number; code: string };
}

const inbox = (accountId: number, matterId: number) =>
  env.handle.db
    .selectFrom('notification')
    .select(['title', 'body'])
    .where('account_id', '=', accountId)
    .where('matter_id', '=', matterId)
    .execute();

describe('notifications by e-mail', () => {
  it('without the smtp setting no e-mail is queued; the in-app notice still is', async () => {
    const r = await region();
    const m = await report(r);
    expect(await inbox(r.optedIn.id, m.id)).toHaveLength(1);
    expect(await emailRows()).toEqual([]);
  });

  it('with smtp set: exactly one e-mail, to the opted-in recipient, with the in-app title, the matter’s path and no personal values', async () => {
    await setSmtp();
    const r = await region();
    const who = requester();
    const m = await report(r, who);
    // Everyone at the village is told in the app; only the opted-in one by e-mail.
    for (const u of [r.optedIn, r.switchedOff, r.noAddress]) expect(await inbox(u.id, m.id)).toHaveLength(1);
    const rows = await emailRows();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ channel: 'email', target: r.optedIn.email, attempts: 0, delivered_at: null });
    expect(row!.next_attempt_at).toEqual(env.clock.now());
    const [notice] = await inbox(r.optedIn.id, m.id);
    expect(notice!.title).toBe(`待受理：${m.code} 低保申请咨询`);
    expect(row!.payload).toEqual({
      subject: `【网格治理平台】${notice!.title}`,
      text: expect.stringContaining(notice!.title),
      link: `/matters/${m.id}`,
    });
    const text = (row!.payload as { text: string }).text;
    expect(text).toContain(`/matters/${m.id}`);
    const payload = JSON.stringify(row!.payload);
    for (const value of Object.values(who)) expect(payload.includes(value), value).toBe(false);
    // Not even masked: no name, no address at all.
    for (const part of ['张', '幸福村']) expect(payload).not.toContain(part);
  });

  it('no e-mail once the switch is turned off, nor to a disabled account', async () => {
    await setSmtp();
    const r = await region();
    const off = await r.optedIn.client.patch('/api/auth/me', { emailNotifications: false });
    expect(off.json()).toMatchObject({ email: r.optedIn.email, emailNotifications: false });
    await report(r);
    expect(await emailRows()).toEqual([]);

    await r.optedIn.client.patch('/api/auth/me', { emailNotifications: true });
    await env.handle.db
      .updateTable('account')
      .set({ disabled_at: env.clock.now(), disabled_reason: '测试' })
      .where('id', '=', r.optedIn.id)
      .execute();
    await env.handle.db
      .transaction()
      .execute((trx) =>
        notifyAccounts(trx, env.ctx, [r.optedIn.id], { matter: null, kind: 'test', title: '测试通知' }),
      );
    expect(await emailRows()).toEqual([]);
  });

  it('is queued in the notifying transaction: a rollback leaves no e-mail', async () => {
    await setSmtp();
    const r = await region();
    const notify = () =>
      env.handle.db.transaction().execute(async (trx) => {
        await notifyAccounts(trx, env.ctx, [r.optedIn.id, r.switchedOff.id, r.noAddress.id], {
          matter: null,
          kind: 'test',
          title: '系统维护通知',
          body: '今晚 22:00 起系统维护一小时',
        });
        throw new Error('rolled back on purpose');
      });
    await expect(notify()).rejects.toThrow('rolled back on purpose');
    expect(await emailRows()).toEqual([]);
    await env.handle.db.transaction().execute((trx) =>
      notifyAccounts(trx, env.ctx, [r.optedIn.id, r.switchedOff.id, r.noAddress.id], {
        matter: null,
        kind: 'test',
        title: '系统维护通知',
        body: '今晚 22:00 起系统维护一小时',
      }),
    );
    const rows = await emailRows();
    expect(rows.map((x) => x.target)).toEqual([r.optedIn.email]);
    expect(rows[0]!.payload).toMatchObject({ subject: '【网格治理平台】系统维护通知', link: null });
    expect((rows[0]!.payload as { text: string }).text).toContain('今晚 22:00 起系统维护一小时');
  });

  it('is delivered through an injected nodemailer transport (jsonTransport, no network) and marked delivered', async () => {
    await setSmtp();
    const r = await region();
    const m = await report(r);
    const transporter = nodemailer.createTransport({ jsonTransport: true });
    const sendMail = vi.spyOn(transporter, 'sendMail');
    const transports: Transports = {
      email: emailTransport(async () => ({ transporter, from: SMTP.from })),
      webhook: async () => {
        throw new Error('webhook is not expected here');
      },
    };
    expect(await deliverOutbox(env.ctx, transports)).toEqual({ delivered: 1, failed: 0 });
    expect(sendMail).toHaveBeenCalledTimes(1);
    const info = (await sendMail.mock.results[0]!.value) as { message: string };
    const sent = JSON.parse(info.message) as {
      from: { address: string };
      to: { address: string }[];
      subject: string;
      text: string;
    };
    expect(sent.from.address).toBe(SMTP.from);
    expect(sent.to.map((t) => t.address)).toEqual([r.optedIn.email]);
    expect(sent.subject).toBe(`【网格治理平台】待受理：${m.code} 低保申请咨询`);
    expect(sent.text).toContain(`/matters/${m.id}`);
    const [row] = await emailRows();
    expect(row!.delivered_at).toEqual(env.clock.now());
    expect(await deliverOutbox(env.ctx, transports)).toEqual({ delivered: 0, failed: 0 });
    expect(sendMail).toHaveBeenCalledTimes(1);
  });
});

describe('notificationEmail', () => {
  it('the title on one line as the subject; the body and the matter’s path in the text', () => {
    const mail = notificationEmail({
      title: '超时：SJ20260315-000012  道路破损\n',
      body: '处置时限已于 2026-03-15 17:00 到期',
      matter: { id: 12, code: 'SJ20260315-000012', title: '道路破损' },
    });
    expect(mail.subject).toBe('【网格治理平台】超时：SJ20260315-000012 道路破损');
    expect(mail.link).toBe('/matters/12');
    expect(mail.text.split('\n').slice(0, 5)).toEqual([
      '超时：SJ20260315-000012 道路破损',
      '',
      '处置时限已于 2026-03-15 17:00 到期',
      '',
      '在平台中查看：/matters/12',
    ]);
    const plain = notificationEmail({ title: '系统通知', matter: null });
    expect(plain.link).toBeNull();
    expect(plain.text).not.toContain('/matters/');
  });

  it('with PUBLIC_URL the link is a full address', () => {
    const matter = { id: 12, code: 'SJ20260315-000012', title: '道路破损' };
    const mail = notificationEmail({ title: '待签收', matter }, 'https://wg.yuhang.example.gov.cn/gridgov');
    expect(mail.link).toBe('https://wg.yuhang.example.gov.cn/gridgov/matters/12');
    expect(mail.text).toContain('在平台中查看：https://wg.yuhang.example.gov.cn/gridgov/matters/12');
  });
});
