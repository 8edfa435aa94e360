import type { Queryable } from '../../db/client.ts';

export type OutboxChannel = 'email' | 'webhook';

export interface OutboxMessage {
  id: number;
  channel: OutboxChannel;
  target: string;
  payload: unknown;
  attempts: number;
}

export async function insertOutbox(
  q: Queryable,
  m: { channel: OutboxChannel; target: string; payload: unknown; at: Date },
): Promise<number> {
  const row = await q
    .insertInto('outbox')
    .values({
      channel: m.channel,
      target: m.target,
      payload: JSON.stringify(m.payload),
      created_at: m.at,
      next_attempt_at: m.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Several messages in one statement (a notification to many recipients), in chunks of 1000 rows. */
export async function insertOutboxMany(
  q: Queryable,
  messages: readonly { channel: OutboxChannel; target: string; payload: unknown; at: Date }[],
): Promise<void> {
  for (let i = 0; i < messages.length; i += 1000) {
    await q
      .insertInto('outbox')
      .values(
        messages.slice(i, i + 1000).map((m) => ({
          channel: m.channel,
          target: m.target,
          payload: JSON.stringify(m.payload),
          created_at: m.at,
          next_attempt_at: m.at,
        })),
      )
      .execute();
  }
}

/**
 * Of the given accounts, the addresses of the enabled ones that chose to receive notifications by e-mail
 * (staff work addresses; the CHECK constraint keeps the switch off without one).
 */
export async function findEmailRecipients(q: Queryable, accountIds: readonly number[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await q
    .selectFrom('account')
    .select('email')
    .where('id', 'in', accountIds)
    .where('notify_email', '=', true)
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.flatMap((r) => (r.email === null ? [] : [r.email]));
}

/**
 * Claims up to `limit` due messages for this worker: their `next_attempt_at` moves to `leaseUntil`, so
 * that no other worker picks them up meanwhile (rows claimed concurrently are skipped, not waited
 * for). A worker that dies mid-send leaves them due again when the lease runs out — at least once.
 */
export async function claimDue(
  q: Queryable,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<OutboxMessage[]> {
  const rows = await q
    .updateTable('outbox')
    .set({ next_attempt_at: leaseUntil })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where('delivered_at', 'is', null)
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'channel', 'target', 'payload', 'attempts'])
    .execute();
  return rows.map((r) => ({ ...r, channel: r.channel as OutboxChannel })).sort((a, b) => a.id - b.id);
}

export async function markDelivered(q: Queryable, id: number, at: Date): Promise<void> {
  await q.updateTable('outbox').set({ delivered_at: at, last_error: null }).where('id', '=', id).execute();
}

export async function markFailed(
  q: Queryable,
  id: number,
  f: { attempts: number; nextAttemptAt: Date; error: string },
): Promise<void> {
  await q
    .updateTable('outbox')
    .set({ attempts: f.attempts, next_attempt_at: f.nextAttemptAt, last_error: f.error })
    .where('id', '=', id)
    .execute();
}

/** A value of the `setting` table, or undefined when the key is not set. */
export async function readSetting(q: Queryable, key: string): Promise<unknown> {
  const row = await q.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}
