import { PassThrough } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { DbHandle } from '../../db/client.ts';
import type { Ctx } from '../../lib/context.ts';

/** The channel `notifyAccounts` signals on after commit (see notify.ts). */
export const EVENTS_CHANNEL = 'gridgov_events';
/** How long a browser waits before reconnecting a dropped stream. */
export const RETRY_MS = 5000;
/** Open streams per account on one node; opening one more closes the oldest. */
const MAX_STREAMS_PER_ACCOUNT = 10;
/** A stream whose reader has fallen this far behind is closed (the browser reconnects). */
const MAX_BUFFERED_BYTES = 256 * 1024;
const EVENT_NAMES = new Set(['notification', 'matter']);

/** What `notifyAccounts` sends through pg_notify. */
interface Signal {
  accounts: number[];
  matterId: number | null;
  kind: string;
  event?: string;
}

function parseSignal(payload: string): Signal | null {
  try {
    const value = JSON.parse(payload) as Partial<Signal>;
    if (!Array.isArray(value.accounts) || typeof value.kind !== 'string') return null;
    return {
      accounts: value.accounts.filter((a): a is number => Number.isInteger(a)),
      matterId: Number.isInteger(value.matterId) ? (value.matterId as number) : null,
      kind: value.kind,
      event: typeof value.event === 'string' && EVENT_NAMES.has(value.event) ? value.event : 'notification',
    };
  } catch {
    return null;
  }
}

interface Subscriber {
  accountId: number;
  sessionId: string;
  stream: PassThrough;
}

/**
 * The Server-Sent Event streams open on this node, by account. Signals from LISTEN are written to the
 * named accounts' streams; a heartbeat comment keeps proxies from closing idle streams, and each
 * heartbeat re-checks the sessions behind the streams and ends those whose session is gone.
 */
export class EventHub {
  readonly #byAccount = new Map<number, Set<Subscriber>>();
  #timer: NodeJS.Timeout | null = null;
  #beating = false;
  /** The database and clock of this app (the same for every request), taken from the first subscriber. */
  #ctx: Pick<Ctx, 'db' | 'clock'> | null = null;

  constructor(
    private readonly opts: {
      heartbeatMs: number;
      /** Which of these session ids are still valid. */
      checkSessions: (ctx: Pick<Ctx, 'db' | 'clock'>, ids: readonly string[]) => Promise<Set<string>>;
      log: FastifyBaseLogger;
    },
  ) {}

