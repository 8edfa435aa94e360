import type {
  Supervision,
  SupervisionBody,
  SupervisionCloseBody,
  SupervisionReplyBody,
} from '@gridgov/common/schemas/matters';
import { isOpen, type MatterState } from '@gridgov/common/workflow/matter';
import type { Queryable } from '../../db/client.ts';
import { AppError, forbidden, notFound, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { coversMatter } from '../matters/matters.scope.ts';
import { accountsHolding, notifyAccounts } from '../notifications/notify.ts';
import { gridIdOfPath, mayClose, mayReply, supervisingPath } from './supervision.policy.ts';
import { presentSupervision } from './supervision.presenter.ts';
import {
  bumpOpenSupervisions,
  claimOverdueSupervision,
  closeIfNotClosed,
  findMatterPlacement,
  findSupervision,
  findSupervisionsByIds,
  insertEvent,
  insertSupervision,
  listSupervisionsOfMatter,
  lockMatters,
  markOverdueNotified,
  overdueSupervisionCandidates,
  replyIfOpen,
  type SupervisionView,
} from './supervision.repository.ts';

function actorOf(ctx: Ctx) {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED', undefined, undefined, { denial: true });
  return ctx.actor;
}

/** The handling staff of a matter: the owner's dispatchers and the assignee's handlers (department-aware). */
async function handlingStaff(
  q: Queryable,
  m: { owner_path: string; assignee_path: string | null; department_id: number | null },
): Promise<number[]> {
  const owner = await accountsHolding(q, 'matter.dispatch', m.owner_path);
  const assignee = m.assignee_path
    ? await accountsHolding(q, 'matter.handle', m.assignee_path, m.department_id)
    : [];
  return [...owner, ...assignee];
}

/** Whoever answers for an order's issuer: the issuing account, or, for an automatic order, its level's supervisors. */
function issuerAccounts(q: Queryable, s: SupervisionView): Promise<number[]> {
  return s.issuer_id !== null
    ? Promise.resolve([s.issuer_id])
    : accountsHolding(q, 'matter.supervise', s.issuer_grid_path);
}

/** 404 unless the order exists and the caller may read its matter (existence does not leak). */
async function loadReadable(ctx: Ctx, id: number): Promise<SupervisionView> {
  const s = await findSupervision(ctx.db, id);
  if (!s) throw notFound('No such supervision order');
  if (!coversMatter(ctx, 'matter.read', s)) throw notFound('No such supervision order', true);
  return s;
}

async function reload(ctx: Ctx, id: number): Promise<Supervision> {
  const s = await findSupervision(ctx.db, id);
  if (!s) throw notFound('No such supervision order');
  return presentSupervision(ctx, s);
}

/**
 * Issues supervision orders (督办), one per matter, all or nothing: every matter must be readable (else
 * 404) and owned strictly below a level where the caller holds `matter.supervise` (else 403), still open
 * (else 409), and the deadline in the future (else 400). Each order records the deepest such level as its
 * issuer, counts in `matter.open_supervisions`, and is written with its `supervise` event, its audit row
 * and notices to the matter's handling staff, in one transaction.
 */
export async function createSupervisions(ctx: Ctx, body: SupervisionBody): Promise<Supervision[]> {
  const actor = actorOf(ctx);
  const now = ctx.clock.now();
  const ids = [...new Set(body.matterIds)];
  const deadline = new Date(body.deadline);
  const created = await ctx.db.transaction().execute(async (trx) => {
    const matters = await lockMatters(trx, ids);
    if (matters.length !== ids.length || matters.some((m) => !coversMatter(ctx, 'matter.read', m))) {
      throw notFound('No such matter', true);
    }
    const issuers = matters.map((m) => ({ m, path: supervisingPath(ctx, m) }));
    const refused = issuers.filter((i) => i.path === null).map((i) => i.m.id);
    if (refused.length > 0) {
      throw new AppError(
        'FORBIDDEN',
        'Supervision goes to matters owned below your level',
        { permission: 'matter.supervise', matterIds: refused },
        { denial: true },
      );
    }
    if (!(deadline.getTime() > now.getTime())) {
      throw validationError([{ field: 'body.deadline', message: 'must be in the future' }]);
    }
    const closed = matters.filter((m) => !isOpen(m.state as MatterState));
    if (closed.length > 0) {
      throw new AppError('CONFLICT', 'Only open matters can be supervised', {
        matterIds: closed.map((m) => m.id),
        state: closed[0]?.state,
      });
    }
    const out: number[] = [];
    for (const { m, path } of issuers) {
      const issuerGridId = gridIdOfPath(path as string);
      const id = await insertSupervision(trx, {
        matterId: m.id,
        issuerId: actor.id,
        issuerGridId,
        priority: body.priority,
        reason: body.reason,
        deadline,
        at: now,
      });
      await bumpOpenSupervisions(trx, m.id, 1, now);
      await insertEvent(trx, {
        matterId: m.id,
        at: now,
        actorId: actor.id,
        action: 'supervise',
        note: body.reason,
        detail: { supervisionId: id, priority: body.priority, deadline: deadline.toISOString() },
      });
      await notifyAccounts(trx, ctx, await handlingStaff(trx, m), {
        matter: m,
        kind: 'supervision.create',
        title: `督办：${m.code} ${m.title}`,
        body: body.reason,
      });
      await writeAudit(trx, ctx, {
        action: 'supervision.create',
        objectType: 'supervision',
        objectId: id,
        objectPath: m.grid_path,
        detail: { matterId: m.id, issuerGridId, priority: body.priority, deadline: deadline.toISOString() },
      });
      out.push(id);
    }
    return out;
  });
  const views = await findSupervisionsByIds(ctx.db, created);
  return views.map((v) => presentSupervision(ctx, v));
}

/**
 * The handling level answers an open order (`matter.handle` over the assignee or `matter.dispatch` over
 * the owner, through a grant below the issuing level or of the matter's department; else 403 — the issuer
 * does not answer its own order); an order already answered or closed is 409. The issuer is told.
 */
export async function replySupervision(
  ctx: Ctx,
  id: number,
  body: SupervisionReplyBody,
): Promise<Supervision> {
  const actor = actorOf(ctx);
  const s = await loadReadable(ctx, id);
  if (!mayReply(ctx, s, s.issuer_grid_path)) {
    throw forbidden('Only the handling level below the issuer answers a supervision order');
  }
  if (s.state !== 'open') throw new AppError('CONFLICT', 'The order is not open', { state: s.state });
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await replyIfOpen(trx, s.id, { reply: body.reply, repliedBy: actor.id, at: now }))) {
      throw new AppError('CONFLICT', 'The order is not open');
    }
    await insertEvent(trx, {
      matterId: s.matter_id,
      at: now,
      actorId: actor.id,
      action: 'supervision_reply',
      note: body.reply,
      detail: { supervisionId: s.id },
    });
    await notifyAccounts(trx, ctx, await issuerAccounts(trx, s), {
      matter: { id: s.matter_id, code: s.matter_code, title: s.matter_title },
      kind: 'supervision.reply',
      title: `督办已回复：${s.matter_code} ${s.matter_title}`,
      body: body.reply,
    });
    await writeAudit(trx, ctx, {
      action: 'supervision.reply',
      objectType: 'supervision',
      objectId: s.id,
      objectPath: s.grid_path,
      detail: { matterId: s.matter_id },
    });
  });
  return reload(ctx, s.id);
}

