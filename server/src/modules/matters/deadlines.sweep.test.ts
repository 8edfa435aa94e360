import { randomBytes } from 'node:crypto';
import {
  AliasNode,
  CompiledQuery,
  type KyselyPlugin,
  type OperationNode,
  type QueryId,
  SelectQueryNode,
  sql,
  TableNode,
  UpdateQueryNode,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../db/client.ts';
import type { GridRow, MatterRow } from '../../db/schema/types.ts';
import { AppError } from '../../lib/app-error.ts';
import { HOUR, MINUTE } from '../../lib/clock.ts';
import { buildGrid, buildUser } from '../../test/factories.ts';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildMatter } from '../../test/matter-factory.ts';
import { insertSupervision, overdueSupervisionCandidates } from '../supervision/supervision.repository.ts';
import { deadlineCandidates } from './deadlines.repository.ts';
import {
  AUTO_ESCALATION_REASON,
  type Escalate,
  escalateByTransition,
  sweepDeadlines,
} from './deadlines.sweep.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

/** An instant written in Asia/Shanghai wall-clock time. */
const sh = (wallClock: string) => new Date(`${wallClock}+08:00`);
const noEscalation: Escalate = async () => undefined;

/**
 * The sweep is global, so every test starts at a later date than the previous one and first sweeps
 * everything due by then: what the next sweeps find is this test's own matters.
 */
async function startAt(wallClock: string): Promise<void> {
  env.clock.set(sh(wallClock));
  await sweepDeadlines(env.ctx, { escalate: noEscalation });
}

const sweep = (escalate: Escalate = noEscalation) => sweepDeadlines(env.ctx, { escalate });

interface World {
  county: GridRow;
  town: GridRow;
  village: GridRow;
  deptA: number;
  deptB: number;
  villageStaff: number;
  townCentre: number;
  countySupervisor: number;
  townSupervisor: number;
  handlerA: number;
  handlerB: number;
}

const SUPERVISOR_ROLE = `督办专员-${randomBytes(3).toString('hex')}`;