  get size(): number {
    let n = 0;
    for (const set of this.#byAccount.values()) n += set.size;
    return n;
  }

  /** Opens a stream for the signed-in caller; it ends when the client goes, the session ends or the hub closes. */
  subscribe(ctx: Ctx): PassThrough {
    const actor = ctx.actor;
    if (!actor) throw new Error('subscribe needs a signed-in caller');
    this.#ctx ??= { db: ctx.db, clock: ctx.clock };
    const stream = new PassThrough();
    const sub: Subscriber = { accountId: actor.id, sessionId: actor.sessionId, stream };
    const set = this.#byAccount.get(actor.id) ?? new Set();
    if (set.size >= MAX_STREAMS_PER_ACCOUNT) {
      const oldest = set.values().next().value;
      if (oldest) this.#end(oldest);
    }
    set.add(sub);
    this.#byAccount.set(actor.id, set);
    stream.on('close', () => this.#remove(sub));
    stream.write(`retry: ${RETRY_MS}\n: connected\n\n`);
    this.#startHeartbeat();
    return stream;
  }

  /** Writes one pg_notify payload to the streams of the accounts it names. */
  publish(payload: string): void {
    const signal = parseSignal(payload);
    if (!signal) return;
    const data = JSON.stringify({ kind: signal.kind, matterId: signal.matterId });
    for (const accountId of new Set(signal.accounts)) {
      for (const sub of this.#byAccount.get(accountId) ?? [])
        this.#write(sub, `event: ${signal.event}\ndata: ${data}\n\n`);
    }
  }

  /** Tells every stream that events may have been missed (the listener reconnected): refetch. */
  resync(): void {
    for (const set of this.#byAccount.values()) {
      for (const sub of set) this.#write(sub, 'event: resync\ndata: {}\n\n');
    }
  }

  /** One heartbeat: a comment to every stream, then the session check. */
  async heartbeat(): Promise<void> {
    const subs = [...this.#byAccount.values()].flatMap((s) => [...s]);
    if (subs.length === 0 || !this.#ctx) return;
    for (const sub of subs) this.#write(sub, ': ping\n\n');
    const ids = [...new Set(subs.map((s) => s.sessionId))];
    const valid = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const id of await this.opts.checkSessions(this.#ctx, ids.slice(i, i + 500))) valid.add(id);
    }
    for (const sub of subs) {
      if (!valid.has(sub.sessionId)) this.#end(sub, 'event: end\ndata: {"reason":"session"}\n\n');
    }
  }

  /** Ends every stream (on shutdown) and stops the heartbeat. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    for (const set of [...this.#byAccount.values()]) for (const sub of [...set]) this.#end(sub);
  }

  #startHeartbeat(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#beating) return;
      this.#beating = true;
      this.heartbeat()
        .catch((err: unknown) => this.opts.log.warn({ err }, 'event stream heartbeat failed'))
        .finally(() => {
          this.#beating = false;
        });
    }, this.opts.heartbeatMs);
    this.#timer.unref();
  }

  #write(sub: Subscriber, chunk: string): void {
    if (sub.stream.writableEnded) return;
    if (sub.stream.writableLength > MAX_BUFFERED_BYTES) {
      this.#end(sub);
      return;
    }
    sub.stream.write(chunk);
  }

  #end(sub: Subscriber, last?: string): void {
    this.#remove(sub);
    if (!sub.stream.writableEnded) sub.stream.end(last);
  }

  #remove(sub: Subscriber): void {
    const set = this.#byAccount.get(sub.accountId);
    if (!set?.delete(sub)) return;
    if (set.size === 0) this.#byAccount.delete(sub.accountId);
    if (this.#byAccount.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}

export interface Listener {
  stop(): Promise<void>;
}

/** Embedded database: PGlite's own LISTEN, registered while no query of ours is running. */
async function listenPglite(handle: DbHandle, onPayload: (payload: string) => void): Promise<Listener> {
  const pglite = handle.pglite;
  if (!pglite) throw new Error('no PGlite instance on the handle');
  const unlisten = await handle.db.connection().execute(() => pglite.listen(EVENTS_CHANNEL, onPayload));
  return { stop: () => handle.db.connection().execute(() => unlisten()) };
}

/**
 * PostgreSQL: one dedicated connection per process that LISTENs (a pooled connection would be handed
 * to queries). When it drops, it reconnects with backoff (0.5 s doubling to 30 s) and calls
 * `onReconnect`, since signals sent meanwhile are lost.
 */
class PgListener implements Listener {
  #client: pg.Client | null = null;
  #timer: NodeJS.Timeout | null = null;
  #attempt = 0;
  #stopped = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly onPayload: (payload: string) => void,
    private readonly onReconnect: () => void,
    private readonly log: FastifyBaseLogger,
  ) {}

  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ ...this.config, application_name: 'gridgov-events', keepAlive: true });
    this.#client = client;
    const lost = (err?: Error) => {
      if (this.#client !== client) return;
      this.#client = null;
      if (err) this.log.warn({ err }, 'event listener connection lost');
      client.end().catch(() => undefined);
      this.#schedule();
    };
    client.on('notification', (msg) => {
      if (msg.channel === EVENTS_CHANNEL && msg.payload) this.onPayload(msg.payload);
    });
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (err) {
      lost(err as Error);
      return;
    }
    if (this.#stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    if (this.#attempt > 0) {
      this.log.info({ attempts: this.#attempt }, 'event listener reconnected');
      this.onReconnect();
    }
    this.#attempt = 0;
  }

  #schedule(): void {
    if (this.#stopped || this.#timer) return;
    const delay = Math.min(30_000, 500 * 2 ** this.#attempt);
    this.#attempt++;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#connect();
    }, delay);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }
}

/** Starts this process's one LISTEN on {@link EVENTS_CHANNEL}, feeding `hub`. */
export async function startListener(
  handle: DbHandle,
  hub: EventHub,
  log: FastifyBaseLogger,
): Promise<Listener> {
  const onPayload = (payload: string) => hub.publish(payload);
  if (handle.kind === 'pglite') return listenPglite(handle, onPayload);
  if (!handle.pool) throw new Error('no pool on the PostgreSQL handle');
  const listener = new PgListener(handle.pool.options, onPayload, () => hub.resync(), log);
  await listener.start();
  return listener;
}