/**
 * The issuing level (`matter.supervise` over the issuer grid; else 403) closes an open or answered order,
 * which stops counting in `matter.open_supervisions`; a closed order is 409. The handling staff are told.
 */
export async function closeSupervision(
  ctx: Ctx,
  id: number,
  body: SupervisionCloseBody,
): Promise<Supervision> {
  const s = await loadReadable(ctx, id);
  if (!mayClose(ctx, s.issuer_grid_path))
    throw forbidden('Only the issuing level closes a supervision order');
  if (s.state === 'closed') throw new AppError('CONFLICT', 'The order is closed', { state: s.state });
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await closeIfNotClosed(trx, s.id))) throw new AppError('CONFLICT', 'The order is closed');
    await bumpOpenSupervisions(trx, s.matter_id, -1, now);
    await insertEvent(trx, {
      matterId: s.matter_id,
      at: now,
      actorId: actorOf(ctx).id,
      action: 'supervision_close',
      note: body.note ?? null,
      detail: { supervisionId: s.id, from: s.state },
    });
    await notifyAccounts(trx, ctx, await handlingStaff(trx, s), {
      matter: { id: s.matter_id, code: s.matter_code, title: s.matter_title },
      kind: 'supervision.close',
      title: `督办已办结：${s.matter_code} ${s.matter_title}`,
      body: body.note ?? '',
    });
    await writeAudit(trx, ctx, {
      action: 'supervision.close',
      objectType: 'supervision',
      objectId: s.id,
      objectPath: s.grid_path,
      detail: { matterId: s.matter_id, from: s.state },
    });
  });
  return reload(ctx, s.id);
}

