import {
  canFire,
  flagsAfter,
  flagsAllow,
  MATTER_RATINGS,
  MATTER_TRANSITION_NAMES,
  MATTER_TRANSITIONS,
  type MatterFlag,
  type MatterRating,
  type MatterState,
  type MatterTransitionName,
  transitionsFrom,
} from '@gridgov/common/workflow/matter';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildWorld, categoryId, expectStatus, type World } from './matters.test-world.ts';

/**
 * Model-based test of the workflow: random transitions by random actors against a small model of who
 * holds the matter, checked after every command against the database. The model knows the tree as a
 * chain county (0) → town (1) → village (2) → grid (3), and the actors by the depth of their one grant.
 */
let env: TestEnv;
let w: World;
let category: number;
let mergeTarget: number;
beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
  // A village-level category, so that escalation has two levels to climb.
  category = await categoryId(env, 'livelihood.facility');
  mergeTarget = expectStatus(
    await w.clients.worker.post('/api/matters', {
      categoryId: category,
      title: '合并目标',
      description: '保持受理前',
      gridId: w.gridA.id,
    }),
    200,
  ).id;
});
afterAll(async () => env?.close());

type ModelActor = 'worker' | 'village' | 'town' | 'dept' | 'county';
const ACTORS: ModelActor[] = ['worker', 'village', 'town', 'dept', 'county'];
const DEPTH: Record<ModelActor, number> = { county: 0, town: 1, dept: 1, village: 2, worker: 3 };
const VILLAGE = [
  'matter.read',
  'matter.report',
  'matter.accept',
  'matter.dispatch',
  'matter.sign',
  'matter.handle',
  'matter.verify',
  'matter.escalate',
  'matter.unmask',
  'matter.rate',
];
const PERMS: Record<ModelActor, string[]> = {
  worker: ['matter.read', 'matter.report', 'matter.handle', 'matter.sign'],
  village: VILLAGE,
  town: [...VILLAGE, 'matter.supervise', 'matter.export'],
  county: [...VILLAGE, 'matter.supervise', 'matter.export'],
  dept: ['matter.read', 'matter.sign', 'matter.handle', 'matter.escalate', 'matter.unmask'],
};

/** Where to dispatch: a grid at a depth, or the department (in the owner's grid). */
type Target = 0 | 1 | 2 | 3 | 'dept';
const TARGETS: Target[] = [0, 1, 2, 3, 'dept'];

interface Model {
  state: MatterState;
  flags: MatterFlag[];
  owner: number;
  assignee: { depth: number; dept: boolean } | null;
  dispatcher: number | null;
  handler: ModelActor | null;
  verifier: ModelActor | null;
  units: Set<string>;
  returns: number;
  problem: boolean;
  rework: number;
  escalations: number;
  rating: MatterRating | null;
  extensionDays: number;
  openSupervisions: number;
  merged: boolean;
  /**
   * Rows in matter_event: one per successful transition (with a `matter.*` audit row each), plus the
   * automatic escalation and `supervise` event of a problem matter.
   */
  events: number;
}

interface Real {
  id: number;
}

const nodeId = (depth: number) => [w.county, w.townA, w.villageA, w.gridA][depth]!.id;

/** Whether the actor holds `perm` over the node at `depth` (department grants: the matter's department). */
function holds(m: Model, actor: ModelActor, perm: string, depth: number | null): boolean {
  if (depth === null || !PERMS[actor].includes(perm) || DEPTH[actor] > depth) return false;
  return actor !== 'dept' || m.assignee?.dept === true;
}

const ASSIGNEE_SIDE = new Set<MatterTransitionName>([
  'sign',
  'return',
  'start',
  'progress_note',
  'request_extension',
  'pause',
  'resume',
  'handle',
  'escalate',
]);

/** On the assignee's side a department's matter is acted on by the department only. */
function assigneeSide(m: Model, name: MatterTransitionName): boolean {
  if (!ASSIGNEE_SIDE.has(name)) return false;
  return !(name === 'escalate' && (m.state === 'reported' || m.state === 'accepted'));
}

function actingDepth(m: Model, name: MatterTransitionName): number | null {
  switch (name) {
    case 'accept':
    case 'reject':
    case 'merge':
    case 'dispatch':
    case 'self_handle':
    case 'approve_extension':
    case 'deny_extension':
      return m.owner;
    case 'escalate':
      return m.state === 'reported' || m.state === 'accepted' ? m.owner : (m.assignee?.depth ?? null);
    case 'handle_on_spot':
    case 'verify_pass':
    case 'verify_fail':
    case 'rate':
    case 'reopen':
      return 3;
    default:
      return m.assignee?.depth ?? null;
  }
}

