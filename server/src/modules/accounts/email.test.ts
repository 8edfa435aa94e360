import { Writable } from 'node:stream';
import type { Account } from '@gridgov/common/schemas/accounts';
import type { Me } from '@gridgov/common/schemas/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import type { GridRow } from '../../db/schema/types.ts';
import { buildGrid, buildUser, signIn } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

const SYSTEM = '系统管理员';
const SECURITY = '安全管理员';
const WORKER = '网格员';

const user = (grid: GridRow, role?: string) =>
  buildUser(env.handle.db, env.config, { grid, roles: role ? [{ role }] : [] });

async function clientOf(role: string, grid: GridRow): Promise<{ id: number; client: Client }> {
  const u = await user(grid, role);
  return { id: u.id, client: await signIn(env.app, u, env.clock) };
}

const fieldOf = (res: { json(): { error?: { details?: { field: string }[] } } }) =>
  res.json().error?.details?.[0]?.field;

const emailAudits = (accountId: number) =>
  env.handle.db
    .selectFrom('audit')
    .selectAll()
    .where('action', '=', 'account.email.update')
    .where('object_id', '=', String(accountId))
    .orderBy('id')
    .execute();

const stored = (accountId: number) =>
  env.handle.db
    .selectFrom('account')
    .select(['email', 'notify_email'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();

describe('account e-mail: refusals', () => {
  it('401 without a session', async () => {
    const anon = anonymous(env.app);
    expect((await anon.patch('/api/auth/me', { email: 'a@example.org' })).statusCode).toBe(401);
    expect((await anon.patch('/api/accounts/1', { email: 'a@example.org' })).statusCode).toBe(401);
  });

  it('400 naming the field for an invalid or missing address, on create, edit and the profile', async () => {
    const root = await buildGrid(env.handle.db);
    const system = await clientOf(SYSTEM, root);
    const target = await user(root, WORKER);
    const me = await clientOf(WORKER, root);
    const bad = [
      'not-an-email',
      'a@b',
      'zhang san@example.org',
      ' a@example.org',
      `${'x'.repeat(250)}@e.org`,
    ];
    for (const email of bad) {
      const created = await system.client.post('/api/accounts', {
        username: `e_${Date.now()}`,
        displayName: '王五',
        homeGridId: root.id,
        email,
      });
      expect(created.statusCode, email).toBe(400);
      expect(fieldOf(created), email).toBe('body.email');
      const edited = await system.client.patch(`/api/accounts/${target.id}`, { email });
      expect(edited.statusCode, email).toBe(400);
      expect(fieldOf(edited), email).toBe('body.email');
      const own = await me.client.patch('/api/auth/me', { email });
      expect(own.statusCode, email).toBe(400);
      expect(fieldOf(own), email).toBe('body.email');
    }
    const blank = await system.client.post('/api/accounts', {
      username: `e_${Date.now()}`,
      displayName: '王五',
      homeGridId: root.id,
      email: '',
    });
    expect(fieldOf(blank)).toBe('body.email');
    const missing = await system.client.patch(`/api/accounts/${target.id}`, {});
    expect(fieldOf(missing)).toBe('body.email');
    const extra = await me.client.patch('/api/auth/me', { email: 'a@example.org', displayName: 'x' });
    expect(fieldOf(extra)).toBe('body.displayName');
    expect((await me.client.patch('/api/auth/me', {})).statusCode).toBe(400);
    const switchType = await me.client.patch('/api/auth/me', { emailNotifications: 'yes' });
    expect(fieldOf(switchType)).toBe('body.emailNotifications');
    // The switch needs an address.
    const noAddress = await me.client.patch('/api/auth/me', { emailNotifications: true });
    expect(noAddress.statusCode).toBe(400);
    expect(fieldOf(noAddress)).toBe('body.emailNotifications');
    const cleared = await me.client.patch('/api/auth/me', { email: null, emailNotifications: true });
    expect(fieldOf(cleared)).toBe('body.emailNotifications');
    expect(await stored(me.id)).toEqual({ email: null, notify_email: false });
    expect(await stored(target.id)).toEqual({ email: null, notify_email: false });
    expect(await emailAudits(me.id)).toEqual([]);
    expect(await emailAudits(target.id)).toEqual([]);
  });

  it('404 outside the administrator’s scope, 403 without account.manage or on oneself', async () => {
    const root = await buildGrid(env.handle.db);
    const a = await buildGrid(env.handle.db, { parent: root });
    const b = await buildGrid(env.handle.db, { parent: root });
    const systemA = await clientOf(SYSTEM, a);
    const security = await clientOf(SECURITY, root);
    const worker = await clientOf(WORKER, root);
    const inB = await user(b, WORKER);
    const body = { email: 'duty@example.org' };
    expect((await systemA.client.patch(`/api/accounts/${inB.id}`, body)).statusCode).toBe(404);
    expect((await systemA.client.patch('/api/accounts/2147483647', body)).statusCode).toBe(404);
    expect((await security.client.patch(`/api/accounts/${inB.id}`, body)).statusCode).toBe(403);
    expect((await worker.client.patch(`/api/accounts/${inB.id}`, body)).statusCode).toBe(403);
    const self = await systemA.client.patch(`/api/accounts/${systemA.id}`, body);
    expect(self.statusCode).toBe(403);
    expect(await stored(inB.id)).toEqual({ email: null, notify_email: false });
    expect(await stored(systemA.id)).toEqual({ email: null, notify_email: false });
    // What the list tells the web beforehand.
    const seen = (await security.client.get(`/api/accounts/${inB.id}`)).json() as Account;
    expect(seen.abilities.update).toBe(false);
    const selfSeen = (await systemA.client.get(`/api/accounts/${systemA.id}`)).json() as Account;
    expect(selfSeen.abilities.update).toBe(false);
  });
});

describe('account e-mail: the system administrator', () => {
  it('sets the address at creation and changes or clears it later, audited without the address', async () => {
    const root = await buildGrid(env.handle.db);
    const system = await clientOf(SYSTEM, root);
    const username = `mail_${Date.now()}`;
    const created = await system.client.post('/api/accounts', {
      username,
      displayName: '孙七',
      homeGridId: root.id,
      email: 'sun.qi@jiedao.example.gov.cn',
    });
    expect(created.statusCode, created.body).toBe(200);
    const account = created.json().account as Account;
    expect(account).toMatchObject({
      email: 'sun.qi@jiedao.example.gov.cn',
      emailNotifications: false,
      abilities: { update: true },
    });
    const createAudit = await env.handle.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'account.create')
      .where('object_id', '=', String(account.id))
      .executeTakeFirstOrThrow();
    expect(createAudit.detail).toMatchObject({ email: 'set' });
    expect(JSON.stringify(createAudit)).not.toContain('sun.qi');

    const changed = await system.client.patch(`/api/accounts/${account.id}`, {
      email: 'sunqi@jiedao.example.gov.cn',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ email: 'sunqi@jiedao.example.gov.cn', emailNotifications: false });
    const listed = (await system.client.get(`/api/accounts?q=${username}`)).json();
    expect(listed.items[0].email).toBe('sunqi@jiedao.example.gov.cn');

    // The staff member turns e-mail on; the administrator's change of address keeps it on, clearing turns it off.
    await env.handle.db
      .updateTable('account')
      .set({ notify_email: true })
      .where('id', '=', account.id)
      .execute();
    const again = await system.client.patch(`/api/accounts/${account.id}`, { email: 'sq@example.gov.cn' });
    expect(again.json()).toMatchObject({ email: 'sq@example.gov.cn', emailNotifications: true });
    const unchanged = await system.client.patch(`/api/accounts/${account.id}`, {
      email: 'sq@example.gov.cn',
    });
    expect(unchanged.statusCode).toBe(200);
    const cleared = await system.client.patch(`/api/accounts/${account.id}`, { email: null });
    expect(cleared.json()).toMatchObject({ email: null, emailNotifications: false });

    const audits = await emailAudits(account.id);
    expect(audits.map((a) => a.detail)).toEqual([
      { email: 'changed', emailNotifications: false },
      { email: 'changed', emailNotifications: true },
      { email: 'unchanged', emailNotifications: true },
      { email: 'cleared', emailNotifications: false },
    ]);
    expect(audits.every((a) => a.actor_id === system.id && a.object_path === root.path)).toBe(true);
    expect(JSON.stringify(audits)).not.toMatch(/sunqi|sq@|example/);
  });
});

describe('account e-mail: one’s own profile', () => {
  it('any signed-in staff member sets their address and the switch; clearing the address turns it off', async () => {
    const root = await buildGrid(env.handle.db);
    const me = await clientOf(WORKER, root);
    const before = (await me.client.get('/api/auth/me')).json() as Me;
    expect(before).toMatchObject({ email: null, emailNotifications: false });

    const set = await me.client.patch('/api/auth/me', { email: 'wanggeyuan@example.org' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ email: 'wanggeyuan@example.org', emailNotifications: false });
    const on = await me.client.patch('/api/auth/me', { emailNotifications: true });
    expect(on.json()).toMatchObject({ email: 'wanggeyuan@example.org', emailNotifications: true });
    expect(((await me.client.get('/api/auth/me')).json() as Me).emailNotifications).toBe(true);
    const both = await me.client.patch('/api/auth/me', {
      email: 'wgy@example.org',
      emailNotifications: true,
    });
    expect(both.json()).toMatchObject({ email: 'wgy@example.org', emailNotifications: true });
    const off = await me.client.patch('/api/auth/me', { emailNotifications: false });
    expect(off.json()).toMatchObject({ email: 'wgy@example.org', emailNotifications: false });
    await me.client.patch('/api/auth/me', { emailNotifications: true });
    const cleared = await me.client.patch('/api/auth/me', { email: null });
    expect(cleared.json()).toMatchObject({ email: null, emailNotifications: false });
    expect(await stored(me.id)).toEqual({ email: null, notify_email: false });
    // An empty string clears too (the validator reads '' as null).
    await me.client.patch('/api/auth/me', { email: 'wgy@example.org' });
    const blank = await me.client.patch('/api/auth/me', { email: '' });
    expect(blank.json()).toMatchObject({ email: null, emailNotifications: false });

    const audits = await emailAudits(me.id);
    expect(audits.map((a) => a.detail)).toEqual([
      { email: 'set', emailNotifications: false },
      { email: 'unchanged', emailNotifications: true },
      { email: 'changed', emailNotifications: true },
      { email: 'unchanged', emailNotifications: false },
      { email: 'unchanged', emailNotifications: true },
      { email: 'cleared', emailNotifications: false },
      { email: 'set', emailNotifications: false },
      { email: 'cleared', emailNotifications: false },
    ]);
    expect(audits.every((a) => a.actor_id === me.id && a.object_path === root.path)).toBe(true);
    expect(JSON.stringify(audits)).not.toMatch(/wanggeyuan|wgy|example/);
  });

  it('administrators set their own address on the profile too', async () => {
    const root = await buildGrid(env.handle.db);
    const security = await clientOf(SECURITY, root);
    const res = await security.client.patch('/api/auth/me', {
      email: 'sec@example.org',
      emailNotifications: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      email: 'sec@example.org',
      emailNotifications: true,
      kind: 'security',
    });
  });

  it('a session still in a sign-in stage cannot change it (403)', async () => {
    const root = await buildGrid(env.handle.db);
    const u = await buildUser(env.handle.db, env.config, {
      grid: root,
      roles: [{ role: WORKER }],
      mustChangePassword: true,
    });
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: u.password },
    });
    expect(login.json().stage).toBe('password');
    const res = await env.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      payload: { email: 'early@example.org' },
      headers: {
        cookie: String(login.headers['set-cookie']).split(';')[0]!,
        'x-csrf-token': login.json().csrfToken,
      },
    });
    expect(res.statusCode).toBe(403);
    expect(await stored(u.id)).toEqual({ email: null, notify_email: false });
  });
});

describe('account e-mail: logs', () => {
  it('the address never reaches the request log, valid or not', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const app = await buildApp({
      handle: env.handle,
      config: env.config,
      clock: env.clock,
      logger: { level: 'trace', stream },
    });
    await app.ready();
    try {
      const root = await buildGrid(env.handle.db);
      const system = await clientOf(SYSTEM, root);
      const target = await user(root, WORKER);
      const send = (email: string) =>
        app.inject({
          method: 'PATCH',
          url: `/api/accounts/${target.id}`,
          payload: { email },
          headers: { cookie: system.client.cookie, 'x-csrf-token': system.client.csrfToken },
        });
      expect((await send('log.check@example.org')).statusCode).toBe(200);
      expect((await send('log.check@invalid')).statusCode).toBe(400);
    } finally {
      await app.close();
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain('log.check');
  });
});
