import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow } from '../../db/schema/types.ts';
import { buildGrid, buildUser, signIn } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

const square = (x: number, y: number, size = 1) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});

/** A county with two sibling towns, each with a village and a grid, and a user per town. */
async function siblings() {
  const db = env.handle.db;
  const county = await buildGrid(db, { polygon: square(100, 30, 2) });
  const townA = await buildGrid(db, { parent: county, polygon: square(100, 30, 1) });
  const townB = await buildGrid(db, { parent: county, polygon: square(101, 30, 1) });
  const villageA = await buildGrid(db, { parent: townA, polygon: square(100, 30, 0.5) });
  const gridA = await buildGrid(db, { parent: villageA, polygon: square(100, 30, 0.25) });
  const villageB = await buildGrid(db, { parent: townB, polygon: square(101, 30, 0.5) });
  const userA = await buildUser(db, env.config, { grid: townA, roles: [{ role: '乡镇（街道）指挥中心' }] });
  const userB = await buildUser(db, env.config, { grid: townB, roles: [{ role: '乡镇（街道）指挥中心' }] });
  const worker = await buildUser(db, env.config, { grid: gridA, roles: [{ role: '网格员' }] });
  const sys = await buildUser(db, env.config, { grid: county, roles: [{ role: '系统管理员' }] });
  return { county, townA, townB, villageA, villageB, gridA, userA, userB, worker, sys };
}

