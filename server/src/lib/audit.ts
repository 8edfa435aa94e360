import { createHash, getHashes } from 'node:crypto';
import type { AuditBrokenKind } from '@gridgov/common/schemas/audit';
import { sql } from 'kysely';
import type { Queryable } from '../db/client.ts';
import type { AuditRow } from '../db/schema/types.ts';
import type { Ctx } from './context.ts';

/** SM3 (GB/T 32905) when Node's OpenSSL has it, else SHA-256; the algorithm prefixes each hash. */
export const AUDIT_HASH_ALGORITHM = getHashes().includes('sm3') ? 'sm3' : 'sha256';
export const GENESIS_HASH = `${AUDIT_HASH_ALGORITHM}:${'0'.repeat(64)}`;
const CHAIN_LOCK = 734_202;

export type AuditResult = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  action: string;
  objectType?: string;
  objectId?: string | number | null;
  /** The grid path the object belongs to, for scoped audit search. */
  objectPath?: string | null;
  result?: AuditResult;
  reason?: string | null;
  /** Non-personal facts about the change (ids, states, field names — never personal values). */
  detail?: Record<string, unknown> | null;
  /** Overrides the actor, for sign-in attempts before a session exists. */
  actor?: { id: number | null; name: string | null; path: string | null; roles?: string[] };
}

type Chained = Pick<
  AuditRow,
  | 'at'
  | 'actor_id'
  | 'actor_name'
  | 'actor_roles'
  | 'actor_path'
  | 'ip'
  | 'action'
  | 'object_type'
  | 'object_id'
  | 'object_path'
  | 'result'
  | 'reason'
  | 'request_id'
  | 'detail'
>;

