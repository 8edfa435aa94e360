import type { Permission } from '@gridgov/common/permissions';
import { sql } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import type { Ctx } from '../../lib/context.ts';
import { enqueueNotificationEmails, enqueueNotificationWebhook } from './outbox.ts';

/** Account ids per NOTIFY payload: 500 ids of up to 10 digits stay well under the 8000-byte cap. */
const NOTIFY_CHUNK = 500;

export interface MatterRef {
  id: number;
  code: string;
  title: string;
}

/**
 * The enabled accounts that act for `path` with `permission`: those whose grant is at the NEAREST level
 * over the node (the node itself, else its closest ancestor with holders) — a village's dispatch tells the
 * village, not every centre above it. With `departmentId`, only that department's grants count.
 */
export async function accountsHolding(
  q: Queryable,
  permission: Permission,
  path: string,
  departmentId: number | null = null,
): Promise<number[]> {
  const rows = await q
    .selectFrom('role_assignment as ra')
    .innerJoin('role as r', 'r.id', 'ra.role_id')
    .innerJoin('grid as g', 'g.id', 'ra.grid_id')
    .innerJoin('account as a', 'a.id', 'ra.account_id')
    .select(['ra.account_id', 'g.path'])
    .where('a.disabled_at', 'is', null)
    .where(sql<boolean>`${permission} = ANY(r.permissions)`)
    .where(sql<boolean>`${path} LIKE g.path || '%'`)
    .where((eb) =>
      departmentId === null ? eb('ra.department_id', 'is', null) : eb('ra.department_id', '=', departmentId),
    )
    .execute();
  const nearest = Math.max(0, ...rows.map((r) => r.path.length));
  return [...new Set(rows.filter((r) => r.path.length === nearest).map((r) => r.account_id))];
}

/**
 * Puts a notification in each recipient's inbox, in the caller's transaction, and signals live
 * subscribers after commit (see notifications.live.ts); queues a webhook event when `webhook_url` is
 * set, and an e-mail to each recipient who chose e-mail notifications when `smtp` is set (see outbox.ts).
 * Personal values never go into a notification.
 */
export async function notifyAccounts(
  trx: Queryable,
  ctx: Ctx,
  accountIds: readonly number[],
  n: { matter: MatterRef | null; kind: string; title: string; body?: string },
): Promise<number> {
  const recipients = [...new Set(accountIds)].filter((id) => id !== ctx.actor?.id);
  if (recipients.length === 0) return 0;
  await trx
    .insertInto('notification')
    .values(
      recipients.map((accountId) => ({
        account_id: accountId,
        matter_id: n.matter?.id ?? null,
        kind: n.kind,
        title: n.title,
        body: n.body ?? '',
        created_at: ctx.clock.now(),
      })),
    )
    .execute();
  // A NOTIFY payload is capped at 8000 bytes: signal the recipients in chunks.
  for (let i = 0; i < recipients.length; i += NOTIFY_CHUNK) {
    const payload = {
      accounts: recipients.slice(i, i + NOTIFY_CHUNK),
      matterId: n.matter?.id ?? null,
      kind: n.kind,
    };
    await sql`SELECT pg_notify('gridgov_events', ${JSON.stringify(payload)})`.execute(trx);
  }
  await enqueueNotificationWebhook(trx, ctx, { kind: n.kind, matter: n.matter, recipients });
  await enqueueNotificationEmails(trx, ctx, { title: n.title, body: n.body, matter: n.matter, recipients });
  return recipients.length;
}
