import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepSessions } from './jobs.ts';
import { HOUR } from './lib/clock.ts';
import { buildGrid, buildUser, signIn } from './test/factories.ts';
import { createTestEnv, type TestEnv } from './test/harness.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

describe('session sweep', () => {
  it('deletes sessions past their absolute lifetime and keeps the others', async () => {
    const grid = await buildGrid(env.handle.db);
    const user = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: '网格员' }] });
    await signIn(env.app, user, env.clock);
    const count = async () =>
      (await env.handle.db.selectFrom('session').select('id').where('account_id', '=', user.id).execute())
        .length;
    expect(await count()).toBe(1);
    expect(await sweepSessions(env.ctx)).toBe(0);
    env.clock.advance(12 * HOUR + 1);
    expect(await sweepSessions(env.ctx)).toBeGreaterThanOrEqual(1);
    expect(await count()).toBe(0);
  });
});
