import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './client.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK_KEY = 734_201;

export interface Migration {
  name: string;
  sql: string;
}

export function listMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(MIGRATIONS_DIR + name, 'utf8') }));
}

/**
 * Applies the checked-in SQL migrations that have not run yet, each in its own transaction,
 * under an advisory lock so that several nodes starting at once apply each migration once.
 */
export async function migrate(db: Database): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migration (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(trx);
    const done = await sql<{ name: string }>`SELECT name FROM schema_migration`.execute(trx);
    const seen = new Set(done.rows.map((r) => r.name));
    for (const m of listMigrations()) {
      if (seen.has(m.name)) continue;
      await sql.raw(m.sql).execute(trx);
      await sql`INSERT INTO schema_migration (name) VALUES (${m.name})`.execute(trx);
      applied.push(m.name);
    }
  });
  return applied;
}
