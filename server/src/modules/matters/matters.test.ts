import { MATTER_TRANSITION_NAMES, type MatterTransitionName } from '@gridgov/common/workflow/matter';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { listEvents } from './matters.repository.ts';
import { buildWorld, categoryId, expectStatus, fieldOf, type World } from './matters.test-world.ts';
import { loadEventRefs } from './matters.timeline.ts';

let env: TestEnv;
let w: World;
let fireLane: number;
let road: number;
let ebike: number;
beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
  fireLane = await categoryId(env, 'safety.fire_lane');
  road = await categoryId(env, 'construction.road');
  ebike = await categoryId(env, 'safety.ebike');
});
afterAll(async () => env?.close());

type Body = Record<string, unknown>;

async function report(client: Client = w.clients.worker, body: Body = {}) {
  const res = await client.post('/api/matters', {
    categoryId: road,
    title: '路灯不亮',
    description: '小区门口路灯连续三晚不亮',
    gridId: w.gridA.id,
    ...body,
  });
  return expectStatus(res, 200) as { id: number; code: string; version: number; state: string };
}

const fire = (client: Client, id: number, body: Body) => client.post(`/api/matters/${id}/transitions`, body);

async function step(client: Client, id: number, body: Body) {
  return expectStatus(await fire(client, id, body), 200);
}

/** A matter reported in gridA and accepted by town A. */
async function accepted() {
  const m = await report();
  return step(w.clients.town, m.id, { name: 'accept' });
}

