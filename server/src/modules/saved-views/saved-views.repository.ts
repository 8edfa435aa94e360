import type { Queryable } from '../../db/client.ts';

/** An account's views, oldest first. */
export function listViews(q: Queryable, accountId: number) {
  return q
    .selectFrom('saved_view')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function countViews(q: Queryable, accountId: number): Promise<number> {
  const row = await q
    .selectFrom('saved_view')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts a view unless the account already has one of that name (then: undefined). */
export function insertView(
  q: Queryable,
  view: { accountId: number; name: string; filters: unknown; createdAt: Date },
) {
  return q
    .insertInto('saved_view')
    .values({
      account_id: view.accountId,
      name: view.name,
      filters: JSON.stringify(view.filters),
      created_at: view.createdAt,
    })
    .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Deletes one of the account's own views; false when there is none with that id. */
export async function deleteView(q: Queryable, accountId: number, id: number): Promise<boolean> {
  const result = await q
    .deleteFrom('saved_view')
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Serializes an account's concurrent creates, so that the per-account limit holds. */
export async function lockAccount(q: Queryable, accountId: number): Promise<void> {
  await q.selectFrom('account').select('id').where('id', '=', accountId).forUpdate().execute();
}
