import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../lib/audit.ts';
import { MINUTE } from '../../lib/clock.ts';
import { buildGrid, buildUser, signIn, TEST_PASSWORD } from '../../test/factories.ts';
import { anonymous, clientFor, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { totpCode } from './totp.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

const login = (username: string, password: string) =>
  env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('sign-in', () => {
  it('401 without a session, 400 naming the field for a bad body', async () => {
    expect((await anonymous(env.app).get('/api/auth/me')).statusCode).toBe(401);
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION');
    expect(res.json().error.details[0].field).toBe('body.password');
  });

  it('wrong password is 401 with a generic message; unknown user the same', async () => {
    const grid = await buildGrid(env.handle.db);
    const user = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: '网格员' }] });
    const a = await login(user.username, 'nope');
    const b = await login('no-such-user', 'nope');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().error.message).toBe(b.json().error.message);
  });

  it('locks the account after 5 failures for 15 minutes, counted in the database', async () => {
    const grid = await buildGrid(env.handle.db);
    const user = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: '网格员' }] });
    for (let i = 0; i < 5; i++) expect((await login(user.username, 'wrong')).statusCode).toBe(401);
    const locked = await login(user.username, TEST_PASSWORD);
    expect(locked.statusCode).toBe(401);
    expect(locked.json().error.details.locked).toBe(true);
    env.clock.advance(15 * MINUTE + 1000);
    expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('a staff member signs in and sees their context; the session cookie is HttpOnly and SameSite', async () => {
    const grid = await buildGrid(env.handle.db);
    const user = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: '网格员' }] });
    const res = await login(user.username, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const client = clientFor(env.app, cookie.split(';')[0], res.json().csrfToken);
    const me = await client.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      username: user.username,
      stage: 'active',
      kind: 'business',
      roles: ['网格员'],
    });
    expect(me.json().permissions).toContain('matter.report');
  });

  it('expires the session after 30 idle minutes but not while in use', async () => {
    const grid = await buildGrid(env.handle.db);
    const user = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: '网格员' }] });
    const client = await signIn(env.app, user, env.clock);
    for (let i = 0; i < 4; i++) {
      env.clock.advance(20 * MINUTE);
      expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    }
    env.clock.advance(31 * MINUTE);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('administrators need the second factor; a replayed code is refused', async () => {
    const grid = await buildGrid(env.handle.db);
    const admin = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: '安全管理员' }] });
    const res = await login(admin.username, TEST_PASSWORD);
    expect(res.json().stage).toBe('totp');
    const client = clientFor(env.app, String(res.headers['set-cookie']).split(';')[0], res.json().csrfToken);
    expect((await client.get('/api/auth/me')).json().permissions).toEqual([]);
    const code = totpCode(admin.totpSecret!, env.clock.now());
    expect(
      (await client.post('/api/auth/totp', { code: '000000' === code ? '111111' : '000000' })).statusCode,
    ).toBe(400);
    const ok = await client.post('/api/auth/totp', { code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().stage).toBe('active');
    const again = await login(admin.username, TEST_PASSWORD);
    const c2 = clientFor(env.app, String(again.headers['set-cookie']).split(';')[0], again.json().csrfToken);
    expect((await c2.post('/api/auth/totp', { code })).statusCode).toBe(400);
  });

  it('forces a password change on first sign-in and applies the policy', async () => {
    const grid = await buildGrid(env.handle.db);
    const user = await buildUser(env.handle.db, env.config, {
      grid,
      roles: [{ role: '网格员' }],
      mustChangePassword: true,
    });
    const res = await login(user.username, TEST_PASSWORD);
    expect(res.json().stage).toBe('password');
    const client = clientFor(env.app, String(res.headers['set-cookie']).split(';')[0], res.json().csrfToken);
    const weak = await client.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'password',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details.map((d: { field: string }) => d.field)).toContain('newPassword');
    const common = await client.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'P@ssw0rd',
    });
    expect(common.statusCode).toBe(400);
    const ok = await client.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Lvshui-Qingshan-9',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().stage).toBe('active');
  });

  it('refuses cookie-authenticated writes without the CSRF token', async () => {
    const grid = await buildGrid(env.handle.db);
    const user = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: '网格员' }] });
    const client = await signIn(env.app, user, env.clock);
    const noCsrf = clientFor(env.app, client.cookie);
    const res = await noCsrf.post('/api/auth/logout');
    expect(res.statusCode).toBe(403);
    expect((await client.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('audits sign-ins and denials in an intact hash chain', async () => {
    const rows = await env.handle.db.selectFrom('audit').select(['action', 'result']).execute();
    expect(rows.some((r) => r.action === 'auth.login' && r.result === 'success')).toBe(true);
    expect(rows.some((r) => r.action === 'auth.login' && r.result === 'failure')).toBe(true);
    expect(rows.some((r) => r.action === 'access.denied')).toBe(true);
    expect((await verifyAuditChain(env.handle.db)).ok).toBe(true);
  });
});
