import { createHash } from 'node:crypto';
import type { Queryable, Tx } from '../db/client.ts';
import { AppError, validationError } from './app-error.ts';
import { canonicalJson } from './audit.ts';
import { DAY } from './clock.ts';
import type { Ctx } from './context.ts';

/**
 * How long a key answers retries. The phone's offline queue keeps a report until it is on the server, so
 * a retry can come days later (a weekend without signal); after this the key is forgotten and reusable.
 */
export const IDEMPOTENCY_RETENTION = 30 * DAY;

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

/**
 * The fingerprint of a request for `withIdempotency`: SHA-256 of the bytes of an upload, or of the
 * canonical JSON of a body (key order does not matter).
 */
export function requestFingerprint(request: Uint8Array | unknown): string {
  const hash = createHash('sha256');
  if (request instanceof Uint8Array) hash.update(request);
  else hash.update(canonicalJson(request));
  return hash.digest('hex');
}

async function stored<T>(
  q: Queryable,
  accountId: number,
  key: string,
  route: string,
  fingerprint: string,
  now: Date,
): Promise<T | undefined> {
  const row = await q
    .selectFrom('idempotency_key')
    .select(['route', 'status', 'body', 'request_hash'])
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .where('created_at', '>', new Date(now.getTime() - IDEMPOTENCY_RETENTION))
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.route !== route) {
    throw validationError([{ field: FIELD, message: 'was already used for another request' }]);
  }
  if (row.request_hash !== null && row.request_hash !== fingerprint) {
    throw validationError([{ field: FIELD, message: 'was already used with a different request body' }]);
  }
  if (row.status === null) throw new AppError('CONFLICT', 'The first request with this key is still running');
  return row.body as T;
}

/**
 * Runs a write at most once per (caller, `Idempotency-Key`): `fn` runs in a transaction that also
 * claims the key, and its result — the response body, JSON — is stored with the key before commit.
 * A retry with the same key and the same request (`fingerprint`, see `requestFingerprint`) gets the
 * stored body and writes nothing; the same key with another route or another request is refused (400).
 * Keys are answered for `IDEMPOTENCY_RETENTION`; `sweepIdempotencyKeys` deletes them afterwards (an
 * expired key not yet swept is treated as absent and claimed again). Concurrent requests with one key
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
  fingerprint: string,
  fn: (trx: Tx) => Promise<T>,
): Promise<T> {
  if (key === undefined) return ctx.db.transaction().execute(fn);
  checkKey(key);
  const accountId = ctx.actor?.id;
  if (accountId === undefined) throw new AppError('UNAUTHENTICATED');
  const now = ctx.clock.now();
  const replay = await stored<T>(ctx.db, accountId, key, route, fingerprint, now);
  if (replay !== undefined) return replay;
  return ctx.db.transaction().execute(async (trx) => {
    const row = { account_id: accountId, key, route, request_hash: fingerprint, created_at: now };
    const claimed = await trx
      .insertInto('idempotency_key')
      .values(row)
      .onConflict((oc) =>
        // An expired key is claimed anew (as if it had been swept); a live one is left to `stored`.
        oc
          .columns(['account_id', 'key'])
          .doUpdateSet({ route, request_hash: fingerprint, status: null, body: null, created_at: now })
          .where('idempotency_key.created_at', '<=', new Date(now.getTime() - IDEMPOTENCY_RETENTION)),
      )
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const body = await stored<T>(trx, accountId, key, route, fingerprint, now);
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

/** Deletes the keys past `IDEMPOTENCY_RETENTION` (a sweep: reads only those, by the created_at index). */
export async function sweepIdempotencyKeys(ctx: Pick<Ctx, 'db' | 'clock'>): Promise<number> {
  const result = await ctx.db
    .deleteFrom('idempotency_key')
    .where('created_at', '<=', new Date(ctx.clock.now().getTime() - IDEMPOTENCY_RETENTION))
    .executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
