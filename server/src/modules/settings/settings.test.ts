import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow } from '../../db/schema/types.ts';
import { buildGrid, buildUser, signIn } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { openSecret } from '../auth/totp.ts';
import { smtpFromSettings } from '../notifications/outbox.ts';

let env: TestEnv;
let county: GridRow;
let village: GridRow;
let sysadmin: Client;
beforeAll(async () => {
  env = await createTestEnv();
  county = await buildGrid(env.handle.db);
  const town = await buildGrid(env.handle.db, { parent: county });
  village = await buildGrid(env.handle.db, { parent: town });
  sysadmin = await as('系统管理员', county);
});
afterAll(async () => env?.close());

async function as(role: string, grid: GridRow): Promise<Client> {
  const u = await buildUser(env.handle.db, env.config, { grid, roles: [{ role }] });
  return signIn(env.app, u, env.clock);
}

const fieldOf = (res: { json(): { error?: { details?: { field: string }[] } } }) =>
  res.json().error?.details?.[0]?.field;

async function stored(key: string): Promise<unknown> {
  const row = await env.handle.db
    .selectFrom('setting')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

async function audits(action: string) {
  const rows = await env.handle.db
    .selectFrom('audit')
    .select(['actor_id', 'detail'])
    .where('action', '=', action)
    .orderBy('id')
    .execute();
  return rows;
}

const SMTP = {
  host: 'smtp.example.gov.cn',
  port: 465,
  secure: true,
  user: 'gridgov',
  from: '网格治理平台 <noreply@example.gov.cn>',
};
const HOOK = 'https://hooks.example.org/gridgov?key=token-in-the-query';
const HOOK_SECRET = 'a-webhook-secret-of-32-characters';

describe('settings: refusals', () => {
  it('401 without a session; 403 for the security and audit administrators and for staff', async () => {
    const anon = anonymous(env.app);
    for (const path of ['/api/settings/notifications', '/api/settings/holidays']) {
      expect((await anon.get(path)).statusCode).toBe(401);
      expect((await anon.put(path, {})).statusCode).toBe(401);
    }
    for (const role of ['安全管理员', '审计管理员', '区县指挥中心']) {
      const client = await as(role, county);
      for (const path of ['/api/settings/notifications', '/api/settings/holidays']) {
        expect((await client.get(path)).statusCode, `${role} GET ${path}`).toBe(403);
        expect((await client.put(path, { holidays: [], workdays: [] })).statusCode, role).toBe(403);
      }
    }
  });

  it('400 naming the field for notification channels, writing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ smtp: null, webhookUrl: 'ftp://example.org/x', webhookSecret: HOOK_SECRET }, 'body.webhookUrl'],
      [{ smtp: null, webhookUrl: 'not a url', webhookSecret: HOOK_SECRET }, 'body.webhookUrl'],
      [{ smtp: null, webhookUrl: 'javascript:alert(1)', webhookSecret: HOOK_SECRET }, 'body.webhookUrl'],
      [{ smtp: null, webhookUrl: HOOK }, 'body.webhookSecret'],
      [{ smtp: null, webhookUrl: HOOK, webhookSecret: 'short' }, 'body.webhookSecret'],
      [{ smtp: { ...SMTP, port: 0 }, webhookUrl: null }, 'body.smtp.port'],
      [{ smtp: { ...SMTP, host: 'a b' }, webhookUrl: null }, 'body.smtp.host'],
      [{ smtp: { ...SMTP, from: 'nobody' }, webhookUrl: null }, 'body.smtp.from'],
      [{ smtp: { ...SMTP, pass: 'x' }, webhookUrl: null }, 'body.smtp.pass'],
      [{ webhookUrl: null }, 'body.smtp'],
    ];
    for (const [body, field] of cases) {
      const res = await sysadmin.put('/api/settings/notifications', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fieldOf(res), JSON.stringify(body)).toBe(field);
    }
    expect(await stored('webhook_url')).toBeUndefined();
    expect(await stored('smtp')).toBeUndefined();
    expect(await audits('settings.notifications.update')).toEqual([]);
  });

  it('400 naming the entry for holiday overrides: not a date, a date that does not exist, in both lists', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ holidays: ['2026/10/01'], workdays: [] }, 'body.holidays.0'],
      [{ holidays: ['2026-10-01', '2026-02-30'], workdays: [] }, 'body.holidays.1'],
      [{ holidays: [], workdays: ['2026-13-01'] }, 'body.workdays.0'],
      [{ holidays: ['2026-10-09'], workdays: ['2026-10-10', '2026-10-09'] }, 'body.workdays.1'],
      [{ holidays: [] }, 'body.workdays'],
    ];
    for (const [body, field] of cases) {
      const res = await sysadmin.put('/api/settings/holidays', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fieldOf(res), JSON.stringify(body)).toBe(field);
    }
    expect(await stored('holiday_overrides')).toBeUndefined();
  });
});

