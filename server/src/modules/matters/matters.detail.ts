import { maskValue } from '@gridgov/common/pii/mask';
import type { MatterDetail } from '@gridgov/common/schemas/matters';
import { isOpen, type MatterRating, type MatterState } from '@gridgov/common/workflow/matter';
import type { Queryable } from '../../db/client.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/context.ts';
import { mayAttach } from '../attachments/attachments.policy.ts';
import { presentAttachment } from '../attachments/attachments.presenter.ts';
import { listMatterAttachments } from '../attachments/attachments.repository.ts';
import { presentSupervision } from '../supervision/supervision.presenter.ts';
import { listSupervisionsOfMatter } from '../supervision/supervision.repository.ts';
import { allowedTransitions, type MatterFacts, maySupervise, mayUnmask } from './matters.policy.ts';
import {
  accountNames,
  findMatter,
  findMatterCategory,
  listEvents,
  listParties,
} from './matters.repository.ts';
import { presentSummary, selectMatterSummaries } from './matters.summary.ts';
import { loadEventRefs } from './matters.timeline.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * The full matter as the caller sees it: the summary head, the record, parties masked, the event
 * history with the names of where each event sent the matter (`refs`), attachments, supervision orders
 * and what the caller may do now. Read scope is the caller's business (a merge target's code is shown
 * only when the caller may read that matter); every query goes through `q` (a transaction, when building
 * a response inside one).
 */
export async function loadMatterDetail(q: Queryable, ctx: Ctx, id: number): Promise<MatterDetail> {
  const row = await findMatter(q, id);
  const head = await selectMatterSummaries(q).where('matter.id', '=', id).executeTakeFirst();
  if (!row || !head) throw new AppError('NOT_FOUND', 'No such matter');
  const category = await findMatterCategory(q, row.category_id);
  const parties = await listParties(q, id);
  const events = (await listEvents(q, id)).map((e) => ({
    ...e,
    detail: (e.detail as Record<string, unknown> | null) ?? null,
  }));
  const refsOf = await loadEventRefs(q, ctx, events);
  const attachments = await listMatterAttachments(q, id);
  const supervisions = await listSupervisionsOfMatter(q, id);
  const names = await accountNames(q, [row.reporter_id, row.handler_id, row.verifier_id]);
  const now = ctx.clock.now();
  const facts: MatterFacts = { ...row, petition: category.petition };
  const ref = (accountId: number | null) =>
    accountId === null ? null : { id: accountId, name: names.get(accountId) ?? '' };
  const transitions = allowedTransitions(ctx, facts, now);
  return {
    ...presentSummary(head, now),
    description: row.description,
    place: row.place,
    location: row.lng === null || row.lat === null ? null : [row.lng, row.lat],
    result: row.result,
    rating: row.rating as MatterRating | null,
    returnCount: row.return_count,
    unitsPassed: row.units_passed,
    extensionDays: row.extension_days,
    pausedReason: row.paused_reason,
    mergedInto: row.merged_into,
    reporter: ref(row.reporter_id),
    handler: ref(row.handler_id),
    verifier: ref(row.verifier_id),
    parties: parties.map((p) => ({
      id: p.id,
      role: p.role as 'requester' | 'party',
      name: maskValue('name', p.name),
      phone: maskValue('phone', p.phone),
      id_number: maskValue('id_number', p.id_number),
      address: maskValue('address', p.address),
    })),
    events: events.map((e) => ({
      id: e.id,
      at: iso(e.at),
      actor: e.actor_id === null ? null : { id: e.actor_id, name: e.actor_name ?? '' },
      action: e.action,
      fromState: e.from_state,
      toState: e.to_state,
      note: e.note,
      detail: e.detail,
      attachmentIds: e.attachment_ids,
      refs: refsOf(e.action, e.detail),
    })),
    attachments: attachments.map(presentAttachment),
    supervisions: supervisions.map((s) => presentSupervision(ctx, s)),
    version: row.version,
    abilities: {
      transitions,
      unmask: mayUnmask(ctx, facts),
      supervise: isOpen(row.state as MatterState) && maySupervise(ctx, facts),
      attach: mayAttach(ctx, row),
    },
  };
}
