import type { MatterSummary } from '@gridgov/common/schemas/matters';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatterRow } from '../../db/schema/types.ts';
import { HOUR } from '../../lib/clock.ts';
import type { Ctx } from '../../lib/context.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildMatter } from '../../test/matter-factory.ts';
import {
  ctxOf,
  patchMatter,
  type SiblingTowns,
  siblingTowns,
  signInAll,
} from '../../test/matters-read.fixture.ts';
import { haversineMetres } from './matters.list.ts';
import { coversMatter } from './matters.scope.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

type Clients = Record<keyof SiblingTowns['users'], Client>;
const byNumber = (a: number, b: number) => a - b;

async function list(c: Client, qs = ''): Promise<{ ids: number[]; items: MatterSummary[]; total: number }> {
  const res = await c.get(`/api/matters?${qs.includes('limit=') ? '' : 'limit=200'}${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { items: MatterSummary[]; total: number };
  return { ids: body.items.map((m) => m.id), items: body.items, total: body.total };
}
const sortedIds = async (c: Client, qs = '') => (await list(c, qs)).ids.sort(byNumber);
const idsOf = (...ms: MatterRow[]) => ms.map((m) => m.id).sort(byNumber);

async function categoryId(code: string): Promise<number> {
  const row = await env.handle.db
    .selectFrom('category')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('matter list: failures first', () => {
  let t: SiblingTowns;
  let c: Clients;
  beforeAll(async () => {
    t = await siblingTowns(env);
    c = await signInAll(env, t.users);
  });

  it('401 when not signed in, on every read route', async () => {
    const anon = anonymous(env.app);
    for (const url of [
      '/api/matters',
      '/api/matters/todo-counts',
      '/api/matters/duplicates?categoryId=1&lng=116&lat=39',
      '/api/matters/export.xlsx',
    ]) {
      expect((await anon.get(url)).statusCode, url).toBe(401);
    }
  });

  it('400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/api/matters?state=nope', 'querystring.state.0'],
      ['/api/matters?limit=0', 'querystring.limit'],
      ['/api/matters?limit=201', 'querystring.limit'],
      ['/api/matters?deadline=late', 'querystring.deadline'],
      ['/api/matters?todo=everything', 'querystring.todo'],
      ['/api/matters?from=yesterday', 'querystring.from'],
      ['/api/matters?supervised=maybe', 'querystring.supervised'],
      ['/api/matters?owner=1', 'querystring.owner'],
      ['/api/matters?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'querystring.to'],
      ['/api/matters/duplicates?categoryId=1&lng=116', 'querystring.lat'],
      ['/api/matters/duplicates?categoryId=1&lng=190&lat=39', 'querystring.lng'],
    ];
    for (const [url, field] of cases) {
      const res = await c.townA.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details[0].field, url).toBe(field);
    }
    expect((await c.townA.get(`/api/matters?q=${'x'.repeat(65)}`)).statusCode).toBe(400);
  });

  it('404 for a grid filter outside the caller’s scope or unknown', async () => {
    expect((await c.townA.get(`/api/matters?gridId=${t.townB.id}`)).statusCode).toBe(404);
    expect((await c.townA.get(`/api/matters?gridId=${t.county.id}`)).statusCode).toBe(404);
    expect((await c.village.get(`/api/matters?gridId=${t.villageA2.id}`)).statusCode).toBe(404);
    expect((await c.townA.get('/api/matters?gridId=2000000000')).statusCode).toBe(404);
    expect((await c.townA.get(`/api/matters?gridId=${t.villageA.id}`)).statusCode).toBe(200);
  });

  it('403 without the permission', async () => {
    expect((await c.auditor.get('/api/matters')).statusCode).toBe(403);
    expect((await c.auditor.get('/api/matters/todo-counts')).statusCode).toBe(403);
    expect((await c.village.get('/api/matters/export.xlsx')).statusCode).toBe(403);
    expect((await c.dept.get('/api/matters/export.xlsx')).statusCode).toBe(403);
  });
});

describe('access suite: two sibling towns', () => {
  let t: SiblingTowns;
  let c: Clients;
  let all: MatterRow[];
  let fireLane: number;
  const lng = 116.4;
  const lat = 39.9;
  const near = (dLng: number, dLat: number) => ({ lng: lng + dLng, lat: lat + dLat });

  beforeAll(async () => {
    t = await siblingTowns(env);
    c = await signInAll(env, t.users);
    fireLane = await categoryId('safety.fire_lane');
    const db = env.handle.db;
    const b = (opts: Parameters<typeof buildMatter>[2]) => buildMatter(db, env.clock, opts);
    const at = async (m: Promise<MatterRow>, dLng: number, dLat: number) =>
      patchMatter(db, await m, near(dLng, dLat));
    all = [
      await at(b({ grid: t.gridA, owner: t.townA }), 0.0005, 0),
      await at(
        b({ grid: t.villageA, owner: t.villageA, state: 'dispatched', assignee: t.villageA }),
        0,
        0.0005,
      ),
      await at(
        b({
          grid: t.villageA2,
          owner: t.townA,
          assignee: t.townA,
          departmentId: t.deptD.id,
          state: 'dispatched',
        }),
        0.0003,
        0.0003,
      ),
      await at(
        b({
          grid: t.villageA,
          owner: t.townA,
          assignee: t.townA,
          departmentId: t.deptE.id,
          state: 'in_progress',
        }),
        0,
        0.0001,
      ),
      await at(b({ grid: t.villageB, owner: t.townB }), 0.0002, 0),
      // Placed in town B, owned by the county, assigned to town A: town A reads it by its assignee.
      await at(b({ grid: t.villageB, owner: t.county, assignee: t.townA, state: 'dispatched' }), 0.0001, 0),
      await at(
        b({
          grid: t.villageB,
          owner: t.townB,
          assignee: t.townB,
          departmentId: t.deptD.id,
          state: 'signed',
        }),
        0,
        0.0002,
      ),
      await at(b({ grid: t.county, owner: t.county }), 0.0004, 0),
    ];
  });

  const USERS = ['townA', 'townB', 'county', 'village', 'dept', 'worker'] as const;

  async function expected(
    user: (typeof USERS)[number],
    perm: 'matter.read' | 'matter.export' = 'matter.read',
  ) {
    const home = {
      townA: t.townA,
      townB: t.townB,
      county: t.county,
      village: t.villageA,
      dept: t.townA,
      worker: t.gridA,
    }[user];
    const ctx: Ctx = await ctxOf(env, t.users[user], home);
    return {
      ctx,
      ids: all
        .filter((m) => coversMatter(ctx, perm, m))
        .map((m) => m.id)
        .sort(byNumber),
    };
  }

  it('each list holds exactly the matters the single-object rule covers', async () => {
    for (const user of USERS) {
      const { ids } = await expected(user);
      const got = await list(c[user]);
      expect(got.ids.sort(byNumber), user).toEqual(ids);
      expect(got.total, user).toBe(ids.length);
    }
    expect(await sortedIds(c.townA)).toEqual(idsOf(all[0]!, all[1]!, all[2]!, all[3]!, all[5]!));
    expect(await sortedIds(c.townB)).toEqual(idsOf(all[4]!, all[5]!, all[6]!));
  });

  it('department users see only their department’s matters within their subtree', async () => {
    expect(await sortedIds(c.dept)).toEqual(idsOf(all[2]!));
  });

  it('the detail route (when mounted) agrees with the list: 200 for every listed row, 404 for the others', async () => {
    if (!env.app.hasRoute({ method: 'GET', url: '/api/matters/:id' })) return;
    for (const user of ['townA', 'townB', 'dept'] as const) {
      const { ids } = await expected(user);
      for (const m of all) {
        const res = await c[user].get(`/api/matters/${m.id}`);
        expect(res.statusCode, `${user} ${m.id}`).toBe(ids.includes(m.id) ? 200 : 404);
      }
    }
  });

  it('every filtered list, to-do list and to-do count stays in scope', async () => {
    for (const user of USERS) {
      const { ids } = await expected(user);
      const counts = (await c[user].get('/api/matters/todo-counts')).json();
      for (const todo of ['accept', 'sign', 'handle', 'verify', 'overdue'] as const) {
        const got = await list(c[user], `&todo=${todo}`);
        expect(
          got.ids.every((id) => ids.includes(id)),
          `${user} ${todo}`,
        ).toBe(true);
        expect(got.total, `${user} ${todo}`).toBe(counts[todo]);
      }
      const dispatched = await list(c[user], '&state=dispatched&state=in_progress');
      expect(
        dispatched.ids.every((id) => ids.includes(id)),
        user,
      ).toBe(true);
    }
    // The department's matter in town B waits on the department, not on town B's centre.
    expect((await c.townB.get('/api/matters/todo-counts')).json()).toMatchObject({
      accept: 1,
      sign: 0,
      handle: 0,
    });
  });

  it('duplicates hold only in-scope matters', async () => {
    for (const user of USERS) {
      const { ids } = await expected(user);
      const res = await c[user].get(`/api/matters/duplicates?categoryId=${fireLane}&lng=${lng}&lat=${lat}`);
      expect(res.statusCode, res.body).toBe(200);
      const got = (res.json() as MatterSummary[]).map((m) => m.id).sort(byNumber);
      expect(got, user).toEqual(ids);
    }
  });

  it('the export holds only matters the caller may read and export', async () => {
    for (const user of ['townA', 'townB', 'county'] as const) {
      const { ids } = await expected(user, 'matter.export');
      const res = await c[user].get('/api/matters/export.xlsx');
      expect(res.statusCode, res.body).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
      const sheet = workbook.getWorksheet('事项清单')!;
      const codes: string[] = [];
      sheet.eachRow((row, n) => {
        if (n > 1) codes.push(String(row.getCell(1).value));
      });
      const expectedCodes = all.filter((m) => ids.includes(m.id)).map((m) => m.code);
      expect(codes.sort(), user).toEqual(expectedCodes.sort());
      expect(res.headers['x-total-count']).toBe(String(ids.length));
    }
  });
});

describe('filters', () => {
  let t: SiblingTowns;
  let c: Clients;
  const m: Record<string, MatterRow> = {};
  beforeAll(async () => {
    t = await siblingTowns(env);
    c = await signInAll(env, t.users);
    const db = env.handle.db;
    const now = env.clock.now().getTime();
    const b = (opts: Parameters<typeof buildMatter>[2]) => buildMatter(db, env.clock, opts);
    m.hazard = await patchMatter(db, await b({ grid: t.gridA, title: '消防通道被占用' }), {
      created_at: new Date(now - 3 * 24 * HOUR),
      code: `QZ${t.gridA.id}A`,
    });
    m.gas = await patchMatter(
      db,
      await b({ grid: t.villageA, categoryCode: 'safety.gas', state: 'accepted' }),
      {
        created_at: new Date(now - 2 * 24 * HOUR),
        problem: true,
      },
    );
    m.dispute = await patchMatter(
      db,
      await b({
        grid: t.villageA2,
        categoryCode: 'dispute.neighbour',
        state: 'dispatched',
        title: '邻里噪音',
      }),
      { created_at: new Date(now - 24 * HOUR), open_supervisions: 2 },
    );
    m.overdue = await patchMatter(db, await b({ grid: t.villageA2, state: 'in_progress' }), {
      created_at: new Date(now - 12 * HOUR),
      due_at: new Date(now - HOUR),
    });
    m.warning = await patchMatter(db, await b({ grid: t.gridA, state: 'signed' }), {
      created_at: new Date(now - 6 * HOUR),
      warned: true,
    });
    m.paused = await patchMatter(db, await b({ grid: t.gridA, state: 'in_progress' }), {
      created_at: new Date(now - 3 * HOUR),
      due_at: new Date(now - HOUR),
      overdue: true,
      paused_at: new Date(now - 2 * HOUR),
      flags: ['paused'],
    });
    m.closed = await patchMatter(db, await b({ grid: t.gridA, state: 'closed' }), {
      created_at: new Date(now - HOUR),
    });
    await db
      .insertInto('matter_party')
      .values({ matter_id: m.hazard.id, role: 'requester', name: '欧阳锋', phone: '13912345678' })
      .execute();
  });

  it('newest first, with paging and the total', async () => {
    const all = await list(c.townA);
    expect(all.ids).toEqual(
      [m.closed, m.paused, m.warning, m.overdue, m.dispute, m.gas, m.hazard].map((x) => x!.id),
    );
    expect(all.total).toBe(7);
    const page = await list(c.townA, '&limit=2&offset=2');
    expect(page.ids).toEqual([m.warning!.id, m.overdue!.id]);
    expect(page.total).toBe(7);
    expect((await list(c.townA, '&offset=6')).ids).toEqual([m.hazard!.id]);
    expect((await list(c.townA, '&offset=7')).ids).toEqual([]);
    expect((await c.townA.get('/api/matters')).json().items.length).toBe(7);
  });

  it('presents names, flags and the deadline light', async () => {
    const { items } = await list(c.townA);
    const get = (x: MatterRow) => items.find((i) => i.id === x.id)!;
    expect(get(m.hazard!)).toMatchObject({
      code: m.hazard!.code,
      type: 'hazard',
      category: { nameZh: '消防通道堵塞' },
      grid: { id: t.gridA.id, name: t.gridA.name },
      owner: { id: t.gridA.id },
      assignee: null,
      department: null,
      deadline: { step: 'accept', status: 'ok' },
    });
    expect(get(m.overdue!).deadline.status).toBe('overdue');
    expect(get(m.warning!).deadline.status).toBe('warning');
    expect(get(m.paused!).deadline.status).toBe('paused');
    expect(get(m.paused!).flags).toEqual(['paused']);
    expect(get(m.closed!).deadline).toEqual({ step: null, dueAt: null, warnAt: null, status: 'none' });
    expect(get(m.dispute!).openSupervisions).toBe(2);
    expect(get(m.gas!).problem).toBe(true);
    expect(Object.keys(get(m.hazard!))).not.toContain('parties');
  });

  it('type, category (a group includes its children) and state', async () => {
    expect(await sortedIds(c.townA, '&type=dispute')).toEqual(idsOf(m.dispute!));
    const safety = await categoryId('safety');
    expect(await sortedIds(c.townA, `&categoryId=${safety}`)).toEqual(
      idsOf(m.hazard!, m.gas!, m.overdue!, m.warning!, m.paused!, m.closed!),
    );
    expect(await sortedIds(c.townA, `&categoryId=${await categoryId('safety.gas')}`)).toEqual(idsOf(m.gas!));
    expect(await sortedIds(c.townA, '&state=accepted')).toEqual(idsOf(m.gas!));
    expect(await sortedIds(c.townA, '&state=accepted&state=closed')).toEqual(idsOf(m.gas!, m.closed!));
  });

  it('grid: the subtree of the place', async () => {
    expect(await sortedIds(c.townA, `&gridId=${t.villageA.id}`)).toEqual(
      idsOf(m.hazard!, m.gas!, m.warning!, m.paused!, m.closed!),
    );
    expect(await sortedIds(c.townA, `&gridId=${t.villageA2.id}`)).toEqual(idsOf(m.dispute!, m.overdue!));
    expect(await sortedIds(c.village, `&gridId=${t.gridA.id}`)).toEqual(
      idsOf(m.hazard!, m.warning!, m.paused!, m.closed!),
    );
  });

  it('from (inclusive) and to (exclusive) on the creation time', async () => {
    const now = env.clock.now().getTime();
    const from = new Date(now - 24 * HOUR).toISOString();
    const to = new Date(now - 6 * HOUR).toISOString();
    expect(await sortedIds(c.townA, `&from=${from}&to=${to}`)).toEqual(idsOf(m.dispute!, m.overdue!));
    expect(await sortedIds(c.townA, `&to=${from}`)).toEqual(idsOf(m.hazard!, m.gas!));
    expect((await list(c.townA, `&from=${from}&to=${from}`)).total).toBe(0);
  });

  it('deadline, supervised and problem', async () => {
    expect(await sortedIds(c.townA, '&deadline=overdue')).toEqual(idsOf(m.overdue!));
    expect(await sortedIds(c.townA, '&deadline=warning')).toEqual(idsOf(m.warning!));
    expect(await sortedIds(c.townA, '&supervised=true')).toEqual(idsOf(m.dispute!));
    expect((await list(c.townA, '&supervised=false')).total).toBe(6);
    expect(await sortedIds(c.townA, '&problem=true')).toEqual(idsOf(m.gas!));
    expect((await list(c.townA, '&problem=false')).total).toBe(6);
  });

  it('q matches the code prefix and the title substring, never personal information', async () => {
    expect(await sortedIds(c.townA, `&q=${encodeURIComponent(`qz${t.gridA.id}`)}`)).toEqual(idsOf(m.hazard!));
    expect(await sortedIds(c.townA, `&q=${encodeURIComponent('通道被')}`)).toEqual(idsOf(m.hazard!));
    expect(await sortedIds(c.townA, `&q=${encodeURIComponent('噪音')}`)).toEqual(idsOf(m.dispute!));
    expect((await list(c.townA, `&q=${encodeURIComponent(`${t.gridA.id}A`)}`)).total).toBe(0);
    expect((await list(c.townA, `&q=${encodeURIComponent('欧阳锋')}`)).total).toBe(0);
    expect((await list(c.townA, '&q=13912345678')).total).toBe(0);
    expect((await list(c.townA, `&q=${encodeURIComponent('%')}`)).total).toBe(0);
    expect((await list(c.townA, '&q=_')).total).toBe(0);
  });

  it('filters combine with AND', async () => {
    expect(
      await sortedIds(c.townA, `&type=hazard&gridId=${t.gridA.id}&state=in_progress&state=signed`),
    ).toEqual(idsOf(m.warning!, m.paused!));
    expect((await list(c.townA, '&type=dispute&problem=true')).total).toBe(0);
  });
});

describe('to-do lists and counts', () => {
  let t: SiblingTowns;
  let c: Clients;
  const m: Record<string, MatterRow> = {};
  beforeAll(async () => {
    t = await siblingTowns(env);
    c = await signInAll(env, t.users);
    const db = env.handle.db;
    const b = (opts: Parameters<typeof buildMatter>[2]) => buildMatter(db, env.clock, opts);
    const u = t.users;
    m.acc1 = await b({ grid: t.gridA, owner: t.villageA, state: 'reported' });
    m.acc2 = await b({ grid: t.villageA2, owner: t.townA, state: 'accepted' });
    m.sg1 = await b({ grid: t.villageA, owner: t.townA, assignee: t.villageA, state: 'dispatched' });
    m.sg2 = await b({
      grid: t.villageA,
      owner: t.townA,
      assignee: t.townA,
      departmentId: t.deptD.id,
      state: 'dispatched',
    });
    m.hd1 = await b({ grid: t.gridA, owner: t.villageA, assignee: t.gridA, state: 'in_progress' });
    m.hd2 = await b({
      grid: t.villageA2,
      owner: t.townA,
      assignee: t.townA,
      departmentId: t.deptD.id,
      state: 'signed',
    });
    m.vf1 = await b({
      grid: t.gridA,
      owner: t.villageA,
      assignee: t.gridA,
      state: 'handled',
      handlerId: u.village.id,
    });
    m.vf2 = await b({ grid: t.villageA, owner: t.villageA, state: 'handled', handlerId: u.worker.id });
    m.ov1 = await patchMatter(db, await b({ grid: t.villageA, owner: t.villageA, state: 'in_progress' }), {
      overdue: true,
    });
    m.wn1 = await patchMatter(
      db,
      await b({ grid: t.villageA, owner: t.townA, assignee: t.villageA, state: 'dispatched' }),
      { warned: true },
    );
    m.sp1 = await patchMatter(db, await b({ grid: t.villageA, owner: t.villageA, state: 'accepted' }), {
      open_supervisions: 1,
    });
    m.cl1 = await patchMatter(db, await b({ grid: t.gridA, state: 'closed' }), { overdue: true });
    m.b1 = await b({ grid: t.villageB, owner: t.townB, state: 'reported' });
  });

  it('each to-do list holds the matters waiting on the caller, and the counts agree', async () => {
    // To-dos are at the caller's own level: the owner accepts, the assignee (or its department) signs and
    // handles, the owning level or the community over the place verifies. The county waits only on what
    // was escalated to it; it oversees the rest through the list filters.
    const want: Record<string, Record<string, MatterRow[]>> = {
      townA: { accept: [m.acc2!], sign: [], handle: [], verify: [], overdue: [] },
      village: {
        accept: [m.acc1!, m.sp1!],
        sign: [m.sg1!, m.wn1!],
        handle: [m.ov1!],
        verify: [m.vf2!],
        overdue: [m.ov1!],
      },
      worker: { accept: [], sign: [], handle: [m.hd1!], verify: [], overdue: [] },
      dept: { accept: [], sign: [m.sg2!], handle: [m.hd2!], verify: [], overdue: [] },
      county: { accept: [], sign: [], handle: [], verify: [], overdue: [] },
      townB: { accept: [m.b1!], sign: [], handle: [], verify: [], overdue: [] },
    };
    for (const [user, todos] of Object.entries(want)) {
      const client = c[user as keyof Clients];
      const counts = (await client.get('/api/matters/todo-counts')).json();
      for (const [todo, rows] of Object.entries(todos)) {
        expect(await sortedIds(client, `&todo=${todo}`), `${user} ${todo}`).toEqual(idsOf(...rows));
        expect(counts[todo], `${user} ${todo}`).toBe(rows.length);
      }
    }
  });

  it('counts warnings and supervised matters among the caller’s to-dos', async () => {
    expect((await c.village.get('/api/matters/todo-counts')).json()).toEqual({
      accept: 2,
      sign: 2,
      handle: 1,
      verify: 1,
      overdue: 1,
      warning: 1,
      supervised: 1,
    });
    expect((await c.worker.get('/api/matters/todo-counts')).json()).toEqual({
      accept: 0,
      sign: 0,
      handle: 1,
      verify: 0,
      overdue: 0,
      warning: 0,
      supervised: 0,
    });
  });

  it('a to-do filter combines with the other filters', async () => {
    expect(await sortedIds(c.village, `&todo=sign&gridId=${t.villageA.id}&deadline=warning`)).toEqual(
      idsOf(m.wn1!),
    );
  });
});

describe('duplicates', () => {
  let t: SiblingTowns;
  let c: Clients;
  const m: Record<string, MatterRow> = {};
  const lng = 100.2;
  const lat = 25.6;
  let fireLane: number;

  beforeAll(async () => {
    t = await siblingTowns(env);
    c = await signInAll(env, t.users);
    fireLane = await categoryId('safety.fire_lane');
    const db = env.handle.db;
    const now = env.clock.now().getTime();
    const b = async (opts: Parameters<typeof buildMatter>[2], set: Partial<MatterRow>) =>
      patchMatter(db, await buildMatter(db, env.clock, opts), set);
    m.near = await b({ grid: t.gridA }, { lng, lat: lat + 0.001 });
    m.nearer = await b({ grid: t.villageA, state: 'in_progress' }, { lng: lng + 0.0005, lat });
    m.edge = await b({ grid: t.villageA }, { lng, lat: lat + 0.0017 });
    // Inside the bounding box, outside the circle (about 225 m away).
    m.corner = await b({ grid: t.villageA }, { lng: lng + 0.0015, lat: lat + 0.0015 });
    m.far = await b({ grid: t.villageA }, { lng, lat: lat + 0.0025 });
    m.farLng = await b({ grid: t.villageA }, { lng: lng + 0.0025, lat });
    m.old = await b({ grid: t.villageA }, { lng, lat, created_at: new Date(now - 8 * 24 * HOUR) });
    m.closed = await b({ grid: t.villageA, state: 'closed' }, { lng, lat });
    m.gas = await b({ grid: t.villageA, categoryCode: 'safety.gas' }, { lng, lat });
    m.noPoint = await b({ grid: t.villageA }, {});
    m.sibling = await b({ grid: t.villageB }, { lng: lng + 0.0001, lat });
  });

  it('the great-circle distance', () => {
    expect(haversineMetres(lng, lat, lng, lat)).toBe(0);
    expect(haversineMetres(lng, lat, lng, lat + 0.001)).toBeCloseTo(111.2, 0);
    expect(haversineMetres(lng, lat, lng + 0.0025, lat)).toBeGreaterThan(200);
    expect(haversineMetres(lng, lat, lng + 0.0019, lat)).toBeLessThan(200);
    expect(haversineMetres(lng, lat, lng + 0.0015, lat + 0.0015)).toBeGreaterThan(200);
  });

  it('open matters of the category within 200 m and 7 days, in scope, nearest first', async () => {
    const res = await c.townA.get(`/api/matters/duplicates?categoryId=${fireLane}&lng=${lng}&lat=${lat}`);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as MatterSummary[]).map((x) => x.id)).toEqual([m.nearer!.id, m.near!.id, m.edge!.id]);
    const sib = await c.townB.get(`/api/matters/duplicates?categoryId=${fireLane}&lng=${lng}&lat=${lat}`);
    expect((sib.json() as MatterSummary[]).map((x) => x.id)).toEqual([m.sibling!.id]);
  });

  it('a group category includes its children', async () => {
    const safety = await categoryId('safety');
    const res = await c.townA.get(`/api/matters/duplicates?categoryId=${safety}&lng=${lng}&lat=${lat}`);
    expect((res.json() as MatterSummary[]).map((x) => x.id).sort(byNumber)).toEqual(
      idsOf(m.nearer!, m.near!, m.edge!, m.gas!),
    );
  });

  it('nothing nearby → an empty list', async () => {
    const res = await c.townA.get(`/api/matters/duplicates?categoryId=${fireLane}&lng=10&lat=10`);
    expect(res.json()).toEqual([]);
  });
});
