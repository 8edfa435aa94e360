import type { Permission } from '@gridgov/common/permissions';
import { sql } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import type { Ctx } from '../../lib/context.ts';

export interface MatterRef {
  id: number;
  code: string;
  title: string;
}

/**
 * Enabled accounts that hold `permission` over `path` (an assignment at the node or one of its ancestors),
 * optionally only those whose grant is for `departmentId` or for no department.
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
    .select('ra.account_id')
    .distinct()
    .where('a.disabled_at', 'is', null)
    .where(sql<boolean>`${permission} = ANY(r.permissions)`)
    .where(sql<boolean>`${path} LIKE g.path || '%'`)
    .where((eb) =>
      departmentId === null
        ? eb('ra.department_id', 'is', null)
        : eb.or([eb('ra.department_id', 'is', null), eb('ra.department_id', '=', departmentId)]),
    )
    .execute();
  return rows.map((r) => r.account_id);
}

/**
 * Puts a notification in each recipient's inbox, in the caller's transaction, and signals live
 * subscribers after commit (see notifications.live.ts). Personal values never go into a notification.
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
  await sql`SELECT pg_notify('gridgov_events', ${JSON.stringify({ accounts: recipients, matterId: n.matter?.id ?? null, kind: n.kind })})`.execute(
    trx,
  );
  return recipients.length;
}
