import type { Supervision } from '@gridgov/common/schemas/matters';
import type { MatterState } from '@gridgov/common/workflow/matter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow, MatterRow } from '../../db/schema/types.ts';
import { DAY, MINUTE } from '../../lib/clock.ts';
import { buildGrid, buildUser, signIn, type TestUser } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildMatter } from '../../test/matter-factory.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

interface Staff {
  user: TestUser;
  client: Client;
}

interface World {
  county: GridRow;
  town1: GridRow;
  town2: GridRow;
  village1: GridRow;
  village2: GridRow;
  /** A grid cell under village 1: where the matters happen. */
  cell1: GridRow;
  countyCentre: Staff;
  town1Centre: Staff;
  town2Centre: Staff;
  /** Holds matter.supervise at the county and at town 1. */
  twoLevels: Staff;
  village1Staff: Staff;
  cellWorker: Staff;
}

let w: World;

async function staff(roles: { role: string; grid: GridRow }[]): Promise<Staff> {
  const user = await buildUser(env.handle.db, env.config, { grid: roles[0]!.grid, roles });
  return { user, client: await signIn(env.app, user, env.clock) };
}

beforeAll(async () => {
  const db = env.handle.db;
  const county = await buildGrid(db);
  const town1 = await buildGrid(db, { parent: county });
  const town2 = await buildGrid(db, { parent: county });
  const village1 = await buildGrid(db, { parent: town1 });
  const village2 = await buildGrid(db, { parent: town2 });
  const cell1 = await buildGrid(db, { parent: village1 });
  w = {
    county,
    town1,
    town2,
    village1,
    village2,
    cell1,
    countyCentre: await staff([{ role: '区县指挥中心', grid: county }]),
    town1Centre: await staff([{ role: '乡镇（街道）指挥中心', grid: town1 }]),
    town2Centre: await staff([{ role: '乡镇（街道）指挥中心', grid: town2 }]),
    twoLevels: await staff([
      { role: '区县指挥中心', grid: county },
      { role: '乡镇（街道）指挥中心', grid: town1 },
    ]),
    village1Staff: await staff([{ role: '村（社区）工作人员', grid: village1 }]),
    cellWorker: await staff([{ role: '网格员', grid: cell1 }]),
  };
});

/** A matter that happened in cell 1, owned by village 1 unless told otherwise, dispatched to village 1. */
function matter(opts: { owner?: GridRow; grid?: GridRow; state?: MatterState } = {}): Promise<MatterRow> {
  const state = opts.state ?? 'dispatched';
  const owner = opts.owner ?? w.village1;
  return buildMatter(env.handle.db, env.clock, {
    grid: opts.grid ?? w.cell1,
    owner,
    assignee: ['dispatched', 'signed', 'in_progress', 'handled'].includes(state) ? owner : null,
    state,
  });
}

const inDays = (n: number) => new Date(env.clock.now().getTime() + n * DAY).toISOString();
const order = (matterIds: number[], extra: Record<string, unknown> = {}) => ({
  matterIds,
  priority: 'high',
  reason: '群众反映强烈，请加快办理',
  deadline: inDays(3),
  ...extra,
});