async function matterRow(id: number) {
  return env.handle.db.selectFrom('matter').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function auditActions(id: number) {
  const rows = await env.handle.db
    .selectFrom('audit')
    .select('action')
    .where('object_type', '=', 'matter')
    .where('object_id', '=', String(id))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('matters: refusals', () => {
  it('401 when not signed in, on every route', async () => {
    const anon = anonymous(env.app);
    expect((await anon.get('/api/matters/1')).statusCode).toBe(401);
    expect((await anon.post('/api/matters', { categoryId: road })).statusCode).toBe(401);
    expect((await anon.post('/api/matters/1/transitions', { name: 'accept' })).statusCode).toBe(401);
  });

  it('400 naming the field: schema, personal fields the category does not collect, location', async () => {
    const worker = w.clients.worker;
    const base = { categoryId: road, title: '路灯不亮', description: '不亮', gridId: w.gridA.id };
    const noTitle = await worker.post('/api/matters', { ...base, title: undefined });
    expect(noTitle.statusCode).toBe(400);
    expect(fieldOf(noTitle)).toBe('body.title');
    const idNumber = await worker.post('/api/matters', {
      ...base,
      requester: { name: '张三', id_number: '110101199003071234' },
    });
    expect(idNumber.statusCode).toBe(400);
    expect(fieldOf(idNumber)).toBe('body.requester.id_number');
    const partyAddress = await worker.post('/api/matters', {
      ...base,
      parties: [{ name: '李四' }, { address: '幸福村3组' }],
    });
    expect(fieldOf(partyAddress)).toBe('body.parties.1.address');
    const noLocation = await worker.post('/api/matters', { ...base, categoryId: fireLane });
    expect(noLocation.statusCode).toBe(400);
    expect(fieldOf(noLocation)).toBe('body.location');
    const nowhere = await worker.post('/api/matters', { ...base, gridId: undefined, location: [0.5, 0.5] });
    expect(fieldOf(nowhere)).toBe('body.location');
    const elsewhere = await worker.post('/api/matters', { ...base, gridId: undefined, location: w.pointB });
    expect(fieldOf(elsewhere)).toBe('body.location');
    const group = await env.handle.db
      .selectFrom('category')
      .select('id')
      .where('code', '=', 'safety')
      .executeTakeFirstOrThrow();
    const groupRes = await worker.post('/api/matters', { ...base, categoryId: group.id });
    expect(fieldOf(groupRes)).toBe('body.categoryId');
    for (const key of ['x'.repeat(65), 'has space', '键']) {
      const res = await worker.post('/api/matters', base, { 'idempotency-key': key });
      expect(res.statusCode, key).toBe(400);
      expect(fieldOf(res)).toBe('headers.idempotency-key');
    }
  });

  it('400 naming the missing or wrong input of a transition', async () => {
    const reported = await report();
    const town = w.clients.town;
    const cases: [Body, string][] = [
      [{ name: 'reject' }, 'body.reason'],
      [{ name: 'merge' }, 'body.targetMatterId'],
      [{ name: 'merge', targetMatterId: reported.id }, 'body.targetMatterId'],
      [{ name: 'merge', targetMatterId: 2_000_000_000 }, 'body.targetMatterId'],
      [{ name: 'accept', attachmentIds: [2_000_000_000] }, 'body.attachmentIds'],
      [{ name: 'teleport' }, 'body.name'],
      [{ name: 'accept', extra: 1 }, 'body.extra'],
    ];
    for (const [body, field] of cases) {
      const res = await fire(town, reported.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fieldOf(res), JSON.stringify(body)).toBe(field);
    }
    const closed = await report();
    await step(town, closed.id, { name: 'reject', reason: '不属于受理范围' });
    const intoClosed = await fire(town, reported.id, { name: 'merge', targetMatterId: closed.id });
    expect(fieldOf(intoClosed)).toBe('body.targetMatterId');
    await step(town, reported.id, { name: 'accept' });
    expect(fieldOf(await fire(town, reported.id, { name: 'dispatch' }))).toBe('body.assignee');
    expect(
      fieldOf(await fire(town, reported.id, { name: 'dispatch', assignee: { gridId: w.gridB.id } })),
    ).toBe('body.assignee.gridId');
    expect(
      fieldOf(await fire(town, reported.id, { name: 'dispatch', assignee: { gridId: w.county.id } })),
    ).toBe('body.assignee.gridId');
    expect(
      fieldOf(await fire(town, reported.id, { name: 'dispatch', assignee: { departmentId: 2_000_000_000 } })),
    ).toBe('body.assignee.departmentId');
    await step(town, reported.id, { name: 'self_handle' });
    await step(town, reported.id, { name: 'start' });
    expect(fieldOf(await fire(town, reported.id, { name: 'handle' }))).toBe('body.result');
    expect(fieldOf(await fire(town, reported.id, { name: 'request_extension', reason: '需要协调' }))).toBe(
      'body.extensionDays',
    );
    expect(fieldOf(await fire(town, reported.id, { name: 'progress_note' }))).toBe('body.note');
    await step(town, reported.id, { name: 'handle', result: '已修复' });
    await step(w.clients.village, reported.id, { name: 'verify_pass' });
    expect(fieldOf(await fire(w.clients.village, reported.id, { name: 'rate' }))).toBe('body.rating');
  });

  it('404 outside the read scope: another town, a department not involved, a grid elsewhere, no such matter', async () => {
    const m = await report();
    const b = w.clients.townB;
    expect((await b.get(`/api/matters/${m.id}`)).statusCode).toBe(404);
    expect((await fire(b, m.id, { name: 'accept' })).statusCode).toBe(404);
    expect((await w.clients.dept.get(`/api/matters/${m.id}`)).statusCode).toBe(404);
    expect((await w.clients.dept.post(`/api/matters/${m.id}/transitions`, { name: 'sign' })).statusCode).toBe(
      404,
    );
    expect((await w.clients.town.get('/api/matters/2000000000')).statusCode).toBe(404);
    const intoA = await w.clients.workerB.post('/api/matters', {
      categoryId: road,
      title: '越界上报',
      description: '别的镇',
      gridId: w.gridA.id,
    });
    expect(intoA.statusCode).toBe(404);
    const noSuchGrid = await w.clients.workerB.post('/api/matters', {
      categoryId: road,
      title: '不存在的网格',
      description: '无',
      gridId: 2_000_000_000,
    });
    expect(noSuchGrid.statusCode).toBe(404);
  });

  it('403 in scope but not allowed: role, level, reporter-only on-spot, self-verification', async () => {
    const m = await report();
    expect((await fire(w.clients.worker, m.id, { name: 'accept' })).statusCode).toBe(403);
    expect((await fire(w.clients.village, m.id, { name: 'accept' })).statusCode).toBe(403);
    expect(
      (await fire(w.clients.village2, m.id, { name: 'handle_on_spot', result: '修好了' })).statusCode,
    ).toBe(403);
    await step(w.clients.town, m.id, { name: 'accept' });
    expect((await fire(w.clients.town, m.id, { name: 'pull_up', reason: '提级' })).statusCode).toBe(403);
    await step(w.clients.town, m.id, { name: 'self_handle' });
    await step(w.clients.town, m.id, { name: 'start' });
    await step(w.clients.town, m.id, { name: 'handle', result: '已更换灯泡' });
    const self = await fire(w.clients.town, m.id, { name: 'verify_pass' });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.message).toContain('handler');
    expect((await fire(w.clients.worker, m.id, { name: 'verify_pass' })).statusCode).toBe(403);
    const verified = await step(w.clients.village, m.id, { name: 'verify_pass' });
    expect(verified).toMatchObject({
      state: 'closed',
      verifier: { id: w.users.village.id },
      handler: { id: w.users.town.id },
    });
  });

  it('409 for the wrong state or flags, a stale version, and escalation at the top', async () => {
    const m = await report();
    await step(w.clients.town, m.id, { name: 'accept' });
    const again = await fire(w.clients.town, m.id, { name: 'accept' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.state).toBe('accepted');
    const stale = await fire(w.clients.town, m.id, { name: 'self_handle', version: m.version });
    expect(stale.statusCode).toBe(409);
    await step(w.clients.town, m.id, { name: 'self_handle' });
    await step(w.clients.town, m.id, { name: 'start' });
    const resume = await fire(w.clients.town, m.id, { name: 'resume' });
    expect(resume.statusCode).toBe(409);
    expect(resume.json().error.details).toMatchObject({ state: 'in_progress', flags: [] });
    await step(w.clients.town, m.id, { name: 'escalate', reason: '超出本级职权' });
    const top = await fire(w.clients.county, m.id, { name: 'escalate', reason: '再上报' });
    expect(top.statusCode).toBe(409);
    expect(top.json().error.details.state).toBe('accepted');
  });
});

describe('matters: the closed loop through the API', () => {
  it('grid worker reports → town accepts, dispatches to a department → it signs, starts, handles → village verifies → rated', async () => {
    const created = await w.clients.worker.post('/api/matters', {
      categoryId: fireLane,
      title: '消防通道被占',
      description: '3号楼消防通道堆放杂物',
      location: w.pointA,
      place: '3号楼北侧',
    });
    const m = expectStatus(created, 200);
    expect(m).toMatchObject({
      state: 'reported',
      source: 'grid_worker',
      grid: { id: w.gridA.id },
      owner: { id: w.townA.id },
      reporter: { id: w.users.worker.id },
      deadline: { step: 'accept', status: 'ok' },
    });
    expect(m.code).toMatch(/^SJ\d{8}-\d{6}$/);
    expect(m.code.endsWith(String(m.id).padStart(6, '0'))).toBe(true);
    const town = w.clients.town;
    expect((await town.get(`/api/matters/${m.id}`)).json().abilities.transitions).toEqual(
      expect.arrayContaining(['accept', 'reject', 'merge', 'escalate']),
    );
    await step(town, m.id, { name: 'accept' });
    const dispatched = await step(town, m.id, {
      name: 'dispatch',
      assignee: { departmentId: w.department.id },
      note: '请应急局处置',
    });
    expect(dispatched).toMatchObject({
      state: 'dispatched',
      department: { id: w.department.id },
      assignee: { id: w.townA.id },
      unitsPassed: 1,
      deadline: { step: 'sign' },
    });
    const dept = w.clients.dept;
    expect((await dept.get(`/api/matters/${m.id}`)).json().abilities.transitions).toEqual([
      'return',
      'sign',
      'escalate',
    ]);
    await step(dept, m.id, { name: 'sign' });
    await step(dept, m.id, { name: 'start' });
    await step(dept, m.id, { name: 'progress_note', note: '已联系物业清理' });
    const handled = await step(dept, m.id, { name: 'handle', result: '杂物已清理，通道畅通' });
    expect(handled).toMatchObject({
      state: 'handled',
      handler: { id: w.users.dept.id },
      result: '杂物已清理，通道畅通',
    });
    expect((await fire(dept, m.id, { name: 'verify_pass' })).statusCode).toBe(403);
    const closed = await step(w.clients.village, m.id, { name: 'verify_pass' });
    expect(closed).toMatchObject({
      state: 'closed',
      verifier: { id: w.users.village.id },
      deadline: { step: null },
    });
    const rated = await step(w.clients.village, m.id, { name: 'rate', rating: 'satisfied' });
    expect(rated).toMatchObject({ state: 'rated', rating: 'satisfied', abilities: { transitions: [] } });

    const actions = ['accept', 'dispatch', 'sign', 'start', 'progress_note', 'handle', 'verify_pass', 'rate'];
    expect(rated.events.map((e: { action: string }) => e.action)).toEqual(['report', ...actions]);
    expect(rated.events[2]).toMatchObject({
      actor: { id: w.users.town.id },
      fromState: 'accepted',
      toState: 'dispatched',
      note: '请应急局处置',
      detail: { assignee: { gridId: w.townA.id, departmentId: w.department.id } },
    });
    expect(await auditActions(m.id)).toEqual(['matter.report', ...actions.map((a) => `matter.${a}`)]);
    const row = await matterRow(m.id);
    expect(row.closed_at?.toISOString()).toBe(env.clock.now().toISOString());
    expect(row.version).toBe(1 + actions.length);

    const inbox = await env.handle.db
      .selectFrom('notification')
      .select(['account_id', 'kind'])
      .where('matter_id', '=', m.id)
      .execute();
    const kindsOf = (id: number) => inbox.filter((n) => n.account_id === id).map((n) => n.kind);
    expect(kindsOf(w.users.town.id)).toContain('matter.report');
    expect(kindsOf(w.users.dept.id)).toContain('matter.dispatch');
    expect(kindsOf(w.users.village.id)).toContain('matter.handle');
    expect(kindsOf(w.users.townB.id)).toEqual([]);
  });

  it('handled on the spot by the reporter: handled at once, verified by someone else', async () => {
    const m = await report(w.clients.worker, { onSpotResult: '当场扶正了倒伏的路牌' });
    expect(m).toMatchObject({
      state: 'handled',
      handler: { id: w.users.worker.id },
      result: '当场扶正了倒伏的路牌',
    });
    expect((m as unknown as { events: { action: string }[] }).events.map((e) => e.action)).toEqual([
      'report',
      'handle_on_spot',
    ]);
    expect(await auditActions(m.id)).toEqual(['matter.report', 'matter.handle_on_spot']);
    await step(w.clients.village, m.id, { name: 'verify_pass' });
  });

  it('the caller who holds matter.accept reports from the desk; the place decides the owner by category level', async () => {
    const m = await report(w.clients.village, { categoryId: ebike, location: w.pointA, gridId: undefined });
    expect(m).toMatchObject({ source: 'desk', owner: { id: w.villageA.id }, grid: { id: w.gridA.id } });
    const petition = await categoryId(env, 'petition.request');
    const p = await report(w.clients.town, { categoryId: petition });
    expect(p).toMatchObject({ owner: { id: w.county.id } });
    const atTown = await report(w.clients.town, {
      categoryId: ebike,
      gridId: w.townA.id,
      location: w.pointA,
    });
    expect(atTown).toMatchObject({ owner: { id: w.townA.id }, grid: { id: w.townA.id } });
  });

  it('return goes back to the dispatcher; the third return makes a problem matter one level up with automatic supervision', async () => {
    const m = await accepted();
    const town = w.clients.town;
    for (let i = 1; i <= 3; i++) {
      await step(town, m.id, { name: 'dispatch', assignee: { gridId: w.villageA.id } });
      if (i === 2) await step(w.clients.village, m.id, { name: 'sign' });
      const back = await step(w.clients.village, m.id, { name: 'return', reason: `不属于本村职责${i}` });
      if (i < 3) {
        expect(back).toMatchObject({
          state: 'accepted',
          owner: { id: w.townA.id },
          assignee: null,
          returnCount: i,
          problem: false,
        });
      } else {
        expect(back).toMatchObject({
          state: 'accepted',
          owner: { id: w.county.id },
          problem: true,
          openSupervisions: 1,
          returnCount: 3,
        });
        expect(back.supervisions).toEqual([
          expect.objectContaining({
            automatic: true,
            priority: 'high',
            state: 'open',
            issuerGrid: { id: w.county.id, name: expect.any(String) },
          }),
        ]);
        expect(back.events.slice(-2)).toMatchObject([
          { action: 'escalate', actor: null, fromState: 'accepted', toState: 'accepted' },
          {
            action: 'supervise',
            actor: null,
            fromState: null,
            toState: null,
            detail: { automatic: true, problem: 'returns' },
          },
        ]);
      }
    }
    const row = await matterRow(m.id);
    expect(row).toMatchObject({ escalation_count: 1, units_passed: 1, step: 'accept' });
    expect(await auditActions(m.id)).toEqual([
      'matter.report',
      'matter.accept',
      'matter.dispatch',
      'matter.return',
      'matter.dispatch',
      'matter.sign',
      'matter.return',
      'matter.dispatch',
      'matter.return',
      'matter.escalate',
    ]);
    const county = await w.clients.county.get(`/api/matters/${m.id}`);
    expect(county.json().abilities.transitions).toEqual(expect.arrayContaining(['dispatch', 'self_handle']));
  });

  it('a matter passed to a third unit becomes a problem matter', async () => {
    const m = await accepted();
    const town = w.clients.town;
    await step(town, m.id, { name: 'dispatch', assignee: { gridId: w.gridA.id } });
    const second = await step(town, m.id, { name: 'dispatch', assignee: { gridId: w.villageA.id } });
    expect(second).toMatchObject({ unitsPassed: 2, problem: false, state: 'dispatched' });
    const again = await step(town, m.id, { name: 'dispatch', assignee: { gridId: w.villageA.id } });
    expect(again).toMatchObject({ unitsPassed: 2, problem: false });
    const third = await step(town, m.id, { name: 'dispatch', assignee: { departmentId: w.department.id } });
    expect(third).toMatchObject({
      unitsPassed: 3,
      problem: true,
      state: 'accepted',
      owner: { id: w.county.id },
      department: null,
    });
  });

  it('escalate moves the owner to the parent; pull_up to the supervising level; merge and reject end a matter', async () => {
    const m = await accepted();
    const up = await step(w.clients.town, m.id, { name: 'escalate', reason: '需区县协调' });
    expect(up).toMatchObject({ state: 'accepted', owner: { id: w.county.id } });
    expect((await matterRow(m.id)).escalation_count).toBe(1);

    const v = await report(w.clients.worker, { categoryId: ebike, location: w.pointA, gridId: undefined });
    expect(v).toMatchObject({ owner: { id: w.villageA.id } });
    expect((await w.clients.village.get(`/api/matters/${v.id}`)).json().abilities.supervise).toBe(false);
    expect((await w.clients.town.get(`/api/matters/${v.id}`)).json().abilities).toMatchObject({
      supervise: true,
    });
    const pulled = await step(w.clients.town, v.id, { name: 'pull_up', reason: '多次投诉，提级办理' });
    expect(pulled).toMatchObject({ state: 'accepted', owner: { id: w.townA.id } });

    const dup = await report();
    const merged = await step(w.clients.town, dup.id, { name: 'merge', targetMatterId: m.id });
    expect(merged).toMatchObject({ state: 'merged', mergedInto: m.id, abilities: { transitions: [] } });
    const other = await report();
    const rejected = await step(w.clients.town, other.id, { name: 'reject', reason: '重复上报' });
    expect(rejected).toMatchObject({ state: 'rejected' });
    expect(rejected.events.at(-1)).toMatchObject({ detail: { reason: '重复上报' } });
  });

  it('a department handler may return or escalate what it was given, not matters of other departments', async () => {
    const m = await accepted();
    await step(w.clients.town, m.id, { name: 'dispatch', assignee: { departmentId: w.department.id } });
    const up = await step(w.clients.dept, m.id, { name: 'escalate', reason: '需上级协调' });
    expect(up).toMatchObject({ owner: { id: w.county.id }, department: null, state: 'accepted' });
    expect((await w.clients.dept.get(`/api/matters/${m.id}`)).statusCode).toBe(404);
  });
});

describe('matters: access suite (two sibling towns)', () => {
  it('town B and its grid worker get 404 on every matter route for town A’s matters, at every stage', async () => {
    const m = await accepted();
    await step(w.clients.town, m.id, { name: 'dispatch', assignee: { gridId: w.villageA.id } });
    for (const client of [w.clients.townB, w.clients.workerB]) {
      expect((await client.get(`/api/matters/${m.id}`)).statusCode).toBe(404);
      for (const name of MATTER_TRANSITION_NAMES) {
        const res = await fire(client, m.id, { name, reason: '理由', result: '结果', rating: 'basic' });
        expect(res.statusCode, name).toBe(404);
      }
    }
    const list = await w.clients.townB.get('/api/matters?limit=200');
    if (list.statusCode === 200) {
      expect(list.json().items.map((i: { id: number }) => i.id)).not.toContain(m.id);
    }
  });

  it('403 in scope for each transition the caller may not fire; the abilities agree with the answers', async () => {
    const m = await accepted();
    for (const actor of ['worker', 'village', 'dept', 'county'] as const) {
      const client = w.clients[actor];
      const detail = await client.get(`/api/matters/${m.id}`);
      if (actor === 'dept') {
        expect(detail.statusCode).toBe(404);
        continue;
      }
      const abilities: MatterTransitionName[] = detail.json().abilities.transitions;
      for (const name of ['dispatch', 'self_handle', 'merge'] as const) {
        const res = await fire(client, m.id, {
          name,
          assignee: { gridId: w.gridA.id },
          targetMatterId: 2_000_000_000,
        });
        if (abilities.includes(name)) expect(res.statusCode, `${actor} ${name}`).not.toBe(403);
        else expect(res.statusCode, `${actor} ${name}`).toBe(403);
      }
    }
    expect((await fire(w.clients.county, m.id, { name: 'pull_up', reason: '提级' })).statusCode).toBe(200);
  });
});

describe('matters: the timeline names where a matter went (events[].refs)', () => {
  type Event = { action: string; refs: Record<string, unknown>; detail: Record<string, unknown> | null };
  const eventsOf = async (client: Client, id: number): Promise<Event[]> =>
    expectStatus(await client.get(`/api/matters/${id}`), 200).events;
  const last = (events: Event[], action: string) => events.filter((e) => e.action === action).at(-1);

  it('a dispatch to a grid names the grid; to a department, the department and its grid; a return the grid it went back to', async () => {
    const m = await accepted();
    await step(w.clients.town, m.id, { name: 'dispatch', assignee: { gridId: w.villageA.id } });
    await step(w.clients.village, m.id, { name: 'return', reason: '不属于本村职责' });
    await step(w.clients.town, m.id, { name: 'dispatch', assignee: { departmentId: w.department.id } });
    const events = await eventsOf(w.clients.town, m.id);
    const [toGrid, toDepartment] = events.filter((e) => e.action === 'dispatch');
    expect(toGrid?.refs).toEqual({ grid: { id: w.villageA.id, name: w.villageA.name, level: 'village' } });
    expect(toDepartment?.refs).toEqual({
      grid: { id: w.townA.id, name: w.townA.name, level: 'town' },
      department: { id: w.department.id, nameZh: '应急管理局', nameEn: 'Emergency management' },
    });
    expect(last(events, 'return')?.refs).toEqual({
      grid: { id: w.townA.id, name: w.townA.name, level: 'town' },
    });
    for (const e of events.filter((x) => !['dispatch', 'return'].includes(x.action))) {
      expect(e.refs, e.action).toEqual({});
    }
  });

  it('an escalation names the parent it went up to, a pull-up the supervising level, the system’s problem escalation too', async () => {
    const m = await accepted();
    await step(w.clients.town, m.id, { name: 'escalate', reason: '需区县协调' });
    expect(last(await eventsOf(w.clients.county, m.id), 'escalate')?.refs).toEqual({
      grid: { id: w.county.id, name: w.county.name, level: 'county' },
    });

    const v = await report(w.clients.worker, { categoryId: ebike, location: w.pointA, gridId: undefined });
    await step(w.clients.town, v.id, { name: 'pull_up', reason: '多次投诉，提级办理' });
    expect(last(await eventsOf(w.clients.town, v.id), 'pull_up')?.refs).toEqual({
      grid: { id: w.townA.id, name: w.townA.name, level: 'town' },
    });

    const p = await accepted();
    await step(w.clients.town, p.id, { name: 'dispatch', assignee: { gridId: w.gridA.id } });
    await step(w.clients.town, p.id, { name: 'dispatch', assignee: { gridId: w.villageA.id } });
    await step(w.clients.town, p.id, { name: 'dispatch', assignee: { departmentId: w.department.id } });
    const system = last(await eventsOf(w.clients.county, p.id), 'escalate');
    expect(system).toMatchObject({ actor: null, detail: { problem: 'units', system: true } });
    expect(system?.refs).toEqual({ grid: { id: w.county.id, name: w.county.name, level: 'county' } });
  });

  it('a merge names the target’s code to whoever may read it, and only the id to whoever may not', async () => {
    const target = await report();
    const dup = await report();
    await step(w.clients.town, dup.id, { name: 'merge', targetMatterId: target.id });
    const seen = last(await eventsOf(w.clients.town, dup.id), 'merge');
    expect(seen?.refs).toEqual({ matter: { id: target.id, code: target.code } });

    // The county merges a town-A matter into one of town B: town A reads the first, not the second.
    const inB = await report(w.clients.workerB, { gridId: w.gridB.id });
    const fromA = await accepted();
    await step(w.clients.county, fromA.id, { name: 'merge', targetMatterId: inB.id });
    expect(last(await eventsOf(w.clients.county, fromA.id), 'merge')?.refs).toEqual({
      matter: { id: inB.id, code: inB.code },
    });
    const res = await w.clients.town.get(`/api/matters/${fromA.id}`);
    const hidden = last(expectStatus(res, 200).events, 'merge');
    expect(hidden?.refs).toEqual({});
    expect(res.body).not.toContain(inB.code);
    expect((await w.clients.town.get(`/api/matters/${inB.id}`)).statusCode).toBe(404);
  });

  it('the names of a whole history come from two statements, not one per event', async () => {
    const m = await accepted();
    for (const gridId of [w.gridA.id, w.villageA.id, w.gridA.id, w.villageA.id]) {
      await step(w.clients.town, m.id, { name: 'dispatch', assignee: { gridId } });
    }
    await step(w.clients.town, m.id, { name: 'escalate', reason: '需区县协调' });
    const target = await report();
    const dup = await report();
    await step(w.clients.town, dup.id, { name: 'merge', targetMatterId: target.id });
    const rows = [...(await listEvents(env.handle.db, m.id)), ...(await listEvents(env.handle.db, dup.id))];
    const events = rows.map((e) => ({ action: e.action, detail: e.detail as Record<string, unknown> }));
    let statements = 0;
    const counted = env.handle.db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const refsOf = await loadEventRefs(counted, env.ctx, events);
    expect(statements).toBe(2);
    expect(events.map((e) => refsOf(e.action, e.detail).grid?.id)).toEqual([
      undefined,
      undefined,
      w.gridA.id,
      w.villageA.id,
      w.gridA.id,
      w.villageA.id,
      w.county.id,
      undefined,
      undefined,
    ]);
    // A context without a read grant (the system) gets no merge target's code.
    expect(refsOf('merge', events.at(-1)!.detail)).toEqual({});
  });

  it('a transition answer stored for Idempotency-Key before refs existed still replays', async () => {
    const m = await accepted();
    const key = `refs-${m.id}`;
    const body = { name: 'dispatch', assignee: { gridId: w.villageA.id } };
    const first = await w.clients.town.post(`/api/matters/${m.id}/transitions`, body, {
      'idempotency-key': key,
    });
    expect(first.statusCode, first.body).toBe(200);
    await sql`UPDATE idempotency_key SET body = jsonb_set(body, '{events}',
      (SELECT jsonb_agg(e - 'refs') FROM jsonb_array_elements(body->'events') AS e)) WHERE key = ${key}`.execute(
      env.handle.db,
    );
    const again = await w.clients.town.post(`/api/matters/${m.id}/transitions`, body, {
      'idempotency-key': key,
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().events.map((e: Event) => e.refs)).toEqual([{}, {}, {}]);
  });
});