/** JSON with object keys sorted at every level, so that jsonb's reordering does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function chainHash(prevHash: string, row: Chained): string {
  const body = canonicalJson([
    new Date(row.at).toISOString(),
    row.actor_id,
    row.actor_name,
    row.actor_roles,
    row.actor_path,
    row.ip,
    row.action,
    row.object_type,
    row.object_id,
    row.object_path,
    row.result,
    row.reason,
    row.request_id,
    row.detail,
  ]);
  const algorithm = prevHash.split(':')[0] ?? AUDIT_HASH_ALGORITHM;
  const digest = createHash(algorithm).update(`${prevHash}\n${body}`).digest('hex');
  return `${algorithm}:${digest}`;
}

/** The head of the chain: its newest row. */
export async function chainHead(q: Queryable): Promise<{ id: number; hash: string } | null> {
  const row = await q
    .selectFrom('audit')
    .select(['id', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Appends one audit row to the hash chain. Call it inside the transaction that makes the change,
 * so that both commit or neither does; the chain lock is held until that transaction ends.
 */
export async function writeAudit(q: Queryable, ctx: Ctx, entry: AuditEntry): Promise<void> {
  if (!q.isTransaction) {
    await q.transaction().execute((trx) => writeAudit(trx, ctx, entry));
    return;
  }
  await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(q);
  const prev = (await chainHead(q))?.hash ?? GENESIS_HASH;
  const actor = entry.actor ?? {
    id: ctx.actor?.id ?? null,
    name: ctx.actor?.username ?? (ctx.actor ? null : 'system'),
    path: ctx.actor?.homePath ?? null,
    roles: ctx.actor?.roles ?? [],
  };
  const row: Chained = {
    at: ctx.clock.now(),
    actor_id: actor.id,
    actor_name: actor.name,
    actor_roles: actor.roles ?? [],
    actor_path: actor.path,
    ip: ctx.ip,
    action: entry.action,
    object_type: entry.objectType ?? null,
    object_id: entry.objectId === undefined || entry.objectId === null ? null : String(entry.objectId),
    object_path: entry.objectPath ?? null,
    result: entry.result ?? 'success',
    reason: entry.reason ?? null,
    request_id: ctx.requestId,
    detail: entry.detail ?? null,
  };
  await q
    .insertInto('audit')
    .values({
      ...row,
      detail: row.detail === null ? null : JSON.stringify(row.detail),
      prev_hash: prev,
      hash: chainHash(prev, row),
    })
    .execute();
}

/** The hash the row with `id` carries, or null when there is no such row. */
export async function auditHashAt(q: Queryable, id: number): Promise<string | null> {
  const row = await q.selectFrom('audit').select('hash').where('id', '=', id).executeTakeFirst();
  return row?.hash ?? null;
}

/**
 * A head of the chain as recorded outside the database (lib/audit-anchors.ts): the row with `id`
 * must keep carrying `hash`, and the chain must never end before `id`.
 */
export interface AuditAnchor {
  id: number;
  hash: string;
  /** When the anchor was recorded (ISO 8601). */
  at: string;
}

export interface VerifyResult {
  checked: number;
  ok: boolean;
  firstBroken?: {
    id: number;
    kind: AuditBrokenKind;
    reason: string;
    /** The anchor that the chain contradicts (anchor_mismatch, truncated). */
    anchor?: { id: number; at: string };
    /** The id of the chain's last row (truncated; null for an empty log). */
    lastId?: number | null;
  };
  /** Anchors whose row was found with the recorded hash, and the most recently recorded one. */
  anchors: { checked: number; latest: { id: number; at: string } | null };
}

function anchorFailure(
  kind: AuditBrokenKind,
  anchor: AuditAnchor,
  reason: string,
  lastId?: number | null,
): NonNullable<VerifyResult['firstBroken']> {
  return {
    id: anchor.id,
    kind,
    reason,
    anchor: { id: anchor.id, at: anchor.at },
    ...(lastId === undefined ? {} : { lastId }),
  };
}

/**
 * Walks the chain in id order and reports the first row whose link or hash does not match, or
 * whose hash differs from an anchor's. Afterwards, anchors whose row was never met: below the last
 * id the row is gone (`anchor_mismatch`), beyond it the chain was cut (`truncated`).
 */
export async function verifyAuditChain(
  q: Queryable,
  anchors: readonly AuditAnchor[] = [],
  batch = 2000,
): Promise<VerifyResult> {
  const latest = anchors.at(-1);
  const byId = new Map<number, AuditAnchor[]>();
  for (const a of anchors) byId.set(a.id, [...(byId.get(a.id) ?? []), a]);
  const met = new Set<number>();
  let prev = GENESIS_HASH;
  let afterId = 0;
  let checked = 0;
  let anchorsChecked = 0;
  const result = (firstBroken?: VerifyResult['firstBroken']): VerifyResult => ({
    checked,
    ok: firstBroken === undefined,
    ...(firstBroken ? { firstBroken } : {}),
    anchors: { checked: anchorsChecked, latest: latest ? { id: latest.id, at: latest.at } : null },
  });
  for (;;) {
    const rows = await q
      .selectFrom('audit')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.prev_hash !== prev) {
        return result({ id: row.id, kind: 'link', reason: 'prev_hash does not link to the previous row' });
      }
      if (chainHash(prev, row) !== row.hash) {
        return result({ id: row.id, kind: 'content', reason: 'row content does not match its hash' });
      }
      const anchored = byId.get(row.id) ?? [];
      if (anchored.length > 0) met.add(row.id);
      for (const anchor of anchored) {
        if (anchor.hash !== row.hash) {
          const reason = `row ${row.id} does not carry the hash that an anchor from ${anchor.at} recorded`;
          return result(anchorFailure('anchor_mismatch', anchor, reason));
        }
        anchorsChecked++;
      }
      prev = row.hash;
      afterId = row.id;
      checked++;
    }
  }
  // Anchors whose row was never met: below the last id the row is gone, beyond it the chain was cut.
  const lastId = afterId > 0 ? afterId : null;
  const unmet = anchors.filter((a) => !met.has(a.id)).sort((a, b) => a.id - b.id);
  const gone = unmet.find((a) => lastId !== null && a.id < lastId);
  if (gone) {
    const reason = `row ${gone.id}, recorded by an anchor from ${gone.at}, no longer exists`;
    return result(anchorFailure('anchor_mismatch', gone, reason));
  }
  const beyond = unmet.at(-1);
  if (beyond) {
    const end = lastId === null ? 'the log is empty' : `the chain ends at id ${lastId}`;
    const reason = `${end} but an anchor from ${beyond.at} recorded id ${beyond.id}`;
    return result(anchorFailure('truncated', beyond, reason, lastId));
  }
  return result();
}