/** A county → town → village tree, its staff, two departments' handlers and two supervise-only accounts. */
async function buildWorld(): Promise<World> {
  const db = env.handle.db;
  await db
    .insertInto('role')
    .values({
      name: SUPERVISOR_ROLE,
      kind: 'business',
      permissions: ['grid.read', 'matter.read', 'matter.supervise'],
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const county = await buildGrid(db);
  const town = await buildGrid(db, { parent: county });
  const village = await buildGrid(db, { parent: town });
  const dept = async () =>
    (
      await db
        .insertInto('department')
        .values({ code: `D${randomBytes(4).toString('hex')}`, name_zh: '测试部门', name_en: 'Test' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const deptA = await dept();
  const deptB = await dept();
  const user = async (role: string, grid: GridRow, departmentId?: number) =>
    (await buildUser(db, env.config, { grid, roles: [{ role, departmentId }] })).id;
  return {
    county,
    town,
    village,
    deptA,
    deptB,
    villageStaff: await user('村（社区）工作人员', village),
    townCentre: await user('乡镇（街道）指挥中心', town),
    countySupervisor: await user(SUPERVISOR_ROLE, county),
    townSupervisor: await user(SUPERVISOR_ROLE, town),
    handlerA: await user('部门处置人员', town, deptA),
    handlerB: await user('部门处置人员', town, deptB),
  };
}

async function reload(m: MatterRow): Promise<MatterRow> {
  return env.handle.db.selectFrom('matter').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
}

async function eventsOf(m: MatterRow) {
  return env.handle.db
    .selectFrom('matter_event')
    .select(['action', 'actor_id', 'detail'])
    .where('matter_id', '=', m.id)
    .orderBy('id')
    .execute();
}

async function notified(m: MatterRow, kind: string): Promise<number[]> {
  const rows = await env.handle.db
    .selectFrom('notification')
    .select('account_id')
    .where('matter_id', '=', m.id)
    .where('kind', '=', kind)
    .execute();
  return rows.map((r) => r.account_id);
}

async function auditsOf(m: MatterRow) {
  return env.handle.db
    .selectFrom('audit')
    .select(['action', 'actor_id', 'actor_name', 'detail'])
    .where('object_type', '=', 'matter')
    .where('object_id', '=', String(m.id))
    .orderBy('id')
    .execute();
}

function spy() {
  return vi.fn<Escalate>(async () => undefined);
}

/** Ids of the matters `escalate` was called for, in call order. */
const escalatedIds = (fn: ReturnType<typeof spy>) => fn.mock.calls.map(([, , m]) => m.id);

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});

describe('sweepDeadlines: natural-hours limits', () => {
  it('warns at 80 % and flags overdue at 100 %, telling the right people once each', async () => {
    await startAt('2026-03-02T09:00');
    // incident.fire: handle within 24 hours → warning after 19.2 hours.
    const m = await buildMatter(env.handle.db, env.clock, {
      grid: w.village,
      owner: w.town,
      assignee: w.village,
      state: 'in_progress',
      categoryCode: 'incident.fire',
    });
    expect(m.due_at).toEqual(sh('2026-03-03T09:00'));
    expect(m.warn_at).toEqual(sh('2026-03-03T04:12'));

    env.clock.set(sh('2026-03-03T04:11'));
    expect(await sweep()).toMatchObject({ warned: 0, overdue: 0 });
    expect(await reload(m)).toMatchObject({ warned: false, overdue: false });

    env.clock.set(sh('2026-03-03T04:12'));
    expect(await sweep()).toMatchObject({ warned: 1, overdue: 0, escalated: 0 });
    expect(await reload(m)).toMatchObject({ warned: true, overdue: false });
    expect(await eventsOf(m)).toEqual([
      {
        action: 'warning',
        actor_id: null,
        detail: { step: 'handle', dueAt: sh('2026-03-03T09:00').toISOString() },
      },
    ]);
    const warnedTo = await notified(m, 'matter.warning');
    expect(warnedTo).toEqual(expect.arrayContaining([w.villageStaff, w.townCentre]));
    expect(warnedTo).not.toContain(w.countySupervisor);
    expect(warnedTo).not.toContain(w.handlerA);
    expect(await sweep()).toMatchObject({ warned: 0, overdue: 0 });

    const escalate = spy();
    env.clock.set(sh('2026-03-03T08:59'));
    expect(await sweep(escalate)).toMatchObject({ overdue: 0 });
    env.clock.set(sh('2026-03-03T09:00'));
    expect(await sweep(escalate)).toMatchObject({ warned: 0, overdue: 1, escalated: 1 });
    expect(await reload(m)).toMatchObject({ warned: true, overdue: true });
    expect(escalate).toHaveBeenCalledOnce();
    expect(escalate.mock.calls[0]?.[2]).toEqual({ id: m.id, version: m.version });
    expect(escalate.mock.calls[0]?.[3]).toBe(AUTO_ESCALATION_REASON);
    // The overdue notice also goes to the supervisors of the owner's parent level (the county), not the town's.
    const overdueTo = await notified(m, 'matter.overdue');
    expect(overdueTo).toEqual(expect.arrayContaining([w.villageStaff, w.townCentre, w.countySupervisor]));
    expect(overdueTo).not.toContain(w.townSupervisor);
    expect(new Set(overdueTo).size).toBe(overdueTo.length);
    const audits = await auditsOf(m);
    expect(audits.map((a) => a.action)).toEqual(['matter.warning', 'matter.overdue']);
    expect(audits[1]).toMatchObject({
      actor_id: null,
      actor_name: 'system',
      detail: { step: 'handle', escalate: true },
    });

    env.clock.advance(HOUR);
    expect(await sweep(escalate)).toMatchObject({ warned: 0, overdue: 0, escalated: 0 });
    expect(escalate).toHaveBeenCalledOnce();
    expect((await eventsOf(m)).map((e) => e.action)).toEqual(['warning', 'overdue']);
  });

  it('tells a department matter to that department only, and the owner level beside it', async () => {
    await startAt('2026-03-09T09:00');
    const m = await buildMatter(env.handle.db, env.clock, {
      grid: w.village,
      owner: w.town,
      assignee: w.town,
      departmentId: w.deptA,
      state: 'in_progress',
      categoryCode: 'incident.fire',
    });
    env.clock.advance(20 * HOUR);
    expect(await sweep()).toMatchObject({ warned: 1 });
    const to = await notified(m, 'matter.warning');
    expect(to).toEqual(expect.arrayContaining([w.handlerA, w.townCentre]));
    expect(to).not.toContain(w.handlerB);
    expect(to).not.toContain(w.villageStaff);
  });
});

describe('sweepDeadlines: working days', () => {
  it('a request on the Friday before Qingming 2026 is neither warned nor overdue over the holiday', async () => {
    await startAt('2026-04-03T10:00');
    // environment.garbage: accept within 1 working day; 4–6 April are Qingming, so it is due when Tuesday ends.
    const m = await buildMatter(env.handle.db, env.clock, {
      grid: w.village,
      owner: w.village,
      state: 'reported',
      categoryCode: 'environment.garbage',
    });
    expect(m.due_at).toEqual(sh('2026-04-08T00:00'));
    // 80 % of the working time (14 h on Friday + 24 h on Tuesday), not of the calendar time.
    expect(m.warn_at).toEqual(sh('2026-04-07T16:24'));

    for (const at of ['2026-04-04T09:00', '2026-04-05T12:00', '2026-04-06T23:59', '2026-04-07T16:23']) {
      env.clock.set(sh(at));
      expect(await sweep(), at).toMatchObject({ warned: 0, overdue: 0 });
    }
    expect(await reload(m)).toMatchObject({ warned: false, overdue: false });

    env.clock.set(sh('2026-04-07T16:24'));
    expect(await sweep()).toMatchObject({ warned: 1, overdue: 0 });
    expect(await notified(m, 'matter.warning')).toContain(w.villageStaff);

    const escalate = spy();
    env.clock.set(sh('2026-04-07T23:59:59'));
    expect(await sweep(escalate)).toMatchObject({ overdue: 0 });
    env.clock.set(sh('2026-04-08T00:00'));
    expect(await sweep(escalate)).toMatchObject({ overdue: 1, escalated: 0 });
    expect(await reload(m)).toMatchObject({ overdue: true });
    expect(escalate).not.toHaveBeenCalled();
  });
});

describe('sweepDeadlines: paused matters', () => {
  it('skips a paused matter, and after the pause tells it once that it is overdue', async () => {
    await startAt('2026-05-11T09:00');
    const m = await buildMatter(env.handle.db, env.clock, {
      grid: w.village,
      owner: w.village,
      assignee: w.village,
      state: 'in_progress',
      categoryCode: 'incident.fire',
    });
    await env.handle.db
      .updateTable('matter')
      .set({ flags: ['paused'], paused_at: env.clock.now(), paused_reason: '等待鉴定' })
      .where('id', '=', m.id)
      .execute();
    env.clock.advance(30 * HOUR);
    expect(await sweep()).toMatchObject({ warned: 0, overdue: 0 });
    expect(await reload(m)).toMatchObject({ warned: false, overdue: false });
    expect(await eventsOf(m)).toEqual([]);

    // Resumed without moving the deadline: past both marks, it gets one notice, that it is overdue.
    await env.handle.db
      .updateTable('matter')
      .set({ flags: [], paused_at: null, paused_reason: null })
      .where('id', '=', m.id)
      .execute();
    expect(await sweep()).toMatchObject({ warned: 0, overdue: 1 });
    expect(await reload(m)).toMatchObject({ warned: true, overdue: true });
    expect((await eventsOf(m)).map((e) => e.action)).toEqual(['overdue']);
    expect(await notified(m, 'matter.warning')).toEqual([]);
  });
});

describe('sweepDeadlines: automatic escalation', () => {
  it('escalates overdue sign and handle steps once; not accept or verify, and not from a root', async () => {
    await startAt('2026-06-01T09:00');
    const fire = { grid: w.village, categoryCode: 'incident.fire' } as const;
    const db = env.handle.db;
    const sign = await buildMatter(db, env.clock, {
      ...fire,
      owner: w.town,
      assignee: w.village,
      state: 'dispatched',
    });
    const handle = await buildMatter(db, env.clock, {
      ...fire,
      owner: w.town,
      assignee: w.village,
      state: 'in_progress',
    });
    const accept = await buildMatter(db, env.clock, { ...fire, owner: w.town, state: 'accepted' });
    const verify = await buildMatter(db, env.clock, {
      ...fire,
      owner: w.town,
      assignee: w.village,
      state: 'handled',
    });
    const fromRoot = await buildMatter(db, env.clock, {
      ...fire,
      owner: w.county,
      assignee: w.town,
      state: 'dispatched',
    });

    const escalate = spy();
    env.clock.advance(31 * MINUTE);
    expect(await sweep(escalate)).toMatchObject({ overdue: 3, escalated: 1 });
    expect(escalatedIds(escalate)).toEqual([sign.id]);
    expect(await reload(accept)).toMatchObject({ overdue: true });
    expect(await reload(fromRoot)).toMatchObject({ overdue: true });

    env.clock.advance(24 * HOUR);
    expect(await sweep(escalate)).toMatchObject({ overdue: 2, escalated: 1 });
    expect(escalatedIds(escalate)).toEqual([sign.id, handle.id]);
    expect(await reload(verify)).toMatchObject({ overdue: true });

    env.clock.advance(HOUR);
    expect(await sweep(escalate)).toMatchObject({ overdue: 0, escalated: 0 });
    expect(escalate).toHaveBeenCalledTimes(2);
    const fromRootAudit = (await auditsOf(fromRoot)).find((a) => a.action === 'matter.overdue');
    expect(fromRootAudit?.detail).toMatchObject({ step: 'sign', escalate: false });
  });

  it('a failed escalation rolls back the overdue flag with it; the next sweep does both', async () => {
    await startAt('2026-06-08T09:00');
    const fire = {
      grid: w.village,
      categoryCode: 'incident.fire',
      owner: w.town,
      assignee: w.village,
    } as const;
    const m = await buildMatter(env.handle.db, env.clock, { ...fire, state: 'dispatched' });
    const other = await buildMatter(env.handle.db, env.clock, { ...fire, state: 'dispatched' });
    env.clock.advance(31 * MINUTE);
    // The escalation writes everything, then the process "crashes" before the commit.
    const crash = vi.fn<Escalate>(async (trx, ctx, matter, reason) => {
      await escalateByTransition(trx, ctx, matter, reason);
      throw new Error('crash after the escalation');
    });
    await expect(sweep(crash)).rejects.toThrow(AggregateError);
    expect(crash).toHaveBeenCalledTimes(2);
    for (const x of [m, other]) {
      expect(await reload(x)).toMatchObject({
        overdue: false,
        warned: false,
        state: 'dispatched',
        owner_path: w.town.path,
        version: x.version,
      });
      expect(await eventsOf(x)).toEqual([]);
      expect(await auditsOf(x)).toEqual([]);
      expect(await notified(x, 'matter.overdue')).toEqual([]);
      expect(await notified(x, 'matter.escalate')).toEqual([]);
    }

    // A later sweep flags and escalates in one go.
    env.clock.advance(MINUTE);
    expect(await sweepDeadlines(env.ctx)).toMatchObject({ overdue: 2, escalated: 2 });
    for (const x of [m, other]) {
      expect(await reload(x)).toMatchObject({
        state: 'accepted',
        owner_path: w.county.path,
        overdue: false,
        escalation_count: 1,
      });
      expect((await eventsOf(x)).map((e) => e.action)).toEqual(['overdue', 'escalate']);
      expect((await auditsOf(x)).map((a) => a.action)).toEqual(['matter.overdue', 'matter.escalate']);
      expect(await notified(x, 'matter.overdue')).toContain(w.countySupervisor);
    }
  });

  it('a refused escalation (CONFLICT) keeps the overdue flag and is not a failure', async () => {
    await startAt('2026-06-11T09:00');
    const m = await buildMatter(env.handle.db, env.clock, {
      grid: w.village,
      categoryCode: 'incident.fire',
      owner: w.town,
      assignee: w.village,
      state: 'dispatched',
    });
    env.clock.advance(31 * MINUTE);
    const conflict = vi.fn<Escalate>(async () => {
      throw new AppError('CONFLICT');
    });
    expect(await sweep(conflict)).toMatchObject({ overdue: 1, escalated: 0 });
    expect(conflict).toHaveBeenCalledOnce();
    expect(await reload(m)).toMatchObject({ overdue: true, owner_path: w.town.path });
    expect((await eventsOf(m)).map((e) => e.action)).toEqual(['overdue']);
  });

  it('escalates through the write side: the owner moves to the parent level, by the system, once', async () => {
    await startAt('2026-06-15T09:00');
    const m = await buildMatter(env.handle.db, env.clock, {
      grid: w.village,
      owner: w.town,
      assignee: w.village,
      state: 'dispatched',
      categoryCode: 'incident.fire',
    });
    env.clock.advance(31 * MINUTE);
    expect(await sweepDeadlines(env.ctx)).toMatchObject({ overdue: 1, escalated: 1 });
    const after = await reload(m);
    expect(after).toMatchObject({
      owner_grid_id: w.county.id,
      owner_path: w.county.path,
      state: 'accepted',
      step: 'accept',
      overdue: false,
    });
    const escalations = (await eventsOf(m)).filter((e) => e.action === 'escalate');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]?.actor_id).toBeNull();

    // The re-planned accept step runs out too: overdue again, but accept does not escalate.
    env.clock.advance(16 * MINUTE);
    expect(await sweepDeadlines(env.ctx)).toMatchObject({ overdue: 1, escalated: 0 });
    expect(await reload(m)).toMatchObject({ owner_path: w.county.path, overdue: true });
    expect((await eventsOf(m)).filter((e) => e.action === 'escalate')).toHaveLength(1);
  });
});

/** Counts the matter rows that queries through `db` read and update. */
function countingMatterRows(db: Database) {
  const kinds = new Map<QueryId, 'read' | 'update'>();
  const counts = { read: 0, updated: 0 };
  const tableOf = (n: OperationNode | undefined): string | null => {
    if (!n) return null;
    if (AliasNode.is(n)) return tableOf(n.node);
    if (TableNode.is(n)) return n.table.identifier.name;
    return null;
  };
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      if (SelectQueryNode.is(node) && tableOf(node.from?.froms[0]) === 'matter') kinds.set(queryId, 'read');
      if (UpdateQueryNode.is(node) && tableOf(node.table) === 'matter') kinds.set(queryId, 'update');
      return node;
    },
    async transformResult({ result, queryId }) {
      const kind = kinds.get(queryId);
      if (kind === 'read') counts.read += result.rows.length;
      if (kind === 'update') counts.updated += Number(result.numAffectedRows ?? 0);
      return result;
    },
  };
  return { db: db.withPlugin(plugin), counts };
}

