import type { MarkReadBody, NotificationQuery } from '@gridgov/common/schemas/notifications';
import { AppError } from '../../lib/app-error.ts';
import { MINUTE } from '../../lib/clock.ts';
import type { Ctx } from '../../lib/context.ts';
import { loadPolicy } from '../auth/policy.ts';
import {
  countUnread,
  findSessionStates,
  listForAccount,
  markRead,
  type NotificationRow,
} from './notifications.repository.ts';

function me(ctx: Ctx): number {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.actor.id;
}

/** The caller's own inbox, newest first, with the count of unread entries. */
export function listNotifications(
  ctx: Ctx,
  query: NotificationQuery,
): Promise<{ items: NotificationRow[]; total: number; unread: number }> {
  return listForAccount(ctx.db, me(ctx), {
    unread: query.unread ?? false,
    limit: query.limit ?? 20,
    offset: query.offset ?? 0,
  });
}

/** Marks entries of the caller's own inbox read; ids of other accounts' entries change nothing. */
export async function markNotificationsRead(
  ctx: Ctx,
  body: MarkReadBody,
): Promise<{ marked: number; unread: number }> {
  const accountId = me(ctx);
  const marked = await markRead(ctx.db, accountId, 'all' in body ? 'all' : body.ids, ctx.clock.now());
  return { marked, unread: await countUnread(ctx.db, accountId) };
}

/**
 * Which of these sessions may still receive live events: the same rule as each request's sign-in
 * check (signed in fully, not past its idle or absolute limit, account not disabled), without
 * counting the stream itself as activity.
 */
export async function liveSessions(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  sessionIds: readonly string[],
): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const now = ctx.clock.now().getTime();
  const policy = await loadPolicy(ctx.db);
  const rows = await findSessionStates(ctx.db, sessionIds);
  return new Set(
    rows
      .filter(
        (s) =>
          s.stage === 'active' &&
          s.disabled_at === null &&
          s.expires_at.getTime() > now &&
          now - s.last_seen_at.getTime() <= policy.idleMinutes * MINUTE,
      )
      .map((s) => s.id),
  );
}
