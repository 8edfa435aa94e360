import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { openDatabase, type Queryable } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { AppError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import {
  appliedMigrations,
  auditHead,
  countRows,
  deleteAllRows,
  insertBatch,
  listTables,
  type Row,
  readBatch,
  resetIdentity,
  type TableInfo,
} from './backup.repository.ts';

export const BACKUP_FORMAT = 'gridgov-backup';
export const BACKUP_VERSION = 1;

/** The first line of a backup file. */
export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  /** The migrations applied to the source; a restore needs exactly these. */
  migrations: string[];
  /** The hash at the head of the audit chain when the snapshot was taken (null: empty log). */
  auditHead: string | null;
  /** Tables in restore order with their row counts, so that a cut-off file is detected. */
  tables: { name: string; rows: number }[];
}

export interface BackupOptions {
  /** Rows read per query and inserted per statement. */
  batchSize?: number;
}

const DEFAULT_BATCH = 1000;
/** Flush an insert batch early once its JSON reaches this size (grid polygons can be large). */
const MAX_BATCH_CHARS = 8 * 1024 * 1024;

/**
 * Orders tables so that every table comes after the tables it references (ties alphabetically);
 * a reference cycle between tables cannot be restored row by row and is refused.
 */
export function orderTables(tables: readonly TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const ordered: TableInfo[] = [];
  while (ordered.length < tables.length) {
    const next = tables
      .filter((t) => !done.has(t.name))
      .find((t) => t.dependsOn.every((d) => done.has(d) || !byName.has(d)));
    if (!next) {
      const left = tables.filter((t) => !done.has(t.name)).map((t) => t.name);
      throw new Error(`foreign keys form a cycle among: ${left.join(', ')}`);
    }
    done.add(next.name);
    ordered.push(next);
  }
  return ordered;
}

async function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Writes a logical, portable backup of every application table to `out` as JSON Lines: a header
 * (format version, applied migrations, audit head, row counts), then one `{table, row}` line per
 * row, tables in foreign-key-safe order, read in batches from one consistent snapshot. The backup
 * is audited first, so the file holds its own `system.backup` row. `out` is not ended.
 */
export async function backupDatabase(
  ctx: Ctx,
  out: Writable,
  options: BackupOptions = {},
): Promise<BackupHeader> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  await writeAudit(ctx.db, ctx, { action: 'system.backup', objectType: 'database' });
  return ctx.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const tables = orderTables(await listTables(trx));
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: ctx.clock.now().toISOString(),
        migrations: await appliedMigrations(trx),
        auditHead: await auditHead(trx),
        tables: [],
      };
      for (const t of tables) header.tables.push({ name: t.name, rows: await countRows(trx, t.name) });
      await writeChunk(out, `${JSON.stringify(header)}\n`);
      for (const table of tables) {
        let after: Row | null = null;
        for (;;) {
          const rows = await readBatch(trx, table, after, batchSize);
          if (rows.length === 0) break;
          await writeChunk(
            out,
            rows.map((row) => `${JSON.stringify({ table: table.name, row })}\n`).join(''),
          );
          const last = rows[rows.length - 1]!;
          after = Object.fromEntries(table.primaryKey.map((k) => [k, last[k]]));
          if (rows.length < batchSize) break;
        }
      }
      return header;
    });
}

let baseline: Promise<Map<string, number>> | null = null;

/**
 * How many rows each table holds right after the migrations ran on an empty database (reference
 * data such as grid levels and built-in roles), found by migrating a throwaway in-memory database.
 */
export function migrationBaseline(): Promise<Map<string, number>> {
  baseline ??= (async () => {
    const scratch = await openDatabase({});
    try {
      await migrate(scratch.db);
      const counts = new Map<string, number>();
      for (const t of await listTables(scratch.db)) counts.set(t.name, await countRows(scratch.db, t.name));
      return counts;
    } finally {
      await scratch.close();
    }
  })();
  return baseline;
}

