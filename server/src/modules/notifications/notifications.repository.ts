import type { Selectable } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import type { NotificationTable } from '../../db/schema/types.ts';

export type NotificationRow = Selectable<NotificationTable> & {
  matter_code: string | null;
  matter_title: string | null;
};

/** One account's inbox, newest first; `unread` narrows to what it has not read. */
export async function listForAccount(
  q: Queryable,
  accountId: number,
  opts: { unread: boolean; limit: number; offset: number },
): Promise<{ items: NotificationRow[]; total: number; unread: number }> {
  let base = q
    .selectFrom('notification as n')
    .leftJoin('matter as m', 'm.id', 'n.matter_id')
    .where('n.account_id', '=', accountId);
  if (opts.unread) base = base.where('n.read_at', 'is', null);
  const [items, counts] = await Promise.all([
    base
      .selectAll('n')
      .select(['m.code as matter_code', 'm.title as matter_title'])
      .orderBy('n.id', 'desc')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    q
      .selectFrom('notification')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.countAll<number>().filterWhere('read_at', 'is', null).as('unread'),
      ])
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items,
    total: Number(opts.unread ? counts.unread : counts.total),
    unread: Number(counts.unread),
  };
}

export async function countUnread(q: Queryable, accountId: number): Promise<number> {
  const row = await q
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the account's own unread entries read (`ids`, or all); others' ids are ignored. */
export async function markRead(
  q: Queryable,
  accountId: number,
  ids: readonly number[] | 'all',
  at: Date,
): Promise<number> {
  let update = q
    .updateTable('notification')
    .set({ read_at: at })
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null);
  if (ids !== 'all') update = update.where('id', 'in', [...ids]);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}

/** The state of signed-in sessions, for re-checking open event streams. */
export function findSessionStates(q: Queryable, sessionIds: readonly string[]) {
  return q
    .selectFrom('session')
    .innerJoin('account', 'account.id', 'session.account_id')
    .select([
      'session.id',
      'session.stage',
      'session.last_seen_at',
      'session.expires_at',
      'account.disabled_at',
    ])
    .where('session.id', 'in', [...sessionIds])
    .execute();
}