describe('settings: notification channels', () => {
  it('stores the secrets sealed, answers only whether they are set, and audits without them', async () => {
    expect((await sysadmin.get('/api/settings/notifications')).json()).toEqual({
      smtp: null,
      webhookUrl: null,
      webhookSecretSet: false,
    });
    const res = await sysadmin.put('/api/settings/notifications', {
      smtp: { ...SMTP, password: 'smtp-password-1' },
      webhookUrl: HOOK,
      webhookSecret: HOOK_SECRET,
    });
    expect(res.statusCode, res.body).toBe(200);
    const expected = { smtp: { ...SMTP, passwordSet: true }, webhookUrl: HOOK, webhookSecretSet: true };
    expect(res.json()).toEqual(expected);
    expect((await sysadmin.get('/api/settings/notifications')).json()).toEqual(expected);
    expect(res.body).not.toContain('smtp-password-1');
    expect(res.body).not.toContain(HOOK_SECRET);

    const secret = env.config.secret!;
    const smtp = (await stored('smtp')) as Record<string, string>;
    expect(JSON.stringify(smtp)).not.toContain('smtp-password-1');
    expect(openSecret(smtp.passwordSealed!, secret)).toBe('smtp-password-1');
    const hookSecret = (await stored('webhook_secret')) as string;
    expect(hookSecret).not.toContain(HOOK_SECRET);
    expect(openSecret(hookSecret, secret)).toBe(HOOK_SECRET);
    expect(await stored('webhook_url')).toBe(HOOK);
    // The outbox transport opens the password it signs in with.
    const mailer = await smtpFromSettings()(env.ctx);
    if (!mailer) throw new Error('smtp is not configured');
    const { options } = mailer.transporter as unknown as { options: { auth?: unknown } };
    expect(options.auth).toEqual({ user: 'gridgov', pass: 'smtp-password-1' });
    mailer.transporter.close();

    const [audit] = await audits('settings.notifications.update');
    expect(audit!.detail).toEqual({
      smtp: { host: SMTP.host, port: 465, secure: true, from: SMTP.from, auth: true, password: 'set' },
      webhook: { origin: 'https://hooks.example.org' },
      webhookSecret: 'set',
    });
    const text = JSON.stringify(audit);
    for (const s of ['smtp-password-1', HOOK_SECRET, 'token-in-the-query']) expect(text).not.toContain(s);
  });

  it('a secret left out is kept, an empty one is cleared; clearing the webhook clears its URL too', async () => {
    const before = (await stored('smtp')) as Record<string, string>;
    const kept = await sysadmin.put('/api/settings/notifications', {
      smtp: { ...SMTP, host: 'smtp2.example.gov.cn', port: 587, secure: false },
      webhookUrl: HOOK,
    });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({
      smtp: { host: 'smtp2.example.gov.cn', passwordSet: true },
      webhookSecretSet: true,
    });
    expect(((await stored('smtp')) as Record<string, string>).passwordSealed).toBe(before.passwordSealed);

    const cleared = await sysadmin.put('/api/settings/notifications', {
      smtp: { ...SMTP, user: '', password: '' },
      webhookUrl: null,
      webhookSecret: '',
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toEqual({
      smtp: { ...SMTP, user: '', passwordSet: false },
      webhookUrl: null,
      webhookSecretSet: false,
    });
    expect(await stored('webhook_secret')).toBeUndefined();
    expect(await stored('webhook_url')).toBeUndefined();
    // A URL with no secret stored any more is refused.
    const noSecret = await sysadmin.put('/api/settings/notifications', { smtp: null, webhookUrl: HOOK });
    expect(fieldOf(noSecret)).toBe('body.webhookSecret');

    const off = await sysadmin.put('/api/settings/notifications', { smtp: null, webhookUrl: null });
    expect(off.json()).toEqual({ smtp: null, webhookUrl: null, webhookSecretSet: false });
    expect(await stored('smtp')).toBeUndefined();
    const details = (await audits('settings.notifications.update')).map((a) => a.detail);
    expect(details.slice(1)).toEqual([
      expect.objectContaining({ webhookSecret: 'kept', smtp: expect.objectContaining({ password: 'kept' }) }),
      expect.objectContaining({ webhook: null, webhookSecret: 'cleared' }),
      { smtp: null, webhook: null, webhookSecret: 'kept' },
    ]);
  });
});

describe('settings: holiday overrides', () => {
  /** A town-level category with a 1-working-day accept limit, reported on Monday 2 March 2026, 09:00. */
  async function acceptDueAt(): Promise<string> {
    const road = await env.handle.db
      .selectFrom('category')
      .select('id')
      .where('code', '=', 'construction.road')
      .executeTakeFirstOrThrow();
    env.clock.set('2026-03-02T01:00:00Z');
    const worker = await as('网格员', village);
    const res = await worker.post('/api/matters', {
      categoryId: road.id,
      title: '路灯不亮',
      description: '村口路灯不亮',
      gridId: village.id,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().deadline.dueAt;
  }

  it('an override makes a weekday a holiday: the due date moves; audited; removing it moves it back', async () => {
    // No override: due when Tuesday ends.
    expect(await acceptDueAt()).toBe(new Date('2026-03-04T00:00:00+08:00').toISOString());

    const res = await sysadmin.put('/api/settings/holidays', {
      holidays: ['2026-03-03', '2027-02-10', '2026-03-03'],
      workdays: ['2027-02-07'],
    });
    expect(res.statusCode, res.body).toBe(200);
    const overrides = { holidays: ['2026-03-03', '2027-02-10'], workdays: ['2027-02-07'] };
    expect(res.json()).toEqual(overrides);
    expect((await sysadmin.get('/api/settings/holidays')).json()).toEqual(overrides);
    // Tuesday is now a day off: the one working day is Wednesday.
    expect(await acceptDueAt()).toBe(new Date('2026-03-05T00:00:00+08:00').toISOString());

    const [audit] = await audits('settings.holidays.update');
    expect(audit!.detail).toEqual({
      added: overrides,
      removed: { holidays: [], workdays: [] },
    });

    await sysadmin.put('/api/settings/holidays', { holidays: ['2027-02-10'], workdays: ['2027-02-07'] });
    expect(await acceptDueAt()).toBe(new Date('2026-03-04T00:00:00+08:00').toISOString());
    expect((await audits('settings.holidays.update'))[1]!.detail).toEqual({
      added: { holidays: [], workdays: [] },
      removed: { holidays: ['2026-03-03'], workdays: [] },
    });
  });
});