/** Lines of a text stream, read as fast as they are consumed (the stream is paused in between). */
async function* readLines(input: Readable): AsyncGenerator<string> {
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) yield line.endsWith('\r') ? line.slice(0, -1) : line;
  }
  if (rest !== '') yield rest;
}

function badFile(message: string): AppError {
  return new AppError('VALIDATION', `Not a usable backup: ${message}`);
}

function parseHeader(line: string | undefined): BackupHeader {
  if (line === undefined) throw badFile('the file is empty');
  let header: Partial<BackupHeader>;
  try {
    header = JSON.parse(line) as Partial<BackupHeader>;
  } catch {
    throw badFile('the first line is not JSON');
  }
  if (header.format !== BACKUP_FORMAT) throw badFile('the first line is not a gridgov backup header');
  if (header.version !== BACKUP_VERSION) {
    throw badFile(`format version ${header.version}; this gridgov reads version ${BACKUP_VERSION}`);
  }
  if (!Array.isArray(header.migrations) || !Array.isArray(header.tables))
    throw badFile('the header is incomplete');
  return header as BackupHeader;
}

/**
 * Holds back rows whose parent in the same table (e.g. a grid moved under a newer node) has not
 * been inserted yet, and releases them as soon as it has. Parent and child may share a statement:
 * PostgreSQL checks the foreign key at its end.
 */
class SelfReferenceGate {
  readonly #refs: TableInfo['selfRefs'];
  readonly #seen = new Map<string, Set<string>>();
  readonly #waiting = new Map<string, Row[]>();
  #waitingCount = 0;

  constructor(refs: TableInfo['selfRefs']) {
    this.#refs = refs;
    for (const r of refs) this.#seen.set(r.references, new Set());
  }

  /** The rows that may go in now: `row` if its parents are in, followed by any children it released. */
  admit(row: Row): Row[] {
    const missing = this.#missing(row);
    if (missing) {
      const list = this.#waiting.get(missing) ?? [];
      list.push(row);
      this.#waiting.set(missing, list);
      this.#waitingCount++;
      return [];
    }
    const ready = [row];
    for (const r of this.#refs) {
      const value = row[r.references];
      if (value === null || value === undefined) continue;
      const key = JSON.stringify(value);
      this.#seen.get(r.references)!.add(key);
      const released = this.#waiting.get(`${r.references}=${key}`);
      if (!released) continue;
      this.#waiting.delete(`${r.references}=${key}`);
      this.#waitingCount -= released.length;
      for (const child of released) ready.push(...this.admit(child));
    }
    return ready;
  }

  get waiting(): number {
    return this.#waitingCount;
  }

  #missing(row: Row): string | null {
    for (const r of this.#refs) {
      const value = row[r.column];
      if (value === null || value === undefined) continue;
      const key = JSON.stringify(value);
      if (key === JSON.stringify(row[r.references])) continue;
      if (!this.#seen.get(r.references)!.has(key)) return `${r.references}=${key}`;
    }
    return null;
  }
}

/** Inserts the rows of one table in batches, parents before their children. */
class TableLoader {
  readonly table: TableInfo;
  readonly #q: Queryable;
  readonly #batchSize: number;
  readonly #gate: SelfReferenceGate;
  #batch: Row[] = [];
  #chars = 0;
  #rows = 0;

  constructor(q: Queryable, table: TableInfo, batchSize: number) {
    this.table = table;
    this.#q = q;
    this.#batchSize = batchSize;
    this.#gate = new SelfReferenceGate(table.selfRefs);
  }

