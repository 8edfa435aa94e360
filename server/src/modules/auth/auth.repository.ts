import type { AdminKind, Permission } from '@gridgov/common/permissions';
import type { Queryable } from '../../db/client.ts';
import type { Grant } from '../../lib/context.ts';

export function findAccountByUsername(q: Queryable, username: string) {
  return q
    .selectFrom('account')
    .innerJoin('grid', 'grid.id', 'account.home_grid_id')
    .selectAll('account')
    .select('grid.path as home_path')
    .where((eb) => eb(eb.fn('lower', ['account.username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

export function findSessionWithAccount(q: Queryable, sessionId: string) {
  return q
    .selectFrom('session')
    .innerJoin('account', 'account.id', 'session.account_id')
    .innerJoin('grid', 'grid.id', 'account.home_grid_id')
    .select([
      'session.id as session_id',
      'session.stage',
      'session.csrf_token',
      'session.created_at as session_created_at',
      'session.last_seen_at',
      'session.expires_at',
      'account.id',
      'account.username',
      'account.display_name',
      'account.home_grid_id',
      'account.department_id',
      'account.disabled_at',
      'account.must_change_password',
      'account.totp_enabled_at',
      'grid.path as home_path',
    ])
    .where('session.id', '=', sessionId)
    .executeTakeFirst();
}

export interface LoadedGrants {
  roles: string[];
  kinds: Set<AdminKind | 'business'>;
  grants: Map<Permission, Grant[]>;
}

/** Every (permission, subtree, department) the account holds through its role assignments. */
export async function loadGrants(q: Queryable, accountId: number): Promise<LoadedGrants> {
  const rows = await q
    .selectFrom('role_assignment as ra')
    .innerJoin('role as r', 'r.id', 'ra.role_id')
    .innerJoin('grid as g', 'g.id', 'ra.grid_id')
    .select(['r.name', 'r.kind', 'r.permissions', 'g.path', 'ra.department_id'])
    .where('ra.account_id', '=', accountId)
    .execute();
  const grants = new Map<Permission, Grant[]>();
  const roles = new Set<string>();
  const kinds = new Set<AdminKind | 'business'>();
  for (const row of rows) {
    roles.add(row.name);
    kinds.add(row.kind as AdminKind | 'business');
    for (const p of row.permissions as Permission[]) {
      const list = grants.get(p) ?? [];
      list.push({ path: row.path, departmentId: row.department_id });
      grants.set(p, list);
    }
  }
  return { roles: [...roles].sort(), kinds, grants };
}

export function insertSession(
  q: Queryable,
  s: {
    id: string;
    accountId: number;
    stage: string;
    csrf: string;
    now: Date;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
) {
  return q
    .insertInto('session')
    .values({
      id: s.id,
      account_id: s.accountId,
      stage: s.stage,
      csrf_token: s.csrf,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

export function deleteSession(q: Queryable, id: string) {
  return q.deleteFrom('session').where('id', '=', id).execute();
}

export function deleteAccountSessions(q: Queryable, accountId: number) {
  return q.deleteFrom('session').where('account_id', '=', accountId).execute();
}
