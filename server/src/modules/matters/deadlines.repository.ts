import type { Queryable } from '../../db/client.ts';

/** Where a batch of candidates resumes: after this (deadline, id). */
export interface SweepCursor {
  at: Date;
  id: number;
}

export type DeadlineColumn = 'due_at' | 'warn_at';

/**
 * Matters whose running deadline (`due_at`) or warning mark (`warn_at`) has passed and that have not been
 * flagged yet, oldest first, resuming after `after`. The predicate repeats the partial indexes'
 * (`matter_due_idx`, `matter_warn_idx`), so the read costs what is due, not what is open.
 */
export function deadlineCandidates(
  q: Queryable,
  column: DeadlineColumn,
  now: Date,
  after: SweepCursor | null,
  limit: number,
) {
  const flag = column === 'due_at' ? 'overdue' : 'warned';
  let query = q
    .selectFrom('matter')
    .select(['id', `${column} as at`])
    .where(column, 'is not', null)
    .where(column, '<=', now)
    .where((eb) => eb.not(eb.ref(flag)))
    .where('paused_at', 'is', null);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb(column, '>', after.at), eb.and([eb(column, '=', after.at), eb('id', '>', after.id)])]),
    );
  }
  return query.orderBy(column).orderBy('id').limit(limit);
}

/**
 * Locks one candidate for this sweep if it is still due and no other node holds it
 * (`FOR UPDATE SKIP LOCKED`): several nodes may sweep at once without doing the same matter twice.
 * A matter past its due time is never warned: it waits for the overdue pass (whose transaction may
 * have failed this time, e.g. in the escalation), which tells it once.
 */
export function claimDeadline(q: Queryable, column: DeadlineColumn, id: number, now: Date) {
  const flag = column === 'due_at' ? 'overdue' : 'warned';
  let query = q
    .selectFrom('matter')
    .select([
      'id',
      'code',
      'title',
      'state',
      'version',
      'step',
      'due_at',
      'grid_path',
      'owner_path',
      'assignee_path',
      'department_id',
    ])
    .where('id', '=', id)
    .where(column, '<=', now)
    .where((eb) => eb.not(eb.ref(flag)))
    .where('paused_at', 'is', null);
  if (column === 'warn_at') {
    query = query.where((eb) => eb.or([eb('due_at', 'is', null), eb('due_at', '>', now)]));
  }
  return query.forUpdate().skipLocked().executeTakeFirst();
}

export type ClaimedMatter = NonNullable<Awaited<ReturnType<typeof claimDeadline>>>;

/** Flags the step as nearly due, or as overdue (which implies warned: one notice, not two). */
export async function flagDeadline(
  q: Queryable,
  id: number,
  flag: 'warned' | 'overdue',
  now: Date,
): Promise<void> {
  await q
    .updateTable('matter')
    .set(
      flag === 'overdue'
        ? { overdue: true, warned: true, updated_at: now }
        : { warned: true, updated_at: now },
    )
    .where('id', '=', id)
    .execute();
}

/** An event written by the system (no actor). */
export async function insertSystemEvent(
  q: Queryable,
  e: { matterId: number; at: Date; action: string; detail: Record<string, unknown> },
): Promise<void> {
  await q
    .insertInto('matter_event')
    .values({
      matter_id: e.matterId,
      at: e.at,
      actor_id: null,
      action: e.action,
      detail: JSON.stringify(e.detail),
    })
    .execute();
}
