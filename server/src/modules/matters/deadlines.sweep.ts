import type { Queryable, Tx } from '../../db/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { accountsHolding, notifyAccounts } from '../notifications/notify.ts';
import { notifyOverdueSupervisions } from '../supervision/supervision.service.ts';
import {
  type ClaimedMatter,
  claimDeadline,
  type DeadlineColumn,
  deadlineCandidates,
  flagDeadline,
  insertSystemEvent,
  type SweepCursor,
} from './deadlines.repository.ts';
import type { MatterStep } from './deadlines.ts';
import { parentPath } from './matters.policy.ts';
import { applyTransition } from './matters.service.ts';

export interface SweepResult {
  warned: number;
  overdue: number;
  escalated: number;
  /** Supervision orders past their deadline whose issuer was told this time. */
  supervisionsOverdue: number;
}

/**
 * Moves an overdue matter one level up, inside the sweep's transaction for that matter (`trx`, which
 * holds the matter's row lock): the overdue flag, the escalation and their audit rows commit together
 * or not at all. `version` is the one the sweep saw; a CONFLICT (the transition no longer fits) leaves
 * the matter flagged but where it is; any other error rolls the whole matter back for the next sweep.
 */
export type Escalate = (
  trx: Tx,
  ctx: Ctx,
  matter: { id: number; version: number },
  reason: string,
) => Promise<void>;

export interface SweepDeps {
  escalate?: Escalate;
  /** Candidates read per query (default 200). */
  batchSize?: number;
}

export const AUTO_ESCALATION_REASON = '超时自动上报';

/** The steps whose overdue matters go one level up by themselves. */
const ESCALATING_STEPS: readonly string[] = ['sign', 'handle'] satisfies MatterStep[];

const STEP_LABELS: Record<MatterStep, string> = {
  accept: '受理',
  sign: '签收',
  handle: '处置',
  verify: '核查',
};

/** The write side's `escalate` transition, fired by the system in the caller's transaction. */
export const escalateByTransition: Escalate = async (trx, ctx, matter, reason) => {
  await applyTransition(
    trx,
    ctx,
    matter.id,
    { name: 'escalate', reason, version: matter.version },
    { system: true, reason },
  );
};

/** Shanghai wall-clock time, for notification text. */
function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The people who owe the current step: the owner's desk, the assignee's unit, or the verifiers of the place. */
async function stepHolders(q: Queryable, m: ClaimedMatter): Promise<number[]> {
  // The unit that owes the step, and for a dispatched matter also the level that dispatched it.
  const owner = () => accountsHolding(q, 'matter.dispatch', m.owner_path);
  switch (m.step as MatterStep | null) {
    case 'accept':
      return accountsHolding(q, 'matter.accept', m.owner_path);
    case 'sign':
      return [
        ...(await accountsHolding(q, 'matter.sign', m.assignee_path ?? m.owner_path, m.department_id)),
        ...(await owner()),
      ];
    case 'handle':
      return [
        ...(await accountsHolding(q, 'matter.handle', m.assignee_path ?? m.owner_path, m.department_id)),
        ...(await owner()),
      ];
    case 'verify':
      return accountsHolding(q, 'matter.verify', m.grid_path);
    default:
      return [];
  }
}

async function* candidates(
  ctx: Ctx,
  column: DeadlineColumn,
  now: Date,
  size: number,
): AsyncGenerator<number> {
  let after: SweepCursor | null = null;
  for (;;) {
    const rows: { id: number; at: Date | null }[] = await deadlineCandidates(
      ctx.db,
      column,
      now,
      after,
      size,
    ).execute();
    for (const r of rows) yield r.id;
    const last = rows[rows.length - 1];
    // A full batch that ends where the last one did made no progress (its rows are held elsewhere).
    if (!last || rows.length < size || !last.at || (after !== null && last.id === after.id)) return;
    after = { at: last.at, id: last.id };
  }
}

/** Flags one matter as nearly due: event, notice to the step's holders, audit — in one transaction. */
function warnOne(ctx: Ctx, id: number, now: Date): Promise<ClaimedMatter | null> {
  return ctx.db.transaction().execute(async (trx) => {
    const m = await claimDeadline(trx, 'warn_at', id, now);
    if (!m) return null;
    const step = m.step as MatterStep | null;
    const dueAt = m.due_at ? new Date(m.due_at) : null;
    await flagDeadline(trx, m.id, 'warned', now);
    await insertSystemEvent(trx, {
      matterId: m.id,
      at: now,
      action: 'warning',
      detail: { step, dueAt: dueAt?.toISOString() ?? null },
    });
    await notifyAccounts(trx, ctx, await stepHolders(trx, m), {
      matter: m,
      kind: 'matter.warning',
      title: `临期预警：${m.code} ${m.title}`,
      body: `${step ? STEP_LABELS[step] : ''}时限将于 ${dueAt ? shanghaiTime(dueAt) : '—'} 到期`,
    });
    await writeAudit(trx, ctx, {
      action: 'matter.warning',
      objectType: 'matter',
      objectId: m.id,
      objectPath: m.grid_path,
      detail: { step, dueAt: dueAt?.toISOString() ?? null },
    });
    return m;
  });
}

