import { SAVED_VIEWS_MAX } from '@gridgov/common/schemas/saved-views';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { type SiblingTowns, siblingTowns, signInAll } from '../../test/matters-read.fixture.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

type Clients = Record<keyof SiblingTowns['users'], Client>;

describe('saved views', () => {
  let c: Clients;
  beforeAll(async () => {
    const t = await siblingTowns(env);
    c = await signInAll(env, t.users);
  });

  it('401 when not signed in', async () => {
    const anon = anonymous(env.app);
    expect((await anon.get('/api/saved-views')).statusCode).toBe(401);
    expect((await anon.post('/api/saved-views', { name: 'x', filters: {} })).statusCode).toBe(401);
    expect((await anon.delete('/api/saved-views/1')).statusCode).toBe(401);
  });

  it('400 naming the field: the filters are the list’s, without paging', async () => {
    const cases: [unknown, string][] = [
      [{ filters: {} }, 'body.name'],
      [{ name: '', filters: {} }, 'body.name'],
      [{ name: 'x'.repeat(65), filters: {} }, 'body.name'],
      [{ name: '待办' }, 'body.filters'],
      [{ name: '待办', filters: { limit: 10 } }, 'body.filters.limit'],
      [{ name: '待办', filters: { phone: '139' } }, 'body.filters.phone'],
      [{ name: '待办', filters: { state: ['nope'] } }, 'body.filters.state.0'],
      [{ name: '待办', filters: { todo: 'all' } }, 'body.filters.todo'],
      [
        { name: '待办', filters: { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' } },
        'body.filters.to',
      ],
      [{ name: '待办', filters: {}, shared: true }, 'body.shared'],
    ];
    for (const [body, field] of cases) {
      const res = await c.townA.post('/api/saved-views', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.details[0].field, JSON.stringify(body)).toBe(field);
    }
    expect((await c.townA.delete('/api/saved-views/abc')).statusCode).toBe(400);
  });

  it('403 without matter.read', async () => {
    expect((await c.auditor.get('/api/saved-views')).statusCode).toBe(403);
    expect((await c.auditor.post('/api/saved-views', { name: 'x', filters: {} })).statusCode).toBe(403);
  });

  it('404 for another account’s view, which stays untouched', async () => {
    const mine = (
      await c.townA.post('/api/saved-views', { name: '我的超期', filters: { deadline: 'overdue' } })
    ).json();
    expect((await c.townB.delete(`/api/saved-views/${mine.id}`)).statusCode).toBe(404);
    expect((await c.townB.delete('/api/saved-views/2000000000')).statusCode).toBe(404);
    expect((await c.townB.get('/api/saved-views')).json()).toEqual([]);
    expect((await c.townA.get('/api/saved-views')).json().map((v: { id: number }) => v.id)).toEqual([
      mine.id,
    ]);
  });

  it('creates, lists and deletes the caller’s own views', async () => {
    const filters = {
      state: ['dispatched', 'signed'],
      todo: 'sign',
      supervised: true,
      q: '井盖',
      from: '2026-01-01T00:00:00.000Z',
    };
    const res = await c.village.post('/api/saved-views', { name: '待签收', filters });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view).toEqual({
      id: expect.any(Number),
      name: '待签收',
      filters,
      createdAt: env.clock.now().toISOString(),
    });
    expect((await c.village.get('/api/saved-views')).json()).toEqual([view]);
    // The stored filters work as list filters as they are.
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) for (const x of [v].flat()) qs.append(k, String(x));
    expect((await c.village.get(`/api/matters?${qs}`)).statusCode).toBe(200);
    expect((await c.village.delete(`/api/saved-views/${view.id}`)).json()).toEqual({ ok: true });
    expect((await c.village.get('/api/saved-views')).json()).toEqual([]);
    expect((await c.village.delete(`/api/saved-views/${view.id}`)).statusCode).toBe(404);
  });

  it('409 for a name the caller already uses; another account may use it', async () => {
    expect((await c.worker.post('/api/saved-views', { name: '本周', filters: {} })).statusCode).toBe(200);
    const again = await c.worker.post('/api/saved-views', { name: '本周', filters: { problem: true } });
    expect(again.statusCode).toBe(409);
    expect((await c.dept.post('/api/saved-views', { name: '本周', filters: {} })).statusCode).toBe(200);
  });

  it(`409 beyond ${SAVED_VIEWS_MAX} views per account`, async () => {
    const created = await Promise.all(
      Array.from({ length: SAVED_VIEWS_MAX + 3 }, (_, i) =>
        c.county.post('/api/saved-views', { name: `视图${i}`, filters: { problem: i % 2 === 0 } }),
      ),
    );
    expect(created.filter((r) => r.statusCode === 200)).toHaveLength(SAVED_VIEWS_MAX);
    expect(created.filter((r) => r.statusCode === 409)).toHaveLength(3);
    expect((await c.county.get('/api/saved-views')).json()).toHaveLength(SAVED_VIEWS_MAX);
  });
});
