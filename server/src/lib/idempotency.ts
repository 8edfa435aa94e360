import type { Queryable, Tx } from '../db/client.ts';
import { AppError, validationError } from './app-error.ts';
import type { Ctx } from './context.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[A-Za-z0-9_\-:.]{1,64}$/;
const FIELD = `headers.${IDEMPOTENCY_HEADER}`;

/** The `Idempotency-Key` header of a request, if any (a repeated header is refused by the validation). */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers[IDEMPOTENCY_HEADER];
  if (Array.isArray(value)) throw validationError([{ field: FIELD, message: 'must be given once' }]);
  return value;
}

function checkKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw validationError([{ field: FIELD, message: 'must be 1–64 characters of A–Z a–z 0–9 _ - : .' }]);
  }
}

async function stored<T>(
  q: Queryable,
  accountId: number,
  key: string,
  route: string,
): Promise<T | undefined> {
  const row = await q
    .selectFrom('idempotency_key')
    .select(['route', 'status', 'body'])
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.route !== route) {
    throw validationError([{ field: FIELD, message: 'was already used for another request' }]);
  }
  if (row.status === null) throw new AppError('CONFLICT', 'The first request with this key is still running');
  return row.body as T;
}

/**
 * Runs a write at most once per (caller, `Idempotency-Key`): `fn` runs in a transaction that also
 * claims the key, and its result — the response body, JSON — is stored with the key before commit.
 * A retry with the same key gets the stored body and writes nothing. Concurrent requests with one key
 * meet at the key's primary key: on PostgreSQL the second `INSERT … ON CONFLICT DO NOTHING` waits until
 * the first transaction ends, then finds the stored response (or, if the first rolled back, claims the
 * key itself); on PGlite transactions are serialized anyway. Failed requests store nothing, so they can
 * be retried. Without a key, `fn` simply runs in a transaction.
 *
 * `fn` must do all its database work through the transaction it is given.
 */
export async function withIdempotency<T>(
  ctx: Ctx,
  key: string | undefined,
  route: string,
  fn: (trx: Tx) => Promise<T>,
): Promise<T> {
  if (key === undefined) return ctx.db.transaction().execute(fn);
  checkKey(key);
  const accountId = ctx.actor?.id;
  if (accountId === undefined) throw new AppError('UNAUTHENTICATED');
  const replay = await stored<T>(ctx.db, accountId, key, route);
  if (replay !== undefined) return replay;
  return ctx.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('idempotency_key')
      .values({ account_id: accountId, key, route, created_at: ctx.clock.now() })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const body = await stored<T>(trx, accountId, key, route);
      if (body !== undefined) return body;
      throw new AppError('CONFLICT', 'The first request with this key is still running');
    }
    const result = await fn(trx);
    await trx
      .updateTable('idempotency_key')
      .set({ status: 200, body: JSON.stringify(result) })
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .execute();
    return result;
  });
}
