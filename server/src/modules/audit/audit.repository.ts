import type { Permission } from '@gridgov/common/permissions';
import type { AuditFilters } from '@gridgov/common/schemas/audit';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import type { DB } from '../../db/schema/types.ts';
import { escapeLike, rootsOf, scopeWhere } from '../../lib/access.ts';
import type { Ctx } from '../../lib/context.ts';

type AuditEb = ExpressionBuilder<DB, 'audit'>;

/**
 * A row is visible when its object or its actor lies in one of the caller's subtrees for `perm`. Rows
 * placed nowhere (sign-in attempts with unknown usernames, system jobs) belong to the whole deployment:
 * only auditors at a root of the tree see them.
 */
function inScope(ctx: Ctx, perm: Permission) {
  const atRoot = rootsOf(ctx, perm).some((p) => /^\/\d+\/$/.test(p));
  return (eb: AuditEb) =>
    eb.or([
      scopeWhere(ctx, perm, 'audit.object_path'),
      scopeWhere(ctx, perm, 'audit.actor_path'),
      ...(atRoot ? [eb.and([eb('audit.object_path', 'is', null), eb('audit.actor_path', 'is', null)])] : []),
    ]);
}

function matching(filters: AuditFilters) {
  return (eb: AuditEb): Expression<SqlBool> => {
    const and: Expression<SqlBool>[] = [];
    if (filters.actor) {
      const byName = eb('audit.actor_name', 'ilike', `%${escapeLike(filters.actor)}%`);
      and.push(
        /^\d{1,9}$/.test(filters.actor)
          ? eb.or([eb('audit.actor_id', '=', Number(filters.actor)), byName])
          : byName,
      );
    }
    if (filters.action) and.push(eb('audit.action', 'like', `${escapeLike(filters.action)}%`));
    if (filters.objectType) and.push(eb('audit.object_type', '=', filters.objectType));
    if (filters.objectId) and.push(eb('audit.object_id', '=', filters.objectId));
    if (filters.result) and.push(eb('audit.result', '=', filters.result));
    if (filters.from) and.push(eb('audit.at', '>=', new Date(filters.from)));
    if (filters.to) and.push(eb('audit.at', '<', new Date(filters.to)));
    return eb.and(and);
  };
}

function scoped(q: Queryable, ctx: Ctx, perm: Permission, filters: AuditFilters) {
  return q.selectFrom('audit').where(inScope(ctx, perm)).where(matching(filters));
}

export async function countAudit(q: Queryable, ctx: Ctx, perm: Permission, filters: AuditFilters) {
  const row = await scoped(q, ctx, perm, filters)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Newest first (by chain position, which is the order of writing). */
export function listAudit(
  q: Queryable,
  ctx: Ctx,
  perm: Permission,
  filters: AuditFilters,
  page: { limit: number; offset?: number; beforeId?: number },
) {
  let query = scoped(q, ctx, perm, filters);
  if (page.beforeId !== undefined) query = query.where('audit.id', '<', page.beforeId);
  return query
    .selectAll('audit')
    .orderBy('audit.id', 'desc')
    .limit(page.limit)
    .offset(page.offset ?? 0)
    .execute();
}
