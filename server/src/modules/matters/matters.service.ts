import {
  type CreateMatterBody,
  type MatterDetail,
  type PartyInput,
  PERSONAL_FIELDS,
  type PersonalField,
  type TransitionBody,
} from '@gridgov/common/schemas/matters';
import {
  addLimit,
  shanghaiDate,
  shiftForPause,
  startOfShanghaiDay,
  type TimeUnit,
  type WorkCalendar,
} from '@gridgov/common/time/workdays';
import {
  flagsAfter,
  isMatterTransitionName,
  isOpen,
  MATTER_INITIAL_STATE,
  MATTER_RATINGS,
  MATTER_TRANSITIONS,
  type MatterFlag,
  type MatterRating,
  type MatterState,
  type MatterTransitionName,
} from '@gridgov/common/workflow/matter';
import type { Updateable } from 'kysely';
import type { Queryable, Tx } from '../../db/client.ts';
import type { MatterRow, MatterTable } from '../../db/schema/types.ts';
import { canAccess, holdsPermission, rootsOf } from '../../lib/access.ts';
import { AppError, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import { DAY } from '../../lib/clock.ts';
import type { Ctx } from '../../lib/context.ts';
import { requestFingerprint, withIdempotency } from '../../lib/idempotency.ts';
import { findLeafForReport } from '../categories/categories.repository.ts';
import { pointIndex } from '../grids/grids.service.ts';
import { accountsHolding, type MatterRef, notifyAccounts } from '../notifications/notify.ts';
import { gridIdOfPath, supervisingPath } from '../supervision/supervision.policy.ts';
import { insertSupervision } from '../supervision/supervision.repository.ts';
import { type CategoryLimits, planStep, stepOf, workCalendar } from './deadlines.ts';
import { loadMatterDetail } from './matters.detail.ts';
import { parentPath, transitionConflict, transitionDenial } from './matters.policy.ts';
import {
  attachmentsOfMatter,
  dispatchTargets,
  findActiveDepartment,
  findGrid,
  findMatter,
  findMatterCategory,
  gridsOnPath,
  hasAttachments,
  insertMatter,
  insertMatterEvent,
  insertParties,
  lastExtensionRequest,
  type PartyValues,
  updateMatterGuarded,
} from './matters.repository.ts';
import { coversMatter, requireMatterRead } from './matters.scope.ts';

export interface TransitionOptions {
  /** Fired by the system (the deadline sweeper): no permission checks, audited as 'system', no event actor. */
  system?: boolean;
  /** The reason to record when the body carries none (system transitions). */
  reason?: string;
}

type MatterCategory = Awaited<ReturnType<typeof findMatterCategory>>;
type GridRef = { id: number; path: string };

/** A transition's inputs, checked and resolved before its transaction opens. */
interface Inputs {
  reason: string | null;
  note: string | null;
  result: string | null;
  rating: MatterRating | null;
  extensionDays: number | null;
  assignee: { gridId: number; path: string; departmentId: number | null } | null;
  unitsPassed: number | null;
  targetMatterId: number | null;
  /** Where the owner moves: the dispatcher (return), the parent (escalate), the caller's level (pull_up). */
  owner: GridRef | null;
  attachmentIds: number[];
}

const SYSTEM_REASON = '系统自动处理';
const PROBLEM_THRESHOLD = 3;

const invalid = (field: string, message: string) => validationError([{ field, message }]);
const clean = (s: string | undefined | null) => {
  const t = s?.trim();
  return t ? t : null;
};
const refOf = (m: MatterRow): MatterRef => ({ id: m.id, code: m.code, title: m.title });
const unitKey = (gridId: number, departmentId: number | null) => `${gridId}:${departmentId ?? ''}`;

// ---- reading ---------------------------------------------------------------------------------------

/** One matter in full, if the caller may read it (404 otherwise, whether it exists or not). */
export async function getMatterDetail(ctx: Ctx, id: number): Promise<MatterDetail> {
  const row = await findMatter(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'No such matter');
  requireMatterRead(ctx, row);
  return loadMatterDetail(ctx.db, ctx, id);
}

// ---- creating --------------------------------------------------------------------------------------

function personalValues(
  input: PartyInput | undefined,
  allowed: readonly string[],
  field: string,
): Partial<Record<PersonalField, string>> | null {
  if (!input) return null;
  const out: Partial<Record<PersonalField, string>> = {};
  for (const key of PERSONAL_FIELDS) {
    const value = clean(input[key]);
    if (value === null) continue;
    if (!allowed.includes(key)) throw invalid(`${field}.${key}`, 'is not collected for this category');
    out[key] = value;
  }
  return Object.keys(out).length ? out : null;
}

/** The requester and parties, only with the fields the category collects (400 naming any other). */
function partiesOf(body: CreateMatterBody, allowed: readonly string[]): PartyValues[] {
  const out: PartyValues[] = [];
  const requester = personalValues(body.requester, allowed, 'body.requester');
  if (requester) out.push({ role: 'requester', ...requester });
  body.parties?.forEach((p, i) => {
    const party = personalValues(p, allowed, `body.parties.${i}`);
    if (party) out.push({ role: 'party', ...party });
  });
  return out;
}

/** The place: the given grid (404 outside the caller's report scope) or the grid under the point. */
async function placeOf(q: Queryable, ctx: Ctx, body: CreateMatterBody, pointGridId: number | null) {
  if (body.gridId !== undefined) {
    const grid = await findGrid(q, body.gridId);
    if (!grid || !canAccess(ctx, 'matter.report', grid.path)) {
      throw new AppError('NOT_FOUND', 'No such grid', undefined, { denial: grid !== undefined });
    }
    return grid;
  }
  if (!body.location) throw invalid('body.location', 'a location or a gridId is required');
  const grid = pointGridId === null ? undefined : await findGrid(q, pointGridId);
  if (!grid) throw invalid('body.location', 'is not inside any grid');
  if (!canAccess(ctx, 'matter.report', grid.path)) throw invalid('body.location', 'is outside your area');
  return grid;
}

/**
 * The owning level: the place's ancestor (or itself) at the category's default level; when the place
 * lies above that level, the root of the reporter's scope over the place.
 */
async function ownerOf(q: Queryable, ctx: Ctx, placePath: string, level: string | null): Promise<GridRef> {
  const nodes = await gridsOnPath(q, placePath);
  const atLevel = level ? nodes.find((g) => g.level === level) : undefined;
  if (atLevel) return atLevel;
  const root = rootsOf(ctx, 'matter.report').find((p) => placePath.startsWith(p)) ?? placePath;
  return { id: gridIdOfPath(root), path: root };
}

/**
 * Records a matter reported by the caller (state `reported`, its owner's accept clock running) and
 * tells the owning level's desk. With `onSpotResult` the reporter fixed it already: the matter is
 * handled on the spot in the same transaction and waits for someone else to verify it. With an
 * `Idempotency-Key`, a retry returns the first response and records nothing.
 */
export async function createMatter(
  ctx: Ctx,
  body: CreateMatterBody,
  idempotencyKey?: string,
): Promise<MatterDetail> {
  const actor = ctx.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const now = ctx.clock.now();
  const cal = await workCalendar(ctx.db, now);
  const pointGridId =
    body.gridId === undefined && body.location
      ? (await pointIndex(ctx.db)).lookup(body.location[0], body.location[1])
      : null;
  return withIdempotency(ctx, idempotencyKey, 'POST /matters', requestFingerprint(body), async (trx) => {
    const category = await findLeafForReport(trx, body.categoryId);
    if (!category?.active || !category.parent_active || !category.matter_type) {
      throw invalid('body.categoryId', 'is not an active category');
    }
    const parties = partiesOf(body, category.personal_fields);
    if (category.required_fields.includes('location') && !body.location) {
      throw invalid('body.location', 'is required for this category');
    }
    const title = clean(body.title);
    const description = clean(body.description);
    if (!title) throw invalid('body.title', 'is empty');
    if (!description) throw invalid('body.description', 'is empty');
    const onSpot = body.onSpotResult === undefined ? undefined : clean(body.onSpotResult);
    if (onSpot === null) throw invalid('body.onSpotResult', 'is empty');
    const place = await placeOf(trx, ctx, body, pointGridId);
    if (onSpot && !canAccess(ctx, 'matter.handle', place.path)) {
      throw new AppError('FORBIDDEN', 'matter.handle is needed to handle on the spot', undefined, {
        denial: true,
      });
    }
    const owner = await ownerOf(trx, ctx, place.path, category.default_level);
    const limits = category.limits as CategoryLimits | null;
    const source = body.source ?? (holdsPermission(ctx, 'matter.accept') ? 'desk' : 'grid_worker');
    const row = await insertMatter(
      trx,
      {
        type: category.matter_type,
        category_id: category.id,
        title,
        description,
        source,
        state: MATTER_INITIAL_STATE,
        flags: [],
        grid_id: place.id,
        grid_path: place.path,
        lng: body.location?.[0] ?? null,
        lat: body.location?.[1] ?? null,
        place: clean(body.place),
        owner_grid_id: owner.id,
        owner_path: owner.path,
        reporter_id: actor.id,
        priority: body.priority ?? 'normal',
        ...planStep(MATTER_INITIAL_STATE, limits, now, cal),
        created_at: now,
        updated_at: now,
      },
      `SJ${shanghaiDate(now).replaceAll('-', '')}`,
    );
    await insertParties(trx, row.id, parties);
    const facts = { categoryId: category.id, gridId: place.id, ownerGridId: owner.id, source };
    await insertMatterEvent(trx, {
      matterId: row.id,
      at: now,
      actorId: actor.id,
      action: 'report',
      fromState: null,
      toState: row.state,
      detail: { ...facts, parties: parties.length },
    });
    await writeAudit(trx, ctx, {
      action: 'matter.report',
      objectType: 'matter',
      objectId: row.id,
      objectPath: row.grid_path,
      detail: {
        code: row.code,
        ...facts,
        priority: row.priority,
        // Which kinds of personal information were collected, never their values.
        personalFields: [
          ...new Set(parties.flatMap((p) => PERSONAL_FIELDS.filter((f) => p[f] !== undefined))),
        ],
      },
    });
    if (onSpot) {
      // Photos the category asks for cannot be attached yet: the client uploads them right after creating
      // (and enforces them); `verify_pass` refuses such a matter without any attachment (applyTransition).
      await writeTransition(trx, ctx, row, category, 'handle_on_spot', { ...NO_INPUTS, result: onSpot }, cal);
    } else {
      await notifyAccounts(trx, ctx, await accountsHolding(trx, 'matter.accept', owner.path), {
        matter: refOf(row),
        kind: 'matter.report',
        title: `待受理：${row.code} ${row.title}`,
      });
    }
    return loadMatterDetail(trx, ctx, row.id);
  });
}

// ---- transitions -----------------------------------------------------------------------------------

const NO_INPUTS: Inputs = {
  reason: null,
  note: null,
  result: null,
  rating: null,
  extensionDays: null,
  assignee: null,
  unitsPassed: null,
  targetMatterId: null,
  owner: null,
  attachmentIds: [],
};

/**
 * Fires a workflow transition on a matter in a transaction of its own (see {@link applyTransition}).
 * With `system`, no caller is checked: the audit names 'system' and the event has no actor.
 */
export async function fireTransition(
  ctx: Ctx,
  matterId: number,
  body: TransitionBody,
  opts: TransitionOptions = {},
): Promise<void> {
  await ctx.db.transaction().execute((trx) => applyTransition(trx, ctx, matterId, body, opts));
}

/**
 * `POST /matters/:id/transitions`: fires the transition and answers the matter as it is afterwards —
 * even when the transition took it out of the caller's read scope. With an `Idempotency-Key`, a retry
 * (same caller, matter and transition) gets the first answer and changes nothing.
 */
export async function transitionMatter(
  ctx: Ctx,
  matterId: number,
  body: TransitionBody,
  idempotencyKey?: string,
): Promise<MatterDetail> {
  const route = `POST /matters/${matterId}/transitions ${body.name}`;
  return withIdempotency(ctx, idempotencyKey, route, requestFingerprint(body), async (trx) => {
    await applyTransition(trx, ctx, matterId, body);
    return loadMatterDetail(trx, ctx, matterId);
  });
}

/**
 * Fires a workflow transition on a matter inside the caller's transaction `trx` (every read and write
 * goes through it), in this order of refusals: outside the caller's read scope 404; wrong state, flags,
 * a stale `version`, or verifying a matter whose category requires photos without any attachment 409
 * (`details.state`); not the caller's to fire 403 (docs/matters.md, "Who may fire what"); a missing or
 * wrong input 400 naming the field. Then the guarded update (409 when someone else moved first), the
 * event, the audit row, the notifications, and — on the third return or the third unit — the
 * problem-matter escalation. With `system`, no caller is checked: the audit names 'system' and the
 * event has no actor. Returns the matter as it is afterwards.
 */
export async function applyTransition(
  trx: Tx,
  ctx: Ctx,
  matterId: number,
  body: TransitionBody,
  opts: TransitionOptions = {},
): Promise<MatterRow> {
  const system = opts.system === true;
  const name = body.name;
  if (!isMatterTransitionName(name)) throw invalid('body.name', 'is not a transition');
  const row = await findMatter(trx, matterId);
  if (!row) throw new AppError('NOT_FOUND', 'No such matter');
  if (!system) requireMatterRead(ctx, row);
  const category = await findMatterCategory(trx, row.category_id);
  const facts = { ...row, petition: category.petition };
  if (body.version !== undefined && body.version !== row.version) {
    throw new AppError('CONFLICT', 'The matter was changed by someone else', {
      state: row.state,
      version: row.version,
    });
  }
  const conflict = transitionConflict(facts, name);
  if (conflict) throw new AppError('CONFLICT', conflict, { state: row.state, flags: row.flags });
  if (name === 'verify_pass' && needsPhotos(category) && !(await hasAttachments(trx, row.id))) {
    throw new AppError('CONFLICT', 'This category requires photos: attach at least one before verifying', {
      state: row.state,
      requiredFields: ['photos'],
    });
  }
  const now = ctx.clock.now();
  if (!system) {
    const denial = transitionDenial(ctx, facts, name, now);
    if (denial) throw new AppError('FORBIDDEN', denial, { transition: name }, { denial: true });
  }
  const inputs = await resolveInputs(trx, ctx, row, category, name, body, opts);
  const cal = await workCalendar(trx, now);
  const actx: Ctx = system ? { ...ctx, actor: null } : ctx;
  return writeTransition(trx, actx, row, category, name, inputs, cal);
}

/** The category asks for photos of the result (`required_fields` holds 'photos'). */
const needsPhotos = (category: MatterCategory) => category.required_fields.includes('photos');

/** Checks the inputs the transition needs (400 naming the field) and resolves ids to rows. */
async function resolveInputs(
  q: Queryable,
  ctx: Ctx,
  row: MatterRow,
  category: MatterCategory,
  name: MatterTransitionName,
  body: TransitionBody,
  opts: TransitionOptions,
): Promise<Inputs> {
  const t = MATTER_TRANSITIONS[name];
  const inputs: Inputs = { ...NO_INPUTS, note: clean(body.note) };
  inputs.reason = clean(body.reason) ?? clean(opts.reason) ?? (opts.system ? SYSTEM_REASON : null);
  if (t.needsReason && !inputs.reason) throw invalid('body.reason', 'is required');
  if (name === 'progress_note' && !inputs.note && !body.attachmentIds?.length) {
    throw invalid('body.note', 'a note or attachments are required');
  }
  if (t.input === 'result') {
    inputs.result = clean(body.result);
    if (!inputs.result) throw invalid('body.result', 'is required');
  }
  if (t.input === 'rating') {
    if (!body.rating || !(MATTER_RATINGS as readonly string[]).includes(body.rating)) {
      throw invalid('body.rating', 'is required');
    }
    inputs.rating = body.rating as MatterRating;
  }
  if (name === 'request_extension') {
    if (body.extensionDays === undefined) throw invalid('body.extensionDays', 'is required');
    inputs.extensionDays = body.extensionDays;
  }
  if (name === 'approve_extension') {
    inputs.extensionDays = await lastExtensionRequest(q, row.id);
    if (inputs.extensionDays === null) throw new AppError('CONFLICT', 'No extension request to approve');
  }
  if (t.input === 'target_matter') inputs.targetMatterId = await resolveTarget(q, ctx, row, body, opts);
  if (t.input === 'assignee') {
    inputs.assignee = await resolveAssignee(q, row, body);
    const key = unitKey(inputs.assignee.gridId, inputs.assignee.departmentId);
    inputs.unitsPassed = new Set([...(await dispatchTargets(q, row.id)), key]).size;
  }
  inputs.owner = await resolveOwnerMove(q, ctx, row, name);
  const ids = [...new Set(body.attachmentIds ?? [])];
  const found = await attachmentsOfMatter(q, row.id, ids);
  if (found.length !== ids.length) throw invalid('body.attachmentIds', 'must be attachments of this matter');
  // The handling feedback shows the result: at least one photo when the category asks for them.
  if ((name === 'handle' || name === 'handle_on_spot') && needsPhotos(category) && ids.length === 0) {
    throw invalid('body.attachmentIds', 'this category requires photos of the result');
  }
  inputs.attachmentIds = ids;
  return inputs;
}

async function resolveTarget(
  q: Queryable,
  ctx: Ctx,
  row: MatterRow,
  body: TransitionBody,
  opts: TransitionOptions,
) {
  const id = body.targetMatterId;
  if (id === undefined) throw invalid('body.targetMatterId', 'is required');
  if (id === row.id) throw invalid('body.targetMatterId', 'cannot be the matter itself');
  const target = await findMatter(q, id);
  if (!target || (!opts.system && !coversMatter(ctx, 'matter.read', target))) {
    throw invalid('body.targetMatterId', 'no such matter in your scope');
  }
  if (!isOpen(target.state as MatterState)) throw invalid('body.targetMatterId', 'is not open');
  return target.id;
}

/** A unit at or below the owning level: a grid, a department (in the owner's grid), or a department in a grid. */
async function resolveAssignee(q: Queryable, row: MatterRow, body: TransitionBody) {
  const a = body.assignee;
  if (!a) throw invalid('body.assignee', 'is required');
  let grid: GridRef = { id: row.owner_grid_id, path: row.owner_path };
  if (a.gridId !== undefined) {
    const found = await findGrid(q, a.gridId);
    if (!found?.path.startsWith(row.owner_path)) {
      throw invalid('body.assignee.gridId', 'must be the owning level or a grid below it');
    }
    grid = found;
  }
  if (a.departmentId !== undefined && !(await findActiveDepartment(q, a.departmentId))) {
    throw invalid('body.assignee.departmentId', 'is not an active department');
  }
  return { gridId: grid.id, path: grid.path, departmentId: a.departmentId ?? null };
}

async function resolveOwnerMove(
  q: Queryable,
  ctx: Ctx,
  row: MatterRow,
  name: MatterTransitionName,
): Promise<GridRef | null> {
  switch (name) {
    case 'return': {
      const back = row.dispatcher_grid_id === null ? undefined : await findGrid(q, row.dispatcher_grid_id);
      return back ?? { id: row.owner_grid_id, path: row.owner_path };
    }
    case 'escalate': {
      const parent = parentPath(row.owner_path);
      if (!parent)
        throw new AppError('CONFLICT', 'The matter is at the top level already', { state: row.state });
      return { id: gridIdOfPath(parent), path: parent };
    }
    case 'pull_up': {
      const path = supervisingPath(ctx, row);
      if (!path)
        throw new AppError('CONFLICT', 'No level above the owner to pull the matter up to', {
          state: row.state,
        });
      return { id: gridIdOfPath(path), path };
    }
    default:
      return null;
  }
}

/** The unit family of the running step's limit: working days stay working days. */
function stepUnit(row: MatterRow, limits: CategoryLimits | null): TimeUnit {
  const step = stepOf(row.state as MatterState);
  return (step && limits?.[step]?.unit) || 'days';
}

/** `at` moved by `days` natural days, or by `days` working days (keeping the time of day) for workday limits. */
function extendBy(at: Date, days: number, unit: TimeUnit, cal: WorkCalendar): Date {
  if (unit !== 'workdays') return new Date(at.getTime() + days * DAY);
  const before = new Date(at.getTime() - 1);
  const nextDayStart = startOfShanghaiDay(shanghaiDate(before)).getTime() + DAY;
  const end = addLimit(before, { amount: days, unit: 'workdays' }, cal).getTime();
  return new Date(at.getTime() + (end - nextDayStart));
}

/** The column changes and the event detail of one transition; pure. */
function changesFor(
  row: MatterRow,
  name: MatterTransitionName,
  inputs: Inputs,
  actorId: number | null,
  now: Date,
  limits: CategoryLimits | null,
  cal: WorkCalendar,
): { set: Updateable<MatterTable>; detail: Record<string, unknown> } {
  const t = MATTER_TRANSITIONS[name];
  const flags = flagsAfter(name, row.flags as MatterFlag[]);
  const set: Updateable<MatterTable> = { state: t.to, flags, updated_at: now };
  const detail: Record<string, unknown> = {};
  if (inputs.reason) detail.reason = inputs.reason;
  const moveOwner = (to: GridRef) => {
    Object.assign(set, {
      owner_grid_id: to.id,
      owner_path: to.path,
      assignee_grid_id: null,
      assignee_path: null,
      department_id: null,
    });
    detail.owner = { from: row.owner_grid_id, to: to.id };
  };
  switch (name) {
    case 'merge':
      set.merged_into = inputs.targetMatterId;
      detail.targetMatterId = inputs.targetMatterId;
      break;
    case 'dispatch': {
      const a = inputs.assignee!;
      Object.assign(set, {
        assignee_grid_id: a.gridId,
        assignee_path: a.path,
        department_id: a.departmentId,
        dispatcher_grid_id: row.owner_grid_id,
        units_passed: inputs.unitsPassed ?? row.units_passed,
      });
      detail.assignee = { gridId: a.gridId, departmentId: a.departmentId };
      detail.target = unitKey(a.gridId, a.departmentId);
      break;
    }
    case 'return':
      moveOwner(inputs.owner!);
      set.return_count = row.return_count + 1;
      break;
    case 'request_extension':
      detail.extensionDays = inputs.extensionDays;
      break;
    case 'approve_extension': {
      const days = inputs.extensionDays!;
      const unit = stepUnit(row, limits);
      const due = row.due_at && extendBy(new Date(row.due_at), days, unit, cal);
      const warn = row.warn_at && extendBy(new Date(row.warn_at), days, unit, cal);
      Object.assign(set, {
        due_at: due,
        warn_at: warn,
        extension_days: row.extension_days + days,
        overdue: row.overdue && !(due && due > now),
        warned: row.warned && !(warn && warn > now),
      });
      detail.extensionDays = days;
      break;
    }
    case 'pause':
      set.paused_at = now;
      set.paused_reason = inputs.reason;
      break;
    case 'resume': {
      const from = row.paused_at ? new Date(row.paused_at) : now;
      const unit = stepUnit(row, limits);
      set.due_at = row.due_at && shiftForPause(new Date(row.due_at), from, now, unit, cal);
      set.warn_at = row.warn_at && shiftForPause(new Date(row.warn_at), from, now, unit, cal);
      set.paused_at = null;
      set.paused_reason = null;
      detail.pausedMs = now.getTime() - from.getTime();
      break;
    }
    case 'handle':
    case 'handle_on_spot':
      set.handler_id = actorId;
      set.result = inputs.result;
      detail.result = inputs.result;
      break;
    case 'self_handle':
      Object.assign(set, {
        assignee_grid_id: row.owner_grid_id,
        assignee_path: row.owner_path,
        department_id: null,
        dispatcher_grid_id: row.owner_grid_id,
      });
      break;
    case 'escalate':
      moveOwner(inputs.owner!);
      set.escalation_count = row.escalation_count + 1;
      break;
    case 'pull_up':
      moveOwner(inputs.owner!);
      break;
    case 'verify_pass':
      set.verifier_id = actorId;
      set.closed_at = now;
      break;
    case 'verify_fail':
      set.verifier_id = actorId;
      set.rework_count = row.rework_count + 1;
      break;
    case 'rate':
      set.rating = inputs.rating;
      set.rated_at = now;
      detail.rating = inputs.rating;
      break;
    case 'reopen':
      Object.assign(set, {
        rework_count: row.rework_count + 1,
        rating: null,
        rated_at: null,
        closed_at: null,
      });
      detail.previousRating = row.rating;
      break;
    default:
      break;
  }
  if (row.paused_at !== null && !flags.includes('paused') && name !== 'resume') {
    set.paused_at = null;
    set.paused_reason = null;
  }
  // The clock restarts when the state changes or the matter changes hands; a self-loop keeps it.
  const handsChanged =
    (set.owner_grid_id !== undefined && set.owner_grid_id !== row.owner_grid_id) ||
    (name === 'dispatch' &&
      (set.assignee_grid_id !== row.assignee_grid_id || set.department_id !== row.department_id));
  if (t.to !== row.state || handsChanged) Object.assign(set, planStep(t.to, limits, now, cal));
  return { set, detail };
}

/** The write of one transition inside `trx`, its checks done; returns the matter as it is afterwards. */
async function writeTransition(
  trx: Tx,
  ctx: Ctx,
  row: MatterRow,
  category: MatterCategory,
  name: MatterTransitionName,
  inputs: Inputs,
  cal: WorkCalendar,
): Promise<MatterRow> {
  const now = ctx.clock.now();
  const limits = category.limits as CategoryLimits | null;
  const actorId = ctx.actor?.id ?? null;
  const { set, detail } = changesFor(row, name, inputs, actorId, now, limits, cal);
  const updated = await updateMatterGuarded(trx, row.id, { state: row.state, version: row.version }, set);
  if (!updated) {
    const current = await findMatter(trx, row.id);
    throw new AppError('CONFLICT', 'The matter was changed by someone else', {
      state: current?.state ?? null,
    });
  }
  await insertMatterEvent(trx, {
    matterId: row.id,
    at: now,
    actorId,
    action: name,
    fromState: row.state,
    toState: updated.state,
    note: inputs.note,
    detail: actorId === null ? { ...detail, system: true } : detail,
    attachmentIds: inputs.attachmentIds,
  });
  // The audit keeps ids and states; free text stays in the event (the reason has its own column).
  const { reason: _reason, result: _result, ...auditFacts } = detail;
  await writeAudit(trx, ctx, {
    action: `matter.${name}`,
    objectType: 'matter',
    objectId: row.id,
    objectPath: row.grid_path,
    reason: inputs.reason,
    detail: {
      code: row.code,
      from: row.state,
      to: updated.state,
      ...auditFacts,
      ...(inputs.attachmentIds.length ? { attachmentIds: inputs.attachmentIds } : {}),
    },
  });
  const cause = problemCause(row, updated, name);
  if (cause) return problemMatter(trx, ctx, updated, limits, cal, cause);
  await notifyTransition(trx, ctx, updated, name);
  return updated;
}

type ProblemCause = 'returns' | 'units';

/** The third return or the third unit makes a problem matter (问题工单), once per matter. */
function problemCause(before: MatterRow, after: MatterRow, name: MatterTransitionName): ProblemCause | null {
  if (before.problem) return null;
  if (name === 'return' && after.return_count >= PROBLEM_THRESHOLD) return 'returns';
  if (name === 'dispatch' && after.units_passed >= PROBLEM_THRESHOLD) return 'units';
  return null;
}

const PROBLEM_REASONS: Record<ProblemCause, string> = {
  returns: `问题工单：退件达${PROBLEM_THRESHOLD}次，自动提级督办`,
  units: `问题工单：流转${PROBLEM_THRESHOLD}个单位仍无人牵头，自动提级督办`,
};

/**
 * Marks a problem matter: the owner moves one level up (state `accepted` there, recorded as a system
 * `escalate`) and an automatic supervision order is opened from that level, due in one working day
 * (event `supervise`, audit `supervision.create`, both by the system).
 * At the top level the matter stays where it is; the order comes from the top level itself.
 */
async function problemMatter(
  trx: Tx,
  ctx: Ctx,
  m: MatterRow,
  limits: CategoryLimits | null,
  cal: WorkCalendar,
  cause: ProblemCause,
): Promise<MatterRow> {
  const now = ctx.clock.now();
  const sctx: Ctx = { ...ctx, actor: null };
  const reason = PROBLEM_REASONS[cause];
  const parent = parentPath(m.owner_path);
  const owner: GridRef = parent
    ? { id: gridIdOfPath(parent), path: parent }
    : { id: m.owner_grid_id, path: m.owner_path };
  const set: Updateable<MatterTable> = {
    problem: true,
    open_supervisions: m.open_supervisions + 1,
    updated_at: now,
  };
  if (parent) {
    Object.assign(set, {
      state: 'accepted',
      flags: [],
      owner_grid_id: owner.id,
      owner_path: owner.path,
      assignee_grid_id: null,
      assignee_path: null,
      department_id: null,
      paused_at: null,
      paused_reason: null,
      escalation_count: m.escalation_count + 1,
      ...planStep('accepted', limits, now, cal),
    });
  }
  const moved = await updateMatterGuarded(trx, m.id, { state: m.state, version: m.version }, set);
  if (!moved) throw new AppError('CONFLICT', 'The matter was changed by someone else', { state: m.state });
  if (parent) {
    const detail = { reason, owner: { from: m.owner_grid_id, to: owner.id }, problem: cause, system: true };
    await insertMatterEvent(trx, {
      matterId: m.id,
      at: now,
      actorId: null,
      action: 'escalate',
      fromState: m.state,
      toState: moved.state,
      detail,
    });
    await writeAudit(trx, sctx, {
      action: 'matter.escalate',
      objectType: 'matter',
      objectId: m.id,
      objectPath: m.grid_path,
      reason,
      detail: { code: m.code, from: m.state, to: moved.state, owner: detail.owner, problem: cause },
    });
  }
  const deadline = addLimit(now, { amount: 1, unit: 'workdays' }, cal);
  const supervisionId = await insertSupervision(trx, {
    matterId: m.id,
    issuerId: null,
    issuerGridId: owner.id,
    priority: 'high',
    reason,
    deadline,
    automatic: true,
    at: now,
  });
  // Like a supervision order issued by hand (supervision.service.ts), but from the system.
  await insertMatterEvent(trx, {
    matterId: m.id,
    at: now,
    actorId: null,
    action: 'supervise',
    fromState: null,
    toState: null,
    note: reason,
    detail: {
      supervisionId,
      priority: 'high',
      deadline: deadline.toISOString(),
      automatic: true,
      problem: cause,
    },
  });
  await writeAudit(trx, sctx, {
    action: 'supervision.create',
    objectType: 'supervision',
    objectId: supervisionId,
    objectPath: m.grid_path,
    reason,
    detail: { matterId: m.id, automatic: true, problem: cause, issuerGridId: owner.id },
  });
  const holders = [
    ...(await accountsHolding(trx, 'matter.accept', owner.path)),
    ...(await accountsHolding(trx, 'matter.dispatch', owner.path)),
  ];
  await notifyAccounts(trx, ctx, holders, {
    matter: refOf(moved),
    kind: 'matter.problem',
    title: `问题工单：${moved.code} ${moved.title}`,
    body: reason,
  });
  return moved;
}

/** Tells the people who owe the next step. */
async function notifyTransition(trx: Tx, ctx: Ctx, m: MatterRow, name: MatterTransitionName): Promise<void> {
  const send = async (ids: number[], title: string) =>
    notifyAccounts(trx, ctx, ids, {
      matter: refOf(m),
      kind: `matter.${name}`,
      title: `${title}：${m.code} ${m.title}`,
    });
  switch (name) {
    case 'dispatch':
      await send(
        await accountsHolding(trx, 'matter.sign', m.assignee_path ?? m.owner_path, m.department_id),
        '待签收',
      );
      return;
    case 'return':
      await send(await accountsHolding(trx, 'matter.dispatch', m.owner_path), '退件待重新分拨');
      return;
    case 'handle':
    case 'handle_on_spot':
      await send(await accountsHolding(trx, 'matter.verify', m.grid_path), '待核查');
      return;
    case 'escalate':
    case 'pull_up':
      await send(
        [
          ...(await accountsHolding(trx, 'matter.accept', m.owner_path)),
          ...(await accountsHolding(trx, 'matter.dispatch', m.owner_path)),
        ],
        name === 'escalate' ? '上级待受理' : '提级办理',
      );
      return;
    case 'request_extension':
      await send(await accountsHolding(trx, 'matter.dispatch', m.owner_path), '延期申请待审批');
      return;
    case 'verify_fail':
    case 'reopen':
      await send(
        await accountsHolding(trx, 'matter.handle', m.assignee_path ?? m.owner_path, m.department_id),
        '发回重办',
      );
      return;
    default:
      return;
  }
}
