import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow } from '../../db/schema/types.ts';
import { MINUTE } from '../../lib/clock.ts';
import { buildGrid, buildUser, signIn } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { DEFAULT_POLICY } from '../auth/policy.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

async function as(role: string, at?: GridRow): Promise<Client> {
  const grid = at ?? (await buildGrid(env.handle.db));
  const u = await buildUser(env.handle.db, env.config, { grid, roles: [{ role }] });
  return signIn(env.app, u, env.clock);
}

describe('security policy', () => {
  it('401 without a session; 403 for the system and audit administrators and staff', async () => {
    expect((await anonymous(env.app).get('/api/security-policy')).statusCode).toBe(401);
    for (const role of ['系统管理员', '审计管理员', '网格员']) {
      const client = await as(role);
      expect((await client.get('/api/security-policy')).statusCode, role).toBe(403);
      expect((await client.put('/api/security-policy', DEFAULT_POLICY)).statusCode, role).toBe(403);
    }
  });

  it('400 naming the field for values out of bounds, missing or unknown', async () => {
    const client = await as('安全管理员');
    const cases: [Record<string, unknown>, string][] = [
      [{ ...DEFAULT_POLICY, passwordMinLength: 6 }, 'body.passwordMinLength'],
      [{ ...DEFAULT_POLICY, passwordClasses: 2 }, 'body.passwordClasses'],
      [{ ...DEFAULT_POLICY, idleMinutes: 600 }, 'body.idleMinutes'],
      [{ ...DEFAULT_POLICY, lockoutThreshold: 0 }, 'body.lockoutThreshold'],
      [{ ...DEFAULT_POLICY, inactiveDays: 7 }, 'body.inactiveDays'],
      [{ ...DEFAULT_POLICY, inactiveDays: undefined }, 'body.inactiveDays'],
      [{ ...DEFAULT_POLICY, superUser: true }, 'body.superUser'],
    ];
    for (const [body, field] of cases) {
      const res = await client.put('/api/security-policy', body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.details[0].field).toBe(field);
    }
  });

  it('reads the defaults, saves a change that applies at once, and audits what changed', async () => {
    const client = await as('安全管理员');
    expect((await client.get('/api/security-policy')).json()).toEqual(DEFAULT_POLICY);
    const next = { ...DEFAULT_POLICY, idleMinutes: 10, passwordMinLength: 20 };
    const res = await client.put('/api/security-policy', next);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(next);
    expect((await client.get('/api/security-policy')).json()).toEqual(next);
    const audit = await env.handle.db
      .selectFrom('audit')
      .select(['detail'])
      .where('action', '=', 'policy.update')
      .executeTakeFirstOrThrow();
    expect(audit.detail).toEqual({
      changes: { idleMinutes: { from: 30, to: 10 }, passwordMinLength: { from: 8, to: 20 } },
    });

    const grid = await buildGrid(env.handle.db);
    const staff = await signIn(
      env.app,
      await buildUser(env.handle.db, env.config, { grid, roles: [{ role: '网格员' }] }),
      env.clock,
    );
    env.clock.advance(11 * MINUTE);
    expect((await staff.get('/api/auth/me')).statusCode).toBe(401);

    const security = await as('安全管理员', grid);
    const target = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: '网格员' }] });
    const reset = await security.post(`/api/accounts/${target.id}/reset-password`);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().initialPassword.length).toBeGreaterThanOrEqual(20);
  });
});