describe('grids', () => {
  let t: Awaited<ReturnType<typeof siblings>>;
  let a: Client;
  let b: Client;
  let sys: Client;
  beforeAll(async () => {
    t = await siblings();
    a = await signIn(env.app, t.userA, env.clock);
    b = await signIn(env.app, t.userB, env.clock);
    sys = await signIn(env.app, t.sys, env.clock);
  });

  it('401 when not signed in', async () => {
    expect((await anonymous(env.app).get(`/api/grids/${t.townA.id}`)).statusCode).toBe(401);
    expect((await anonymous(env.app).get('/api/grids/roots')).statusCode).toBe(401);
  });

  it('400 naming the field for bad params and bodies', async () => {
    const res = await a.get('/api/grids/abc');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('params.id');
    const lookup = await a.get('/api/grids/lookup?lng=500&lat=1');
    expect(lookup.statusCode).toBe(400);
    expect(lookup.json().error.details[0].field).toBe('querystring.lng');
    const open = await sys.post('/api/grids', {
      parentId: t.villageA.id,
      code: 'X1',
      name: '坏网格',
      polygon: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      },
    });
    expect(open.statusCode).toBe(400);
    expect(open.json().error.details[0].field).toBe('polygon');
  });

  it('404 for another subtree, on every grid route (existence does not leak)', async () => {
    for (const url of [
      `/api/grids/${t.townB.id}`,
      `/api/grids/${t.townB.id}/children`,
      `/api/grids/${t.townB.id}/geometry`,
    ]) {
      expect((await a.get(url)).statusCode, url).toBe(404);
    }
    expect((await a.get(`/api/grids/${t.county.id}`)).statusCode).toBe(404);
    expect((await a.get('/api/grids/99999999')).statusCode).toBe(404);
  });

  it('403 for writes by staff without grid.manage, in their own scope', async () => {
    expect((await a.patch(`/api/grids/${t.townA.id}`, { name: '改名' })).statusCode).toBe(403);
    expect(
      (await a.post('/api/grids', { parentId: t.villageA.id, code: 'N1', name: '新网格' })).statusCode,
    ).toBe(403);
  });

  it('lists only in-scope rows: roots, children, search and lookup agree with single-object access', async () => {
    const roots = (await a.get('/api/grids/roots')).json();
    expect(roots.map((r: GridRow) => r.id)).toEqual([t.townA.id]);
    const children = (await a.get(`/api/grids/${t.townA.id}/children`)).json();
    expect(children.map((r: GridRow) => r.id)).toEqual([t.villageA.id]);
    expect(children[0].childCount).toBe(1);
    const search = (await a.get(`/api/grids/search?q=${encodeURIComponent('测试')}`)).json() as GridRow[];
    expect(search.length).toBeGreaterThan(0);
    for (const row of search) expect((await a.get(`/api/grids/${row.id}`)).statusCode).toBe(200);
    expect(search.some((r) => r.id === t.townB.id)).toBe(false);
    expect((await a.get('/api/grids/lookup?lng=101.1&lat=30.1')).json().grid).toBeNull();
    expect((await b.get('/api/grids/lookup?lng=101.1&lat=30.1')).json().grid.id).toBe(t.villageB.id);
  });

  it('point lookup returns the deepest containing grid', async () => {
    expect((await a.get('/api/grids/lookup?lng=100.1&lat=30.1')).json().grid.id).toBe(t.gridA.id);
    expect((await a.get('/api/grids/lookup?lng=100.7&lat=30.7')).json().grid.id).toBe(t.townA.id);
    expect((await a.get('/api/grids/lookup?lng=10&lat=10')).json().grid).toBeNull();
  });

  it('a grid worker sees only their own grid', async () => {
    const w = await signIn(env.app, t.worker, env.clock);
    expect((await w.get('/api/grids/roots')).json().map((r: GridRow) => r.id)).toEqual([t.gridA.id]);
    expect((await w.get(`/api/grids/${t.villageA.id}`)).statusCode).toBe(404);
    const detail = (await w.get(`/api/grids/${t.gridA.id}`)).json();
    expect(detail.ancestors).toEqual([]);
    expect(detail.abilities).toEqual({ update: false, addChild: false, manageStaff: false });
  });

  it('detail shows ancestors in scope, staff, and the geometry of the node and its children', async () => {
    const detail = (await a.get(`/api/grids/${t.gridA.id}`)).json();
    expect(detail.ancestors.map((x: GridRow) => x.id)).toEqual([t.townA.id, t.villageA.id]);
    const geo = (await a.get(`/api/grids/${t.villageA.id}/geometry`)).json();
    expect(
      geo.features.map((f: { properties: { id: number; self: boolean } }) => [
        f.properties.id,
        f.properties.self,
      ]),
    ).toEqual([
      [t.villageA.id, true],
      [t.gridA.id, false],
    ]);
  });

  it('the system administrator creates, edits and staffs nodes; each write is audited', async () => {
    const created = await sys.post('/api/grids', {
      parentId: t.gridA.id,
      code: `M${t.gridA.id}`,
      name: '第1微网格',
      households: 40,
      polygon: square(100, 30, 0.1),
    });
    expect(created.statusCode, created.body).toBe(200);
    const micro = created.json();
    expect(micro).toMatchObject({
      level: 'micro_grid',
      households: 40,
      abilities: { addChild: false, update: true },
    });
    expect(micro.path).toBe(`${t.gridA.path}${micro.id}/`);
    expect(
      (await sys.post('/api/grids', { parentId: t.gridA.id, code: `M${t.gridA.id}`, name: '重复' }))
        .statusCode,
    ).toBe(409);
    expect(
      (await sys.post('/api/grids', { parentId: micro.id, code: 'deeper', name: '更深' })).statusCode,
    ).toBe(400);
    expect((await a.get('/api/grids/lookup?lng=100.05&lat=30.05')).json().grid.id).toBe(micro.id);
    const renamed = await sys.patch(`/api/grids/${micro.id}`, { name: '一号微网格' });
    expect(renamed.json().name).toBe('一号微网格');
    const staffed = await sys.put(`/api/grids/${t.gridA.id}/staff`, {
      staff: [{ accountId: t.worker.id, duty: 'grid_worker' }],
    });
    expect(staffed.statusCode, staffed.body).toBe(200);
    expect(staffed.json().staff).toEqual([
      { accountId: t.worker.id, displayName: expect.any(String), duty: 'grid_worker' },
    ]);
    const bad = await sys.put(`/api/grids/${t.gridA.id}/staff`, {
      staff: [{ accountId: 99999999, duty: 'grid_worker' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('staff.0.accountId');
    const actions = await env.handle.db
      .selectFrom('audit')
      .select('action')
      .where('object_id', '=', String(micro.id))
      .execute();
    expect(actions.map((r) => r.action)).toEqual(['grid.create', 'grid.update']);
  });
});
