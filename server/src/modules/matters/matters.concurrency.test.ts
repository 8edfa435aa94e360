import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildWorld, categoryId, expectStatus, type World } from './matters.test-world.ts';

/** On PGlite requests serialize; on PostgreSQL (`npm run test:pg`) they race for real. */
let env: TestEnv;
let w: World;
let road: number;
beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
  road = await categoryId(env, 'construction.road');
});
afterAll(async () => env?.close());

const body = () => ({ categoryId: road, title: '井盖缺失', description: '路口井盖缺失', gridId: w.gridA.id });

async function countMatters(title: string) {
  const rows = await env.handle.db.selectFrom('matter').select('id').where('title', '=', title).execute();
  return rows.length;
}

describe('matters: concurrency', () => {
  it('8 parallel signs of one dispatched matter: exactly one wins, the rest get 409', async () => {
    const m = expectStatus(await w.clients.worker.post('/api/matters', body()), 200);
    expectStatus(await w.clients.town.post(`/api/matters/${m.id}/transitions`, { name: 'accept' }), 200);
    expectStatus(
      await w.clients.town.post(`/api/matters/${m.id}/transitions`, {
        name: 'dispatch',
        assignee: { gridId: w.villageA.id },
      }),
      200,
    );
    const signers = [w.clients.village, w.clients.village2, w.clients.town, w.clients.county];
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        signers[i % signers.length]!.post(`/api/matters/${m.id}/transitions`, { name: 'sign' }),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().error.code).toBe('CONFLICT');
    const events = await env.handle.db
      .selectFrom('matter_event')
      .select('action')
      .where('matter_id', '=', m.id)
      .where('action', '=', 'sign')
      .execute();
    expect(events).toHaveLength(1);
    const audits = await env.handle.db
      .selectFrom('audit')
      .select('id')
      .where('action', '=', 'matter.sign')
      .where('object_id', '=', String(m.id))
      .execute();
    expect(audits).toHaveLength(1);
  });

  it('8 parallel reports with one Idempotency-Key: one matter, every response the same', async () => {
    const title = `并发上报${Date.now()}`;
    const key = `k-${Date.now()}:1.a_b`;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        w.clients.worker.post('/api/matters', { ...body(), title }, { 'idempotency-key': key }),
      ),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const ids = new Set(results.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
    expect(await countMatters(title)).toBe(1);
    const [id] = [...ids];
    const reports = await env.handle.db
      .selectFrom('audit')
      .select('id')
      .where('action', '=', 'matter.report')
      .where('object_id', '=', String(id))
      .execute();
    expect(reports).toHaveLength(1);

    const later = await w.clients.worker.post(
      '/api/matters',
      { ...body(), title },
      { 'idempotency-key': key },
    );
    expect(later.json().id).toBe(id);
    const otherKey = await w.clients.worker.post(
      '/api/matters',
      { ...body(), title },
      { 'idempotency-key': `${key}-2` },
    );
    expect(otherKey.json().id).not.toBe(id);
    const otherAccount = await w.clients.village.post(
      '/api/matters',
      { ...body(), title },
      { 'idempotency-key': key },
    );
    expect(otherAccount.json().id).not.toBe(id);
    expect(await countMatters(title)).toBe(3);
  });

  it('a failed request stores nothing: the same key works once the input is fixed', async () => {
    const key = `fix-${Date.now()}`;
    const title = `修正后上报${Date.now()}`;
    const bad = await w.clients.worker.post(
      '/api/matters',
      { ...body(), title, gridId: w.gridB.id },
      { 'idempotency-key': key },
    );
    expect(bad.statusCode).toBe(404);
    const good = await w.clients.worker.post(
      '/api/matters',
      { ...body(), title },
      { 'idempotency-key': key },
    );
    expect(good.statusCode).toBe(200);
    expect(await countMatters(title)).toBe(1);
  });

  it('transitions with an Idempotency-Key: a retried dispatch or sign gets the first answer, applied once', async () => {
    const m = expectStatus(await w.clients.worker.post('/api/matters', body()), 200);
    expectStatus(await w.clients.town.post(`/api/matters/${m.id}/transitions`, { name: 'accept' }), 200);
    const url = `/api/matters/${m.id}/transitions`;
    // The version the caller saw: without the key, a retry would be refused as stale.
    const dispatch = {
      name: 'dispatch',
      version: m.version + 1,
      assignee: { gridId: w.villageA.id },
      note: '请村里处理',
    };

    const bad = await w.clients.town.post(url, dispatch, { 'idempotency-key': 'no spaces' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('headers.idempotency-key');

    const key = `dispatch-${Date.now()}`;
    const first = await w.clients.town.post(url, dispatch, { 'idempotency-key': key });
    const retry = await w.clients.town.post(url, dispatch, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(200);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.body).toBe(first.body);
    expect(first.json()).toMatchObject({ state: 'dispatched', version: m.version + 2 });
    const withoutKey = await w.clients.town.post(url, dispatch);
    expect(withoutKey.statusCode).toBe(409);
    expect(withoutKey.json().error.details).toMatchObject({ version: m.version + 2 });
    // The key belongs to that dispatch of that matter: another transition with it is refused.
    const reused = await w.clients.town.post(
      url,
      { name: 'escalate', reason: '上报' },
      { 'idempotency-key': key },
    );
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.details[0].field).toBe('headers.idempotency-key');

    const signKey = `sign-${Date.now()}`;
    const signs = await Promise.all(
      [1, 2].map(() =>
        w.clients.village.post(url, { name: 'sign', version: m.version + 2 }, { 'idempotency-key': signKey }),
      ),
    );
    for (const r of signs) expect(r.statusCode, r.body).toBe(200);
    expect(signs[1]!.body).toBe(signs[0]!.body);
    expect(signs[0]!.json()).toMatchObject({ state: 'signed', version: m.version + 3 });

    const actions = await env.handle.db
      .selectFrom('matter_event')
      .select('action')
      .where('matter_id', '=', m.id)
      .orderBy('id')
      .execute();
    expect(actions.map((e) => e.action)).toEqual(['report', 'accept', 'dispatch', 'sign']);
    const audits = await env.handle.db
      .selectFrom('audit')
      .select('action')
      .where('object_type', '=', 'matter')
      .where('object_id', '=', String(m.id))
      .orderBy('id')
      .execute();
    expect(audits.map((a) => a.action)).toEqual([
      'matter.report',
      'matter.accept',
      'matter.dispatch',
      'matter.sign',
    ]);
  });
});