/**
 * Flags one matter as overdue and, for an overdue `sign` or `handle` step below a root, escalates it —
 * all in one transaction: the flag, the `overdue` event and audit row, the escalation (its event,
 * audit row and notices) and the overdue notices to the step's holders and the supervisors one level
 * above the owner. Returns the matter and whether it went up.
 */
function overdueOne(
  ctx: Ctx,
  id: number,
  now: Date,
  escalate: Escalate,
): Promise<{ m: ClaimedMatter; escalated: boolean } | null> {
  return ctx.db.transaction().execute(async (trx) => {
    const m = await claimDeadline(trx, 'due_at', id, now);
    if (!m) return null;
    const step = m.step as MatterStep | null;
    const dueAt = m.due_at ? new Date(m.due_at) : null;
    const parent = parentPath(m.owner_path);
    const escalates = step !== null && ESCALATING_STEPS.includes(step) && parent !== null;
    await flagDeadline(trx, m.id, 'overdue', now);
    await insertSystemEvent(trx, {
      matterId: m.id,
      at: now,
      action: 'overdue',
      detail: { step, dueAt: dueAt?.toISOString() ?? null },
    });
    await writeAudit(trx, ctx, {
      action: 'matter.overdue',
      objectType: 'matter',
      objectId: m.id,
      objectPath: m.grid_path,
      detail: { step, dueAt: dueAt?.toISOString() ?? null, escalate: escalates },
    });
    let escalated = false;
    if (escalates) {
      try {
        await escalate(trx, ctx, { id: m.id, version: m.version }, AUTO_ESCALATION_REASON);
        escalated = true;
      } catch (err) {
        // The transition refused before writing anything (the matter no longer fits it): keep the flag.
        if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
      }
    }
    const supervisors = parent ? await accountsHolding(trx, 'matter.supervise', parent) : [];
    await notifyAccounts(trx, ctx, [...(await stepHolders(trx, m)), ...supervisors], {
      matter: m,
      kind: 'matter.overdue',
      title: `超时：${m.code} ${m.title}`,
      body: `${step ? STEP_LABELS[step] : ''}时限已于 ${dueAt ? shanghaiTime(dueAt) : '—'} 到期${escalated ? '，已自动上报上级' : ''}`,
    });
    return { m, escalated };
  });
}

/**
 * The deadline sweep (every minute, on every node): flags matters whose step is overdue, then those
 * nearly due, reading only the due rows through the partial indexes, in batches; each matter commits in a
 * transaction of its own with its event, notices and audit row. An overdue `sign` or `handle` step goes one
 * level up by itself in that same transaction (`deps.escalate`, a system `escalate` transition that
 * re-plans the step, so it happens at most once per step), unless the owner is a root: if the escalation
 * fails, the overdue flag rolls back with it and the next sweep tries both again. Last, open supervision
 * orders past their deadline are reported to their issuer once. A failure on one matter does not stop the
 * others; the failures are thrown together at the end, for the job log.
 */
export async function sweepDeadlines(ctx: Ctx, deps: SweepDeps = {}): Promise<SweepResult> {
  const now = ctx.clock.now();
  const size = deps.batchSize ?? 200;
  const escalate = deps.escalate ?? escalateByTransition;
  const result: SweepResult = { warned: 0, overdue: 0, escalated: 0, supervisionsOverdue: 0 };
  const failures: unknown[] = [];

  // Overdue first: it also sets `warned`, so a matter past both marks gets one notice, not two.
  for await (const id of candidates(ctx, 'due_at', now, size)) {
    const done = await overdueOne(ctx, id, now, escalate).catch((err: unknown) => {
      failures.push(err);
      return null;
    });
    if (!done) continue;
    result.overdue++;
    if (done.escalated) result.escalated++;
  }

  for await (const id of candidates(ctx, 'warn_at', now, size)) {
    const done = await warnOne(ctx, id, now).catch((err: unknown) => {
      failures.push(err);
      return null;
    });
    if (done) result.warned++;
  }

  try {
    result.supervisionsOverdue = await notifyOverdueSupervisions(ctx, now, size);
  } catch (err) {
    failures.push(err);
  }

  if (failures.length > 0) throw new AggregateError(failures, `deadline sweep: ${failures.length} failed`);
  return result;
}