/** The orders of a matter the caller may read (else 404), oldest first, with what the caller may do to each. */
export async function listSupervisions(ctx: Ctx, matterId: number): Promise<Supervision[]> {
  const m = await findMatterPlacement(ctx.db, matterId);
  if (!m) throw notFound('No such matter');
  if (!coversMatter(ctx, 'matter.read', m)) throw notFound('No such matter', true);
  return supervisionsOfMatter(ctx, matterId);
}

/** The orders of a matter, presented for the caller; for a matter whose read access is already checked. */
export async function supervisionsOfMatter(ctx: Ctx, matterId: number): Promise<Supervision[]> {
  const rows = await listSupervisionsOfMatter(ctx.db, matterId);
  return rows.map((r) => presentSupervision(ctx, r));
}

/**
 * Tells the issuer of each open order past its deadline, once: the order is marked told
 * (`overdue_notified_at`) with a `supervision_overdue` event on the matter, a notice and an audit row,
 * in one transaction per order. Reads only the orders newly due. Returns how many were told.
 */
export async function notifyOverdueSupervisions(ctx: Ctx, now: Date, batchSize = 200): Promise<number> {
  let told = 0;
  let after: { at: Date; id: number } | null = null;
  for (;;) {
    const rows: { id: number; at: Date }[] = await overdueSupervisionCandidates(
      ctx.db,
      now,
      after,
      batchSize,
    ).execute();
    for (const { id } of rows) {
      const done = await ctx.db.transaction().execute(async (trx) => {
        if (!(await claimOverdueSupervision(trx, id, now))) return false;
        const s = await findSupervision(trx, id);
        if (!s) return false;
        await markOverdueNotified(trx, s.id, now);
        await insertEvent(trx, {
          matterId: s.matter_id,
          at: now,
          actorId: null,
          action: 'supervision_overdue',
          detail: { supervisionId: s.id, deadline: new Date(s.deadline).toISOString() },
        });
        await notifyAccounts(trx, ctx, await issuerAccounts(trx, s), {
          matter: { id: s.matter_id, code: s.matter_code, title: s.matter_title },
          kind: 'supervision.overdue',
          title: `督办逾期未办结：${s.matter_code} ${s.matter_title}`,
          body: s.reason,
        });
        await writeAudit(trx, ctx, {
          action: 'supervision.overdue',
          objectType: 'supervision',
          objectId: s.id,
          objectPath: s.grid_path,
          detail: { matterId: s.matter_id, deadline: new Date(s.deadline).toISOString() },
        });
        return true;
      });
      if (done) told++;
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize || (after !== null && last.id === after.id)) return told;
    after = { at: last.at, id: last.id };
  }
}