describe('sweepDeadlines: cost', () => {
  it('reads and updates only the due rows, not the open ones', async () => {
    await startAt('2026-07-06T09:00');
    const due: MatterRow[] = [];
    for (let i = 0; i < 3; i++) {
      due.push(
        await buildMatter(env.handle.db, env.clock, {
          grid: w.village,
          owner: w.village,
          state: 'reported',
          categoryCode: 'incident.fire',
        }),
      );
    }
    env.clock.advance(HOUR);
    for (let i = 0; i < 200; i++) {
      await buildMatter(env.handle.db, env.clock, {
        grid: w.village,
        owner: w.village,
        state: 'reported',
        categoryCode: 'environment.garbage',
      });
    }
    const { db, counts } = countingMatterRows(env.handle.db);
    const result = await sweepDeadlines({ ...env.ctx, db }, { escalate: noEscalation, batchSize: 2 });
    expect(result).toMatchObject({ warned: 0, overdue: 3, escalated: 0 });
    // Two batches of candidates (2 + 1 rows), one locked re-read per due matter, one update each.
    expect(counts).toEqual({ read: 6, updated: 3 });
    for (const m of due) expect(await reload(m)).toMatchObject({ overdue: true });
  });

  it.each([
    ['due_at', 'matter_due_idx'],
    ['warn_at', 'matter_warn_idx'],
  ] as const)('the %s candidates are read through %s', async (column, index) => {
    const db = env.handle.db;
    const q = deadlineCandidates(db, column, env.clock.now(), null, 200).compile();
    // With sequential scans priced out, the plan shows whether the query's predicate lets the planner use
    // the partial index at all, whatever the table's size and statistics.
    const plan = await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      return trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]),
      );
    });
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(index);
  });
});