/** The status the service must answer, in its order of refusals. */
function expected(m: Model, c: Pick<Fire, 'actor' | 'name' | 'target'>): number {
  const readable = c.actor !== 'dept' || m.assignee?.dept === true;
  if (!readable) return 404;
  if (!canFire(c.name, m.state) || !flagsAllow(c.name, m.flags)) return 409;
  if (c.name === 'escalate' && m.owner === 0) return 409;
  const t = MATTER_TRANSITIONS[c.name];
  if (c.name === 'pull_up') {
    if (!PERMS[c.actor].includes('matter.supervise') || DEPTH[c.actor] >= m.owner) return 403;
  } else if (!holds(m, c.actor, t.permission, actingDepth(m, c.name))) return 403;
  else if (assigneeSide(m, c.name) && m.assignee?.dept && c.actor !== 'dept') return 403;
  if (c.name === 'handle_on_spot' && c.actor !== 'worker') return 403;
  if ((c.name === 'verify_pass' || c.name === 'verify_fail') && c.actor === m.handler) return 403;
  if (c.name === 'reopen' && m.rating !== 'unsatisfied') return 403;
  if (c.name === 'dispatch' && c.target !== 'dept' && c.target < m.owner) return 400;
  return 200;
}

function apply(m: Model, c: Pick<Fire, 'actor' | 'name' | 'target' | 'rating'>): void {
  m.state = MATTER_TRANSITIONS[c.name].to;
  m.flags = flagsAfter(c.name, m.flags);
  m.events += 1;
  const moveOwner = (depth: number) => {
    m.owner = depth;
    m.assignee = null;
  };
  switch (c.name) {
    case 'merge':
      m.merged = true;
      break;
    case 'dispatch': {
      const depth = c.target === 'dept' ? m.owner : c.target;
      m.assignee = { depth, dept: c.target === 'dept' };
      m.dispatcher = m.owner;
      m.units.add(`${depth}:${c.target === 'dept'}`);
      break;
    }
    case 'return':
      moveOwner(m.dispatcher ?? m.owner);
      m.returns += 1;
      break;
    case 'approve_extension':
      m.extensionDays += 2;
      break;
    case 'handle':
    case 'handle_on_spot':
      m.handler = c.actor;
      break;
    case 'self_handle':
      m.assignee = { depth: m.owner, dept: false };
      m.dispatcher = m.owner;
      break;
    case 'escalate':
      moveOwner(m.owner - 1);
      m.escalations += 1;
      break;
    case 'pull_up':
      moveOwner(DEPTH[c.actor]);
      break;
    case 'verify_pass':
    case 'verify_fail':
      expect(c.actor, 'verification by the handler').not.toBe(m.handler);
      m.verifier = c.actor;
      if (c.name === 'verify_fail') m.rework += 1;
      break;
    case 'rate':
      m.rating = c.rating;
      break;
    case 'reopen':
      m.rework += 1;
      m.rating = null;
      break;
    default:
      break;
  }
  const third = (c.name === 'return' && m.returns >= 3) || (c.name === 'dispatch' && m.units.size >= 3);
  if (!m.problem && third) {
    m.problem = true;
    m.openSupervisions += 1;
    m.events += 1;
    if (m.owner > 0) {
      moveOwner(m.owner - 1);
      m.state = 'accepted';
      m.flags = [];
      m.escalations += 1;
      m.events += 1;
    }
  }
}

async function compare(m: Model, r: Real): Promise<void> {
  const db = env.handle.db;
  const row = await db.selectFrom('matter').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
  const user = (a: ModelActor | null) => (a === null ? null : w.users[a].id);
  expect({
    state: row.state,
    flags: row.flags,
    owner: row.owner_grid_id,
    assignee: row.assignee_grid_id,
    department: row.department_id,
    handler: row.handler_id,
    verifier: row.verifier_id,
    units: row.units_passed,
    returns: row.return_count,
    problem: row.problem,
    rework: row.rework_count,
    escalations: row.escalation_count,
    rating: row.rating,
    extensionDays: row.extension_days,
    openSupervisions: row.open_supervisions,
    merged: row.merged_into !== null,
    paused: row.paused_at !== null,
  }).toEqual({
    state: m.state,
    flags: m.flags,
    owner: nodeId(m.owner),
    assignee: m.assignee ? nodeId(m.assignee.depth) : null,
    department: m.assignee?.dept ? w.department.id : null,
    handler: user(m.handler),
    verifier: user(m.verifier),
    units: m.units.size,
    returns: m.returns,
    problem: m.problem,
    rework: m.rework,
    escalations: m.escalations,
    rating: m.rating,
    extensionDays: m.extensionDays,
    openSupervisions: m.openSupervisions,
    merged: m.merged,
    paused: m.flags.includes('paused'),
  });
  const events = await db
    .selectFrom('matter_event')
    .selectAll()
    .where('matter_id', '=', r.id)
    .orderBy('id')
    .execute();
  expect(events).toHaveLength(m.events);
  const audits = await db
    .selectFrom('audit')
    .select('action')
    .where('object_type', '=', 'matter')
    .where('object_id', '=', String(r.id))
    .orderBy('id')
    .execute();
  const transitions = events.filter((e) => e.action !== 'supervise');
  expect(audits.map((a) => a.action)).toEqual(transitions.map((e) => `matter.${e.action}`));
  let handler: number | null = null;
  for (const e of transitions) {
    if (e.action === 'report') {
      expect([e.from_state, e.to_state]).toEqual([null, 'reported']);
      continue;
    }
    const t = MATTER_TRANSITIONS[e.action as MatterTransitionName];
    expect(t, e.action).toBeDefined();
    expect(t.from, `${e.action} from ${e.from_state}`).toContain(e.from_state);
    expect(e.to_state).toBe(t.to);
    if (e.action === 'handle' || e.action === 'handle_on_spot') handler = e.actor_id;
    if (e.action === 'verify_pass' || e.action === 'verify_fail') expect(e.actor_id).not.toBe(handler);
  }
}

