/**
 * The offline report queue. A report is written to IndexedDB (photos as Blobs) before anything is sent,
 * with a client-made Idempotency-Key; it leaves the queue only when the matter and every photo are on
 * the server. Sending is retried with backoff — on the `online` event and on a timer — and a retry
 * never makes a second matter or a second photo: the create call carries the key, photo n carries
 * `<key>-photo-<n>`. Items belong to the account that made them and are sent only in its session.
 */
import { isApiError } from '../../../api/client.ts';
import { type CreateMatterBody, createMatter, uploadAttachment } from '../../../api/matters.ts';

export interface QueuedPhoto {
  blob: Blob;
  name: string;
}

export type QueueStatus = 'pending' | 'sending' | 'failed';

export interface QueuedReport {
  key: string;
  accountId: number;
  createdAt: number;
  body: CreateMatterBody;
  photos: QueuedPhoto[];
  /** Attachment id per photo once it is on the server. */
  uploaded: (number | null)[];
  matterId: number | null;
  matterCode: string | null;
  attempts: number;
  nextAt: number;
  status: QueueStatus;
  /** The last failure: an error code (NETWORK, VALIDATION…) and the server's words. */
  error: { code: string; message: string } | null;
}

export interface SentReport {
  key: string;
  matterId: number;
  code: string;
  title: string;
}

const DB_NAME = 'gridgov';
const STORE = 'report-queue';
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

// ---- IndexedDB ---------------------------------------------------------------------------------------

let dbPromise: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) {
          request.result.createObjectStore(STORE, { keyPath: 'key' });
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => {
        dbPromise = null;
        reject(request.error);
      };
    });
  }
  return dbPromise;
}

async function tx<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = run(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

const readAll = () => tx<QueuedReport[]>('readonly', (s) => s.getAll() as IDBRequest<QueuedReport[]>);
const write = (item: QueuedReport) =>
  tx('readwrite', (s) => s.put({ ...item, status: item.status === 'sending' ? 'pending' : item.status }));
const drop = (key: string) => tx('readwrite', (s) => s.delete(key));

// ---- the in-memory mirror, for the interface ----------------------------------------------------------

interface Snapshot {
  items: QueuedReport[];
  sent: SentReport[];
  loaded: boolean;
  /** IndexedDB is missing or refused (private mode on some browsers): reports cannot wait offline. */
  unavailable: boolean;
}

let snapshot: Snapshot = { items: [], sent: [], loaded: false, unavailable: false };
const listeners = new Set<() => void>();
const sentListeners = new Set<(r: SentReport) => void>();

function publish(next: Partial<Snapshot>) {
  snapshot = { ...snapshot, ...next };
  for (const l of listeners) l();
}

function setItem(item: QueuedReport) {
  const others = snapshot.items.filter((i) => i.key !== item.key);
  publish({ items: [...others, item].sort((a, b) => a.createdAt - b.createdAt) });
}

export const queueStore = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  getSnapshot: () => snapshot,
  /** Called for each report once it (and its photos) reached the server. */
  onSent(listener: (r: SentReport) => void) {
    sentListeners.add(listener);
    return () => {
      sentListeners.delete(listener);
    };
  },
};

export async function loadQueue(): Promise<void> {
  try {
    const items = await readAll();
    publish({ items: items.sort((a, b) => a.createdAt - b.createdAt), loaded: true, unavailable: false });
  } catch {
    publish({ loaded: true, unavailable: true });
  }
}

/** Stores a report for sending; resolves once it is safely on the device. */
export async function enqueueReport(
  accountId: number,
  key: string,
  body: CreateMatterBody,
  photos: QueuedPhoto[],
): Promise<void> {
  const item: QueuedReport = {
    key,
    accountId,
    createdAt: Date.now(),
    body,
    photos,
    uploaded: photos.map(() => null),
    matterId: null,
    matterCode: null,
    attempts: 0,
    nextAt: 0,
    status: 'pending',
    error: null,
  };
  await write(item);
  setItem(item);
}

export async function discardReport(key: string): Promise<void> {
  await drop(key);
  publish({ items: snapshot.items.filter((i) => i.key !== key) });
}

/** Sends a failed item again now (after the user fixed what was wrong, e.g. signed in again). */
export async function retryReport(key: string): Promise<void> {
  const item = snapshot.items.find((i) => i.key === key);
  if (!item) return;
  const next: QueuedReport = { ...item, status: 'pending', nextAt: 0, error: null };
  await write(next);
  setItem(next);
}

// ---- sending ------------------------------------------------------------------------------------------

/** Whether a failure may go away by itself (network, server trouble, rate limit, session to renew). */
export function transient(error: unknown): boolean {
  if (!isApiError(error)) return true;
  return (
    error.status === 0 ||
    error.status === 401 ||
    error.status === 408 ||
    error.status === 429 ||
    error.status >= 500
  );
}

/** The wait before retry `attempts`: 5 s doubling to 5 min, then a random half to full of that. */
export function backoff(attempts: number): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return base / 2 + Math.random() * (base / 2);
}

async function sendOne(start: QueuedReport): Promise<void> {
  let item: QueuedReport = { ...start, status: 'sending' };
  setItem(item);
  try {
    if (item.matterId === null) {
      const matter = await createMatter(item.body, item.key);
      item = { ...item, matterId: matter.id, matterCode: matter.code };
      await write(item);
      setItem(item);
    }
    const matterId = item.matterId as number;
    for (const [n, photo] of item.photos.entries()) {
      if (item.uploaded[n] !== null && item.uploaded[n] !== undefined) continue;
      const attachment = await uploadAttachment(matterId, photo.blob, photo.name, `${item.key}-photo-${n}`);
      const uploaded = [...item.uploaded];
      uploaded[n] = attachment.id;
      item = { ...item, uploaded };
      await write(item);
      setItem(item);
    }
    await drop(item.key);
    const sent: SentReport = { key: item.key, matterId, code: item.matterCode ?? '', title: item.body.title };
    publish({
      items: snapshot.items.filter((i) => i.key !== item.key),
      sent: [sent, ...snapshot.sent].slice(0, 10),
    });
    for (const l of sentListeners) l(sent);
  } catch (error) {
    const attempts = item.attempts + 1;
    const failure = {
      code: isApiError(error) ? error.code : 'NETWORK',
      message: error instanceof Error ? error.message : String(error),
    };
    item = transient(error)
      ? { ...item, attempts, status: 'pending', nextAt: Date.now() + backoff(attempts), error: failure }
      : { ...item, attempts, status: 'failed', error: failure };
    await write(item).catch(() => undefined);
    setItem(item);
    // Signed out: nothing else of this account can be sent either.
    if (isApiError(error) && error.status === 401) throw error;
  }
}

let running = false;

/** Sends every due item of this account, one at a time, oldest first. Safe to call often. */
export async function processQueue(accountId: number, force = false): Promise<void> {
  if (running || !snapshot.loaded || snapshot.unavailable) return;
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
  running = true;
  const run = async () => {
    for (const item of [...snapshot.items]) {
      if (item.accountId !== accountId || item.status === 'failed') continue;
      if (!force && item.nextAt > Date.now()) continue;
      await sendOne(item);
    }
  };
  try {
    // One tab sends at a time; the keys would make a double send harmless, but it would waste the signal.
    if (navigator.locks)
      await navigator.locks.request('gridgov-report-queue', { ifAvailable: true }, (lock) =>
        lock ? run() : undefined,
      );
    else await run();
  } catch {
    // a 401: wait for the next sign-in
  } finally {
    running = false;
  }
}