async function issue(by: Staff, matterIds: number[]): Promise<Supervision[]> {
  const res = await by.client.post('/api/matters/supervisions', order(matterIds));
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function written(m: MatterRow) {
  const db = env.handle.db;
  const [row, orders, events] = await Promise.all([
    db.selectFrom('matter').select('open_supervisions').where('id', '=', m.id).executeTakeFirstOrThrow(),
    db
      .selectFrom('supervision')
      .select(['id', 'state'])
      .where('matter_id', '=', m.id)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('matter_event')
      .select(['action', 'actor_id', 'note'])
      .where('matter_id', '=', m.id)
      .orderBy('id')
      .execute(),
  ]);
  return { open: row.open_supervisions, orders, events };
}

async function auditActions(supervisionId: number): Promise<string[]> {
  const rows = await env.handle.db
    .selectFrom('audit')
    .select('action')
    .where('object_type', '=', 'supervision')
    .where('object_id', '=', String(supervisionId))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

async function notified(accountId: number, m: MatterRow, kind: string): Promise<number> {
  const rows = await env.handle.db
    .selectFrom('notification')
    .select('id')
    .where('account_id', '=', accountId)
    .where('matter_id', '=', m.id)
    .where('kind', '=', kind)
    .execute();
  return rows.length;
}

describe('supervision: refusals', () => {
  it('401 without a session on every route', async () => {
    const anon = anonymous(env.app);
    expect((await anon.post('/api/matters/supervisions', order([1]))).statusCode).toBe(401);
    expect((await anon.get('/api/matters/1/supervisions')).statusCode).toBe(401);
    expect((await anon.post('/api/supervisions/1/reply', { reply: '已处理' })).statusCode).toBe(401);
    expect((await anon.post('/api/supervisions/1/close', {})).statusCode).toBe(401);
  });

  it('400 naming the field; a deadline in the past writes nothing', async () => {
    const m = await matter();
    const c = w.town1Centre.client;
    const empty = await c.post('/api/matters/supervisions', order([]));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].field).toBe('body.matterIds');
    const { reason: _, ...noReason } = order([m.id]);
    expect((await c.post('/api/matters/supervisions', noReason)).json().error.details[0].field).toBe(
      'body.reason',
    );
    const badPriority = await c.post('/api/matters/supervisions', order([m.id], { priority: 'now' }));
    expect(badPriority.statusCode).toBe(400);
    const past = await c.post('/api/matters/supervisions', order([m.id], { deadline: inDays(-1) }));
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details).toEqual([{ field: 'body.deadline', message: 'must be in the future' }]);
    expect(await written(m)).toEqual({ open: 0, orders: [], events: [] });

    const [s] = await issue(w.town1Centre, [m.id]);
    const blank = await w.village1Staff.client.post(`/api/supervisions/${s!.id}/reply`, { reply: '' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.details[0].field).toBe('body.reply');
    const extra = await c.post(`/api/supervisions/${s!.id}/close`, { note: '好', other: 1 });
    expect(extra.statusCode).toBe(400);
  });

  it('404 for a matter in a sibling town, for the whole request, writing nothing', async () => {
    const mine = await matter();
    const theirs = await matter({ grid: w.village2, owner: w.village2 });
    const sibling = await w.town2Centre.client.post('/api/matters/supervisions', order([mine.id]));
    expect(sibling.statusCode).toBe(404);
    const mixed = await w.town1Centre.client.post('/api/matters/supervisions', order([mine.id, theirs.id]));
    expect(mixed.statusCode).toBe(404);
    const absent = await w.town1Centre.client.post('/api/matters/supervisions', order([mine.id, 2147483647]));
    expect(absent.statusCode).toBe(404);
    expect(await written(mine)).toEqual({ open: 0, orders: [], events: [] });
    expect(await written(theirs)).toEqual({ open: 0, orders: [], events: [] });

    const [s] = await issue(w.town1Centre, [mine.id]);
    expect((await w.town2Centre.client.get(`/api/matters/${mine.id}/supervisions`)).statusCode).toBe(404);
    expect(
      (await w.town2Centre.client.post(`/api/supervisions/${s!.id}/reply`, { reply: '好' })).statusCode,
    ).toBe(404);
    expect((await w.town2Centre.client.post(`/api/supervisions/${s!.id}/close`, {})).statusCode).toBe(404);
    expect((await w.town1Centre.client.get('/api/matters/2147483647/supervisions')).statusCode).toBe(404);
    expect(
      (await w.town1Centre.client.post('/api/supervisions/2147483647/reply', { reply: '好' })).statusCode,
    ).toBe(404);
    expect((await w.town1Centre.client.post('/api/supervisions/2147483647/close', {})).statusCode).toBe(404);
  });

  it('403 for a caller at the owner level or below it, writing nothing', async () => {
    const village = await matter();
    const sameLevel = await matter({ owner: w.town1, state: 'accepted' });
    const above = await matter({ owner: w.county, state: 'accepted' });
    for (const m of [sameLevel, above]) {
      const res = await w.town1Centre.client.post('/api/matters/supervisions', order([m.id]));
      expect(res.statusCode).toBe(403);
      expect(res.json().error.details).toMatchObject({ permission: 'matter.supervise', matterIds: [m.id] });
    }
    const mixed = await w.town1Centre.client.post(
      '/api/matters/supervisions',
      order([village.id, sameLevel.id]),
    );
    expect(mixed.statusCode).toBe(403);
    for (const m of [village, sameLevel, above])
      expect(await written(m)).toEqual({ open: 0, orders: [], events: [] });
    const denied = await env.handle.db
      .selectFrom('audit')
      .select('result')
      .where('action', '=', 'access.denied')
      .where('actor_id', '=', w.town1Centre.user.id)
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  it('403 for business users without matter.supervise', async () => {
    const m = await matter();
    for (const s of [w.village1Staff, w.cellWorker]) {
      const res = await s.client.post('/api/matters/supervisions', order([m.id]));
      expect(res.statusCode).toBe(403);
      expect(res.json().error.details).toEqual({ permission: 'matter.supervise' });
    }
    expect(await written(m)).toEqual({ open: 0, orders: [], events: [] });
  });

  it('403 to answer without handling the matter, or to close below the issuing level', async () => {
    const m = await matter();
    const [s] = await issue(w.town1Centre, [m.id]);
    // The grid worker reads the matter (it happened in the cell) but neither handles nor dispatches it.
    expect((await w.cellWorker.client.get(`/api/matters/${m.id}/supervisions`)).statusCode).toBe(200);
    expect(
      (await w.cellWorker.client.post(`/api/supervisions/${s!.id}/reply`, { reply: '好' })).statusCode,
    ).toBe(403);
    expect((await w.village1Staff.client.post(`/api/supervisions/${s!.id}/close`, {})).statusCode).toBe(403);
    expect((await w.cellWorker.client.post(`/api/supervisions/${s!.id}/close`, {})).statusCode).toBe(403);
    expect((await written(m)).orders).toEqual([{ id: s!.id, state: 'open' }]);
  });

  it('409 for a closed matter', async () => {
    const m = await matter({ state: 'closed' });
    const res = await w.town1Centre.client.post('/api/matters/supervisions', order([m.id]));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toMatchObject({ matterIds: [m.id], state: 'closed' });
    expect(await written(m)).toEqual({ open: 0, orders: [], events: [] });
  });
});

describe('supervision: lifecycle', () => {
  it('issues one order per matter from the deepest supervising level, counted and told', async () => {
    const a = await matter();
    const b = await matter({ state: 'in_progress' });
    const orders = await issue(w.town1Centre, [a.id, b.id, a.id]);
    expect(orders).toHaveLength(2);
    for (const [s, m] of [
      [orders[0], a],
      [orders[1], b],
    ] as const) {
      expect(s).toMatchObject({
        matterId: m.id,
        issuer: { id: w.town1Centre.user.id },
        issuerGrid: { id: w.town1.id, name: w.town1.name },
        priority: 'high',
        state: 'open',
        reply: null,
        repliedAt: null,
        automatic: false,
        abilities: { reply: false, close: true },
      });
      expect(await written(m)).toEqual({
        open: 1,
        orders: [{ id: s!.id, state: 'open' }],
        events: [{ action: 'supervise', actor_id: w.town1Centre.user.id, note: '群众反映强烈，请加快办理' }],
      });
      expect(await auditActions(s!.id)).toEqual(['supervision.create']);
      expect(await notified(w.village1Staff.user.id, m, 'supervision.create')).toBe(1);
      expect(await notified(w.town1Centre.user.id, m, 'supervision.create')).toBe(0);
    }

    const [fromCounty] = await issue(w.countyCentre, [a.id]);
    expect(fromCounty!.issuerGrid.id).toBe(w.county.id);
    const [fromBoth] = await issue(w.twoLevels, [a.id]);
    expect(fromBoth!.issuerGrid.id).toBe(w.town1.id);
    expect((await written(a)).open).toBe(3);
    // A town-owned matter is supervised from the county, never from the town itself.
    const townOwned = await matter({ owner: w.town1, state: 'accepted' });
    const [fromAbove] = await issue(w.twoLevels, [townOwned.id]);
    expect(fromAbove!.issuerGrid.id).toBe(w.county.id);
  });

  it('lists a matter’s orders with what each caller may do', async () => {
    const m = await matter();
    const [s] = await issue(w.town1Centre, [m.id]);
    const seen = async (who: Staff) => {
      const res = await who.client.get(`/api/matters/${m.id}/supervisions`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as Supervision[]).map((x) => ({ id: x.id, abilities: x.abilities }));
    };
    expect(await seen(w.village1Staff)).toEqual([{ id: s!.id, abilities: { reply: true, close: false } }]);
    expect(await seen(w.cellWorker)).toEqual([{ id: s!.id, abilities: { reply: false, close: false } }]);
    // The issuing level and those above it close the order; they do not answer it themselves.
    expect(await seen(w.town1Centre)).toEqual([{ id: s!.id, abilities: { reply: false, close: true } }]);
    expect(await seen(w.countyCentre)).toEqual([{ id: s!.id, abilities: { reply: false, close: true } }]);
    const own = await w.town1Centre.client.post(`/api/supervisions/${s!.id}/reply`, { reply: '已督促' });
    expect(own.statusCode).toBe(403);
  });

  it('the handling level answers once, the issuer is told; the issuing level closes once', async () => {
    const m = await matter();
    const [s] = await issue(w.town1Centre, [m.id]);
    env.clock.advance(5 * MINUTE);
    const reply = await w.village1Staff.client.post(`/api/supervisions/${s!.id}/reply`, {
      reply: '已清理完毕',
    });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json()).toMatchObject({
      state: 'replied',
      reply: '已清理完毕',
      repliedAt: env.clock.now().toISOString(),
      abilities: { reply: false, close: false },
    });
    const row = await env.handle.db
      .selectFrom('supervision')
      .select('replied_by')
      .where('id', '=', s!.id)
      .executeTakeFirstOrThrow();
    expect(row.replied_by).toBe(w.village1Staff.user.id);
    expect(await notified(w.town1Centre.user.id, m, 'supervision.reply')).toBe(1);
    const again = await w.village1Staff.client.post(`/api/supervisions/${s!.id}/reply`, {
      reply: '再次回复',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details).toEqual({ state: 'replied' });
    expect((await written(m)).open).toBe(1);

    const closed = await w.town1Centre.client.post(`/api/supervisions/${s!.id}/close`, { note: '办理到位' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ state: 'closed', abilities: { reply: false, close: false } });
    // The handling staff (the village dispatches and handles it) are told; the issuer closed it itself.
    expect(await notified(w.village1Staff.user.id, m, 'supervision.close')).toBe(1);
    expect(await notified(w.town1Centre.user.id, m, 'supervision.close')).toBe(0);
    expect(await notified(w.cellWorker.user.id, m, 'supervision.close')).toBe(0);
    expect((await w.town1Centre.client.post(`/api/supervisions/${s!.id}/close`, {})).statusCode).toBe(409);
    expect(
      (await w.village1Staff.client.post(`/api/supervisions/${s!.id}/reply`, { reply: '好' })).statusCode,
    ).toBe(409);
    expect(await written(m)).toEqual({
      open: 0,
      orders: [{ id: s!.id, state: 'closed' }],
      events: [
        { action: 'supervise', actor_id: w.town1Centre.user.id, note: '群众反映强烈，请加快办理' },
        { action: 'supervision_reply', actor_id: w.village1Staff.user.id, note: '已清理完毕' },
        { action: 'supervision_close', actor_id: w.town1Centre.user.id, note: '办理到位' },
      ],
    });
    expect(await auditActions(s!.id)).toEqual([
      'supervision.create',
      'supervision.reply',
      'supervision.close',
    ]);
  });

  it('an order may be closed unanswered, also by a level above the issuer, and stops counting', async () => {
    const m = await matter();
    const [first, second] = [
      ...(await issue(w.town1Centre, [m.id])),
      ...(await issue(w.town1Centre, [m.id])),
    ];
    expect((await written(m)).open).toBe(2);
    const byIssuer = await w.town1Centre.client.post(`/api/supervisions/${first!.id}/close`, {});
    expect(byIssuer.statusCode, byIssuer.body).toBe(200);
    expect((await written(m)).open).toBe(1);
    const byCounty = await w.countyCentre.client.post(`/api/supervisions/${second!.id}/close`, {});
    expect(byCounty.statusCode, byCounty.body).toBe(200);
    expect((await written(m)).open).toBe(0);
    expect(await auditActions(second!.id)).toEqual(['supervision.create', 'supervision.close']);
  });
});