/**
 * Weights of the plausible picks: ending transitions are left to the fully random commands, moves up the
 * tree drawn less often, passing the matter around more often — so that runs get deep and reach the
 * problem-matter rule.
 */
const WEIGHT: Partial<Record<MatterTransitionName, number>> = {
  reject: 0,
  merge: 0,
  handle_on_spot: 1,
  escalate: 1,
  pull_up: 1,
  rate: 2,
  dispatch: 8,
  return: 6,
};

/** A transition by an actor; `pick` chooses among the transitions the state allows when `name` is null. */
class Fire implements fc.AsyncCommand<Model, Real> {
  name: MatterTransitionName = 'accept';

  constructor(
    readonly actor: ModelActor,
    readonly chosen: MatterTransitionName | null,
    readonly pick: number,
    readonly target: Target,
    readonly rating: MatterRating,
  ) {}

  private resolve(m: Readonly<Model>): MatterTransitionName | null {
    if (this.chosen) return this.chosen;
    const open = transitionsFrom(m.state);
    const weighted = open.flatMap((n) => Array<MatterTransitionName>(WEIGHT[n] ?? 4).fill(n));
    return weighted.length ? weighted[this.pick % weighted.length]! : null;
  }

  check(m: Readonly<Model>): boolean {
    return this.resolve(m) !== null;
  }

  async run(m: Model, r: Real): Promise<void> {
    this.name = this.resolve(m)!;
    const status = expected(m, this);
    const assignee =
      this.target === 'dept' ? { departmentId: w.department.id } : { gridId: nodeId(this.target) };
    const res = await w.clients[this.actor].post(`/api/matters/${r.id}/transitions`, {
      name: this.name,
      reason: '测试理由',
      note: '进展说明',
      result: '处置结果',
      rating: this.rating,
      extensionDays: 2,
      targetMatterId: mergeTarget,
      assignee,
    });
    expect(res.statusCode, `${this.toString()}: ${res.body}`).toBe(status);
    if (status === 200) apply(m, this);
    await compare(m, r);
  }

  toString(): string {
    const name = this.chosen ?? `${this.name}#${this.pick}`;
    return `${this.actor}:${name}${this.name === 'dispatch' ? `→${this.target}` : ''}${this.name === 'rate' ? `(${this.rating})` : ''}`;
  }
}

const fire = (anyName: boolean) =>
  fc
    .record({
      actor: fc.constantFrom(...ACTORS),
      name: anyName ? fc.constantFrom(...MATTER_TRANSITION_NAMES) : fc.constant(null),
      pick: fc.nat(1000),
      target: fc.constantFrom(...TARGETS),
      rating: fc.constantFrom(...MATTER_RATINGS),
    })
    .map(({ actor, name, pick, target, rating }) => new Fire(actor, name, pick, target, rating));

describe('matters: the workflow against a model', () => {
  it('random transitions by random actors keep the database equal to the model', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.commands([fire(true), fire(false), fire(false), fire(false)], { maxCommands: 80, size: 'max' }),
        async (cmds) => {
          const created = expectStatus(
            await w.clients.worker.post('/api/matters', {
              categoryId: category,
              title: '模型测试',
              description: '随机流转',
              gridId: w.gridA.id,
            }),
            200,
          );
          const model: Model = {
            state: 'reported',
            flags: [],
            owner: 2,
            assignee: null,
            dispatcher: null,
            handler: null,
            verifier: null,
            units: new Set(),
            returns: 0,
            problem: false,
            rework: 0,
            escalations: 0,
            rating: null,
            extensionDays: 0,
            openSupervisions: 0,
            merged: false,
            events: 1,
          };
          await fc.asyncModelRun(() => ({ model, real: { id: created.id } }), cmds);
        },
      ),
      { numRuns: 25 },
    );
  });
});