describe('sweepDeadlines: supervision orders', () => {
  it('tells the issuer once when an open order passes its deadline; an answered one is left alone', async () => {
    await startAt('2026-08-03T09:00');
    const db = env.handle.db;
    const m = await buildMatter(db, env.clock, { grid: w.village, owner: w.village, state: 'accepted' });
    const order = (issuerId: number | null, deadline: Date) =>
      insertSupervision(db, {
        matterId: m.id,
        issuerId,
        issuerGridId: w.town.id,
        priority: 'high',
        reason: '请加快办理',
        deadline,
        automatic: issuerId === null,
        at: env.clock.now(),
      });
    const byHand = await order(w.townSupervisor, sh('2026-08-03T12:00'));
    const automatic = await order(null, sh('2026-08-03T12:00'));
    const answered = await order(w.townSupervisor, sh('2026-08-03T11:00'));
    await db
      .updateTable('supervision')
      .set({ state: 'replied', reply: '已处理' })
      .where('id', '=', answered)
      .execute();

    env.clock.set(sh('2026-08-03T11:59'));
    expect(await sweep()).toMatchObject({ supervisionsOverdue: 0 });
    env.clock.set(sh('2026-08-03T12:00'));
    expect(await sweep()).toMatchObject({ supervisionsOverdue: 2 });
    const told = await notified(m, 'supervision.overdue');
    expect(told.filter((id) => id === w.townSupervisor)).toHaveLength(2);
    expect(told).toContain(w.townCentre);
    const events = (await eventsOf(m)).filter((e) => e.action === 'supervision_overdue');
    expect(events.map((e) => (e.detail as { supervisionId: number }).supervisionId).sort()).toEqual(
      [byHand, automatic].sort(),
    );
    const audits = await db
      .selectFrom('audit')
      .select('object_id')
      .where('action', '=', 'supervision.overdue')
      .where('object_id', 'in', [String(byHand), String(automatic), String(answered)])
      .execute();
    expect(audits).toHaveLength(2);

    const marked = await db
      .selectFrom('supervision')
      .select(['id', 'overdue_notified_at'])
      .where('id', 'in', [byHand, automatic, answered])
      .orderBy('id')
      .execute();
    expect(marked).toEqual([
      { id: byHand, overdue_notified_at: sh('2026-08-03T12:00') },
      { id: automatic, overdue_notified_at: sh('2026-08-03T12:00') },
      { id: answered, overdue_notified_at: null },
    ]);

    env.clock.advance(HOUR);
    expect(await sweep()).toMatchObject({ supervisionsOverdue: 0 });
  });

  it('reads only the orders newly due, through supervision_overdue_idx', async () => {
    await startAt('2026-08-10T09:00');
    const db = env.handle.db;
    const m = await buildMatter(db, env.clock, { grid: w.village, owner: w.village, state: 'accepted' });
    const order = (deadline: Date) =>
      insertSupervision(db, {
        matterId: m.id,
        issuerId: w.townSupervisor,
        issuerGridId: w.town.id,
        priority: 'normal',
        reason: '请按期办结',
        deadline,
        at: env.clock.now(),
      });
    const due = [await order(sh('2026-08-10T10:00')), await order(sh('2026-08-10T10:00'))];
    for (let i = 0; i < 20; i++) await order(sh('2026-08-20T10:00'));
    env.clock.set(sh('2026-08-10T10:00'));
    const read = await overdueSupervisionCandidates(db, env.clock.now(), null, 200).execute();
    expect(read.map((r) => r.id)).toEqual(due);
    expect(await sweep()).toMatchObject({ supervisionsOverdue: 2 });
    expect(await overdueSupervisionCandidates(db, env.clock.now(), null, 200).execute()).toEqual([]);

    const q = overdueSupervisionCandidates(db, env.clock.now(), null, 200).compile();
    const plan = await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      return trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]),
      );
    });
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('supervision_overdue_idx');
  });
});