  async add(row: Row, chars: number): Promise<void> {
    this.#rows++;
    this.#batch.push(...this.#gate.admit(row));
    this.#chars += chars;
    if (this.#batch.length >= this.#batchSize || this.#chars >= MAX_BATCH_CHARS) await this.#flush();
  }

  /** Inserts what is left and returns how many rows the table received. */
  async finish(): Promise<number> {
    await this.#flush();
    if (this.#gate.waiting > 0) {
      throw badFile(
        `${this.#gate.waiting} ${this.table.name} rows reference parents that are not in the file`,
      );
    }
    return this.#rows;
  }

  async #flush(): Promise<void> {
    if (this.#batch.length > 0) await insertBatch(this.#q, this.table, this.#batch);
    this.#batch = [];
    this.#chars = 0;
  }
}

export interface RestoreSummary {
  header: BackupHeader;
  tables: number;
  rows: number;
}

/**
 * Restores a backup from `input` into this database, which must be migrated to exactly the
 * backup's migrations and hold nothing but what the migrations put there (no audit rows, no
 * data); that reference data is replaced by the backup's copy. Everything happens in one
 * transaction: identity values are kept (OVERRIDING SYSTEM VALUE) and their sequences moved past
 * them, row counts and the audit head are checked against the header, and the restore is audited
 * as the first link after the restored chain. Any failure leaves the database as it was.
 */
export async function restoreDatabase(
  ctx: Ctx,
  input: Readable,
  options: BackupOptions = {},
): Promise<RestoreSummary> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const lines = readLines(input);
  const first = await lines.next();
  const header = parseHeader(first.done ? undefined : first.value);
  const seeded = await migrationBaseline();

  return ctx.db.transaction().execute(async (trx) => {
    const migrations = await appliedMigrations(trx);
    if (migrations.join('\n') !== header.migrations.join('\n')) {
      throw new AppError(
        'CONFLICT',
        `The database has migrations [${migrations.join(', ')}] but the backup needs [${header.migrations.join(', ')}]; restore with the gridgov version that made the backup`,
      );
    }
    const tables = orderTables(await listTables(trx));
    const byName = new Map(tables.map((t) => [t.name, t]));
    for (const t of tables) {
      const rows = await countRows(trx, t.name);
      if (rows !== (seeded.get(t.name) ?? 0) || (t.name === 'audit' && rows > 0)) {
        throw new AppError(
          'CONFLICT',
          `The database is not empty (table ${t.name} holds ${rows} rows); restore only into a new, migrated database`,
        );
      }
    }
    for (const t of [...tables].reverse())
      if ((seeded.get(t.name) ?? 0) > 0) await deleteAllRows(trx, t.name);

    const counts = new Map<string, number>();
    let loader = null as TableLoader | null;
    let lineNo = 1;
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      lineNo++;
      if (next.value.trim() === '') continue;
      let parsed: { table?: unknown; row?: unknown };
      try {
        parsed = JSON.parse(next.value) as typeof parsed;
      } catch {
        throw badFile(`line ${lineNo} is not JSON`);
      }
      const table = typeof parsed.table === 'string' ? byName.get(parsed.table) : undefined;
      if (!table || typeof parsed.row !== 'object' || parsed.row === null) {
        throw badFile(`line ${lineNo} is not a row of a known table`);
      }
      if (loader?.table !== table) {
        if (loader) counts.set(loader.table.name, await loader.finish());
        if (counts.has(table.name))
          throw badFile(`the rows of ${table.name} are not together (line ${lineNo})`);
        loader = new TableLoader(trx, table, batchSize);
      }
      await loader.add(parsed.row as Row, next.value.length);
    }
    if (loader) counts.set(loader.table.name, await loader.finish());

    for (const t of header.tables) {
      if (!byName.has(t.name)) throw badFile(`table ${t.name} does not exist in this database`);
      const got = counts.get(t.name) ?? 0;
      if (got !== t.rows)
        throw badFile(`the header promises ${t.rows} ${t.name} rows, the file holds ${got}`);
    }
    for (const t of tables) await resetIdentity(trx, t);
    const head = await auditHead(trx);
    if (head !== header.auditHead)
      throw badFile('the last audit row does not carry the audit head of the header');

    const rows = [...counts.values()].reduce((a, b) => a + b, 0);
    await writeAudit(trx, ctx, {
      action: 'system.restore',
      objectType: 'database',
      detail: {
        backupCreatedAt: header.createdAt,
        backupAuditHead: header.auditHead,
        tables: counts.size,
        rows,
      },
    });
    return { header, tables: header.tables.length, rows };
  });
}
