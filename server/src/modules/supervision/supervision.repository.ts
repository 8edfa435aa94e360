import type { Queryable } from '../../db/client.ts';

export type SupervisionState = 'open' | 'replied' | 'closed';

/** Matters to supervise, locked in id order (so that two overlapping requests cannot deadlock). */
export function lockMatters(q: Queryable, ids: readonly number[]) {
  return q
    .selectFrom('matter')
    .select(['id', 'code', 'title', 'state', 'grid_path', 'owner_path', 'assignee_path', 'department_id'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export type LockedMatter = Awaited<ReturnType<typeof lockMatters>>[number];

export function findMatterPlacement(q: Queryable, id: number) {
  return q
    .selectFrom('matter')
    .select(['id', 'code', 'title', 'grid_path', 'owner_path', 'assignee_path', 'department_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertSupervision(
  q: Queryable,
  s: {
    matterId: number;
    issuerId: number | null;
    issuerGridId: number;
    priority: string;
    reason: string;
    deadline: Date;
    automatic?: boolean;
    at: Date;
  },
): Promise<number> {
  const row = await q
    .insertInto('supervision')
    .values({
      matter_id: s.matterId,
      issuer_id: s.issuerId,
      issuer_grid_id: s.issuerGridId,
      priority: s.priority,
      reason: s.reason,
      deadline: s.deadline,
      state: 'open',
      automatic: s.automatic ?? false,
      created_at: s.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Moves `matter.open_supervisions` by `delta`, never below zero. */
export async function bumpOpenSupervisions(q: Queryable, matterId: number, delta: 1 | -1, at: Date) {
  await q
    .updateTable('matter')
    .set((eb) => ({
      open_supervisions:
        delta > 0
          ? eb('open_supervisions', '+', 1)
          : eb.fn('greatest', [eb('open_supervisions', '-', 1), eb.lit(0)]),
      updated_at: at,
    }))
    .where('id', '=', matterId)
    .execute();
}

export async function insertEvent(
  q: Queryable,
  e: {
    matterId: number;
    at: Date;
    actorId: number | null;
    action: string;
    note?: string | null;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await q
    .insertInto('matter_event')
    .values({
      matter_id: e.matterId,
      at: e.at,
      actor_id: e.actorId,
      action: e.action,
      note: e.note ?? null,
      detail: JSON.stringify(e.detail),
    })
    .execute();
}

/** Supervision rows with the names the presenter shows and the matter columns the policy needs. */
function selectViews(q: Queryable) {
  return q
    .selectFrom('supervision as s')
    .innerJoin('grid as ig', 'ig.id', 's.issuer_grid_id')
    .innerJoin('matter as m', 'm.id', 's.matter_id')
    .leftJoin('account as a', 'a.id', 's.issuer_id')
    .select([
      's.id',
      's.matter_id',
      's.issuer_id',
      'a.display_name as issuer_name',
      's.issuer_grid_id',
      'ig.name as issuer_grid_name',
      'ig.path as issuer_grid_path',
      's.priority',
      's.reason',
      's.deadline',
      's.state',
      's.reply',
      's.replied_by',
      's.replied_at',
      's.automatic',
      's.created_at',
      'm.code as matter_code',
      'm.title as matter_title',
      'm.grid_path',
      'm.owner_path',
      'm.assignee_path',
      'm.department_id',
    ]);
}

export type SupervisionView = Awaited<ReturnType<ReturnType<typeof selectViews>['execute']>>[number];

export function findSupervision(q: Queryable, id: number) {
  return selectViews(q).where('s.id', '=', id).executeTakeFirst();
}

export function findSupervisionsByIds(q: Queryable, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([] as SupervisionView[]);
  return selectViews(q).where('s.id', 'in', ids).orderBy('s.id').execute();
}

export function listSupervisionsOfMatter(q: Queryable, matterId: number) {
  return selectViews(q).where('s.matter_id', '=', matterId).orderBy('s.id').execute();
}

/** Records the reply if the order is still open; false when someone else answered or closed it first. */
export async function replyIfOpen(
  q: Queryable,
  id: number,
  r: { reply: string; repliedBy: number; at: Date },
): Promise<boolean> {
  const row = await q
    .updateTable('supervision')
    .set({ reply: r.reply, replied_by: r.repliedBy, replied_at: r.at, state: 'replied' })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Closes an open or replied order; false when it was closed already. */
export async function closeIfNotClosed(q: Queryable, id: number): Promise<boolean> {
  const row = await q
    .updateTable('supervision')
    .set({ state: 'closed' })
    .where('id', '=', id)
    .where('state', 'in', ['open', 'replied'])
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Open orders past their deadline whose issuer has not been told yet, oldest first, resuming after
 * `after`. The predicate repeats the partial index's (`supervision_overdue_idx`), so the read costs
 * what is newly due, not what is open.
 */
export function overdueSupervisionCandidates(
  q: Queryable,
  now: Date,
  after: { at: Date; id: number } | null,
  limit: number,
) {
  let query = q
    .selectFrom('supervision as s')
    .select(['s.id', 's.deadline as at'])
    .where('s.state', '=', 'open')
    .where('s.overdue_notified_at', 'is', null)
    .where('s.deadline', '<=', now);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('s.deadline', '>', after.at),
        eb.and([eb('s.deadline', '=', after.at), eb('s.id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('s.deadline').orderBy('s.id').limit(limit);
}

/** Locks one overdue order for this sweep if it still is one, untold, and no other node holds it. */
export function claimOverdueSupervision(q: Queryable, id: number, now: Date) {
  return q
    .selectFrom('supervision as s')
    .select('s.id')
    .where('s.id', '=', id)
    .where('s.state', '=', 'open')
    .where('s.overdue_notified_at', 'is', null)
    .where('s.deadline', '<=', now)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** Marks the order's issuer as told that it is overdue. */
export async function markOverdueNotified(q: Queryable, id: number, at: Date): Promise<void> {
  await q.updateTable('supervision').set({ overdue_notified_at: at }).where('id', '=', id).execute();
}
