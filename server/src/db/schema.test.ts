import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test/harness.ts';
import type { DbHandle } from './client.ts';

/** Table → columns as declared in schema/types.ts (the Kysely view of the schema). */
function declaredColumns(): Map<string, string[]> {
  const text = readFileSync(new URL('./schema/types.ts', import.meta.url), 'utf8');
  const interfaces = new Map<string, string[]>();
  for (const m of text.matchAll(/export interface (\w+Table) \{([^}]*)\}/g)) {
    const cols = [...m[2]!.matchAll(/^\s+(\w+):/gm)].map((c) => c[1]!);
    interfaces.set(m[1]!, cols.sort());
  }
  const db = /export interface DB \{([^}]*)\}/.exec(text)?.[1] ?? '';
  const tables = new Map<string, string[]>();
  for (const m of db.matchAll(/^\s+(\w+): (\w+);/gm)) tables.set(m[1]!, interfaces.get(m[2]!) ?? []);
  return tables;
}

let handle: DbHandle;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ handle, drop } = await openTestDatabase());
});
afterAll(async () => {
  await handle?.close();
  await drop?.();
});

describe('schema', () => {
  it('the migrated database and the Kysely types declare the same tables and columns', async () => {
    const rows = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> 'schema_migration'`.execute(handle.db);
    const actual = new Map<string, string[]>();
    for (const r of rows.rows) actual.set(r.table_name, [...(actual.get(r.table_name) ?? []), r.column_name]);
    for (const [t, cols] of actual) actual.set(t, cols.sort());
    const declared = declaredColumns();
    expect([...declared.keys()].sort()).toEqual([...actual.keys()].sort());
    for (const [table, cols] of declared) expect(cols, table).toEqual(actual.get(table));
  });
});
