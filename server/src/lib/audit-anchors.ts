import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Queryable } from '../db/client.ts';
import { type AuditAnchor, auditHashAt, chainHead, type VerifyResult, verifyAuditChain } from './audit.ts';
import type { Ctx } from './context.ts';

/**
 * Anchors: the head of the audit chain, recorded now and then in a JSON Lines file in this node's
 * data directory — outside the database, so that cutting the newest rows off the chain (which leaves
 * a valid, shorter chain) contradicts a recorded anchor. See docs/adr/0003-audit-chain.md.
 */
export const ANCHOR_FILE = 'audit-anchors.jsonl';

export interface AnchorLimits {
  /** Once the file grows beyond this many bytes it is rewritten … */
  maxBytes: number;
  /** … keeping this many of the newest anchors. */
  keep: number;
}

/** About 120 bytes an anchor: the file stays under 256 KiB and holds at least a week of 10-minute anchors. */
export const ANCHOR_LIMITS: AnchorLimits = { maxBytes: 256 * 1024, keep: 1000 };

/** Enough of the file's end to hold its last few anchors. */
const TAIL_BYTES = 4096;

export function anchorFile(dataDir: string): string {
  return join(dataDir, ANCHOR_FILE);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

function parseAnchor(line: string): AuditAnchor | null {
  let value: Partial<AuditAnchor>;
  try {
    value = JSON.parse(line) as Partial<AuditAnchor>;
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const { id, hash, at } = value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) return null;
  if (typeof hash !== 'string' || typeof at !== 'string') return null;
  return { id, hash, at };
}

/** Lines that are not anchors (a write cut short by a crash) are skipped. */
function parseAnchors(text: string): AuditAnchor[] {
  return text
    .split('\n')
    .map(parseAnchor)
    .filter((a): a is AuditAnchor => a !== null);
}

/** Every anchor in the file, oldest first; none when there is no file. */
export async function readAnchors(file: string): Promise<AuditAnchor[]> {
  try {
    return parseAnchors(await readFile(file, 'utf8'));
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** The newest anchor, reading only the end of the file; and whether the file ends with a newline. */
async function readTail(file: string): Promise<{ last: AuditAnchor | null; cleanEnd: boolean }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (isMissing(error)) return { last: null, cleanEnd: true };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return { last: null, cleanEnd: true };
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (length < size) lines.shift();
    const anchors = lines.map(parseAnchor).filter((a): a is AuditAnchor => a !== null);
    return { last: anchors.at(-1) ?? null, cleanEnd: buffer[length - 1] === 0x0a };
  } finally {
    await handle.close();
  }
}

/** Makes a rename or a new file in `dir` durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Appends one anchor and flushes it to disk; returns the file's size after the write. */
async function appendAnchor(file: string, anchor: AuditAnchor, cleanEnd: boolean): Promise<number> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const handle = await open(file, 'a', 0o600);
  try {
    const created = (await handle.stat()).size === 0;
    await handle.write(`${cleanEnd ? '' : '\n'}${JSON.stringify(anchor)}\n`);
    await handle.sync();
    if (created) await syncDir(dir);
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** Rewrites the file with its newest `keep` anchors: a flushed temporary file renamed over it. */
async function rotate(file: string, keep: number): Promise<void> {
  const anchors = (await readAnchors(file)).slice(-keep);
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(anchors.map((a) => `${JSON.stringify(a)}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await syncDir(dirname(file));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export type AnchorOutcome =
  /** The log is empty: nothing to anchor yet. */
  | { status: 'empty' }
  /** The head is where the newest anchor says. */
  | { status: 'unchanged'; anchor: AuditAnchor }
  | { status: 'recorded'; anchor: AuditAnchor; rotated: boolean }
  /**
   * The chain no longer carries the newest anchor (cut off, rewritten, or a restored backup):
   * nothing is recorded, so that the evidence stays in the file until an operator retires it.
   */
  | { status: 'diverged'; anchor: AuditAnchor; reason: string };

/** Why the chain (its head, and the hash now at the anchored id) contradicts `anchor`; null when it does not. */
function contradiction(
  anchor: AuditAnchor,
  head: { id: number } | null,
  hashAtAnchor: string | null,
): string | null {
  const from = `the anchor from ${anchor.at}`;
  if (hashAtAnchor === anchor.hash) return null;
  if (hashAtAnchor !== null) return `row ${anchor.id} does not carry the hash that ${from} recorded`;
  if (head && head.id > anchor.id) return `row ${anchor.id}, recorded by ${from}, no longer exists`;
  return `the chain ends at ${head ? `id ${head.id}` : 'nothing'} but ${from} recorded id ${anchor.id}`;
}

/**
 * Records the head of the chain as a new anchor (append, then fsync) when it has moved past the
 * newest anchor. Constant work: the file's tail, the head row and the anchored row; the file is
 * rewritten to its newest `limits.keep` anchors once it outgrows `limits.maxBytes`.
 */
export async function recordAuditAnchor(
  ctx: Ctx,
  limits: AnchorLimits = ANCHOR_LIMITS,
): Promise<AnchorOutcome> {
  const file = anchorFile(ctx.config.dataDir);
  const { last, cleanEnd } = await readTail(file);
  const head = await chainHead(ctx.db);
  if (last) {
    const hash = head?.id === last.id ? head.hash : await auditHashAt(ctx.db, last.id);
    const reason = contradiction(last, head, hash);
    if (reason) return { status: 'diverged', anchor: last, reason };
    if (head?.id === last.id) return { status: 'unchanged', anchor: last };
  }
  if (!head) return { status: 'empty' };
  const anchor: AuditAnchor = { id: head.id, hash: head.hash, at: ctx.clock.now().toISOString() };
  const rotated = (await appendAnchor(file, anchor, cleanEnd)) > limits.maxBytes;
  if (rotated) await rotate(file, limits.keep);
  return { status: 'recorded', anchor, rotated };
}

/**
 * Verifies the chain against this node's anchors (the CLI and GET /api/audit/verify): every
 * anchored row must exist with its recorded hash, and the chain must reach the newest anchor.
 */
export async function verifyAuditAnchored(q: Queryable, dataDir: string): Promise<VerifyResult> {
  return verifyAuditChain(q, await readAnchors(anchorFile(dataDir)));
}

/**
 * Moves the anchor file aside (`audit-anchors.retired-<time>-<rand>.jsonl`) and returns where it went, or
 * null when there was none. For a restore: the anchors describe the chain before it and would
 * report it as cut off. The retired file is kept as evidence, never read again.
 */
export async function retireAnchors(dataDir: string, at: Date): Promise<string | null> {
  const file = anchorFile(dataDir);
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const target = join(dataDir, `audit-anchors.retired-${stamp}-${randomBytes(3).toString('hex')}.jsonl`);
  try {
    await rename(file, target);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  await syncDir(dataDir);
  return target;
}

/** After a restore: retires the old anchors and anchors the restored chain's head. */
export async function restartAnchors(
  ctx: Ctx,
): Promise<{ retired: string | null; anchor: AuditAnchor | null }> {
  const retired = await retireAnchors(ctx.config.dataDir, ctx.clock.now());
  const outcome = await recordAuditAnchor(ctx);
  return { retired, anchor: outcome.status === 'recorded' ? outcome.anchor : null };
}
