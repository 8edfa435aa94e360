import { sql } from 'kysely';
import type { Queryable } from '../../db/client.ts';

/**
 * Catalog facts about one application table. Table and column names only ever come from the
 * catalog of the database at hand, never from a backup file, before they are put into SQL.
 */
export interface TableInfo {
  name: string;
  /** Columns that can be written (generated columns are left out), in table order. */
  columns: string[];
  /** Identity columns, restored with OVERRIDING SYSTEM VALUE and whose sequences are reset after. */
  identity: string[];
  primaryKey: string[];
  /** Tables this one references (other than itself). */
  dependsOn: string[];
  /** Single-column foreign keys from this table to itself, e.g. grid.parent_id → grid.id. */
  selfRefs: { column: string; references: string }[];
}

export type Row = Record<string, unknown>;

/** Every table of the public schema except the migration ledger, with its columns, keys and references. */
export async function listTables(q: Queryable): Promise<TableInfo[]> {
  const tables = await sql<{ name: string }>`
    SELECT c.relname::text AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND c.relname <> 'schema_migration'
    ORDER BY c.relname`.execute(q);
  const columns = await sql<{ table: string; name: string; identity: string; generated: string }>`
    SELECT c.relname::text AS table, a.attname::text AS name,
      a.attidentity::text AS identity, a.attgenerated::text AS generated
    FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`.execute(q);
  const keys = await sql<{ table: string; column: string }>`
    SELECT c.relname::text AS table, a.attname::text AS column
    FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE n.nspname = 'public' AND i.indisprimary
    ORDER BY c.relname, k.ord`.execute(q);
  const refs = await sql<{ table: string; references: string; columns: string[]; ref_columns: string[] }>`
    SELECT src.relname::text AS table, dst.relname::text AS references,
      ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
      ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns
    FROM pg_constraint con
      JOIN pg_class src ON src.oid = con.conrelid
      JOIN pg_class dst ON dst.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = src.relnamespace
    WHERE con.contype = 'f' AND n.nspname = 'public'
    ORDER BY src.relname, con.conname`.execute(q);

  return tables.rows.map(({ name }) => {
    const cols = columns.rows.filter((c) => c.table === name);
    const own = refs.rows.filter((r) => r.table === name);
    return {
      name,
      columns: cols.filter((c) => c.generated === '').map((c) => c.name),
      identity: cols.filter((c) => c.identity !== '').map((c) => c.name),
      primaryKey: keys.rows.filter((k) => k.table === name).map((k) => k.column),
      dependsOn: [...new Set(own.filter((r) => r.references !== name).map((r) => r.references))].sort(),
      selfRefs: own
        .filter((r) => r.references === name)
        .map((r) => {
          if (r.columns.length !== 1 || r.ref_columns.length !== 1)
            throw new Error(`${name}: composite self-references are not supported by backup`);
          return { column: r.columns[0]!, references: r.ref_columns[0]! };
        }),
    };
  });
}

export async function appliedMigrations(q: Queryable): Promise<string[]> {
  const result = await sql<{ name: string }>`SELECT name FROM schema_migration ORDER BY name`.execute(q);
  return result.rows.map((r) => r.name);
}

/** The hash at the head of the audit chain, or null for an empty log. */
export async function auditHead(q: Queryable): Promise<string | null> {
  const row = await q.selectFrom('audit').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.hash ?? null;
}

export async function countRows(q: Queryable, table: string): Promise<number> {
  const result = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(q);
  return Number(result.rows[0]?.n ?? 0);
}

const keyList = (alias: string, columns: string[]) => sql.join(columns.map((c) => sql.id(alias, c)));

/**
 * One batch of rows in primary-key order after `after` (keyset pagination), each as PostgreSQL's
 * own JSON of the row (`to_jsonb`), so that every type round-trips through the same server-side
 * conversion on both drivers. The key of `after` is turned back into typed values by the server.
 */
export async function readBatch(
  q: Queryable,
  table: TableInfo,
  after: Row | null,
  limit: number,
): Promise<Row[]> {
  if (table.primaryKey.length === 0) throw new Error(`${table.name} has no primary key; cannot back it up`);
  const t = sql.table(table.name);
  const order = keyList('t', table.primaryKey);
  const result = after
    ? await sql<{ row: Row }>`
        SELECT to_jsonb(t) AS row
        FROM ${t} AS t, jsonb_populate_record(NULL::${t}, ${JSON.stringify(after)}::jsonb) AS k
        WHERE (${order}) > (${keyList('k', table.primaryKey)})
        ORDER BY ${order} LIMIT ${limit}`.execute(q)
    : await sql<{
        row: Row;
      }>`SELECT to_jsonb(t) AS row FROM ${t} AS t ORDER BY ${order} LIMIT ${limit}`.execute(q);
  return result.rows.map((r) => (typeof r.row === 'string' ? (JSON.parse(r.row) as Row) : r.row));
}

/**
 * Inserts rows given as JSON objects; the server converts each value to its column's type
 * (`jsonb_populate_recordset`). Identity values are kept as they were.
 */
export async function insertBatch(q: Queryable, table: TableInfo, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const t = sql.table(table.name);
  const cols = sql.join(table.columns.map((c) => sql.id(c)));
  const overriding = table.identity.length > 0 ? sql`OVERRIDING SYSTEM VALUE` : sql``;
  await sql`
    INSERT INTO ${t} (${cols}) ${overriding}
    SELECT ${cols} FROM jsonb_populate_recordset(NULL::${t}, ${JSON.stringify(rows)}::jsonb)`.execute(q);
}

/** Moves each identity sequence past the largest restored value, so that new rows do not collide. */
export async function resetIdentity(q: Queryable, table: TableInfo): Promise<void> {
  for (const column of table.identity) {
    await sql`
      SELECT setval(
        pg_get_serial_sequence(format('%I.%I', 'public', ${table.name}::text), ${column}::text),
        coalesce((SELECT max(${sql.id(column)}) FROM ${sql.table(table.name)}), 0) + 1,
        false)`.execute(q);
  }
}

/** Removes the rows the migrations seeded (reference data), before the backup's own copy goes in. */
export async function deleteAllRows(q: Queryable, table: string): Promise<void> {
  await sql`DELETE FROM ${sql.table(table)}`.execute(q);
}
