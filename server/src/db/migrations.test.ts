import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../lib/clock.ts';
import { insertEvent, insertSupervision } from '../modules/supervision/supervision.repository.ts';
import { buildGrid } from '../test/factories.ts';
import { buildMatter } from '../test/matter-factory.ts';
import { type DbHandle, openDatabase } from './client.ts';
import { listMigrations } from './migrate.ts';

/** Migrations that move data, run on a database that holds data from before them (a fresh PGlite). */
let handle: DbHandle;
beforeAll(async () => {
  handle = await openDatabase({});
});
afterAll(async () => handle?.close());

const migration = (prefix: string) => {
  const m = listMigrations().find((x) => x.name.startsWith(prefix));
  if (!m) throw new Error(`no migration ${prefix}`);
  return m;
};

describe('migrations', () => {
  it('0005 marks the orders whose issuer was already told, so that nobody is told twice', async () => {
    const db = handle.db;
    for (const m of listMigrations().filter((x) => x.name < '0005')) await sql.raw(m.sql).execute(db);
    const clock = new FakeClock();
    const grid = await buildGrid(db);
    const matter = await buildMatter(db, clock, { grid });
    const order = () =>
      insertSupervision(db, {
        matterId: matter.id,
        issuerId: null,
        issuerGridId: grid.id,
        priority: 'high',
        reason: '请加快办理',
        deadline: clock.now(),
        at: clock.now(),
      });
    const told = await order();
    const untold = await order();
    const at = new Date('2026-01-05T01:00:00Z');
    await insertEvent(db, {
      matterId: matter.id,
      at,
      actorId: null,
      action: 'supervision_overdue',
      detail: { supervisionId: told },
    });

    await sql.raw(migration('0005').sql).execute(db);
    const rows = await db
      .selectFrom('supervision')
      .select(['id', 'overdue_notified_at'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: told, overdue_notified_at: at },
      { id: untold, overdue_notified_at: null },
    ]);
  });

  it('0006 gives category.manage to the system administrator and takes it off every business role', async () => {
    const fresh = await openDatabase({});
    try {
      const db = fresh.db;
      for (const m of listMigrations().filter((x) => x.name < '0006')) await sql.raw(m.sql).execute(db);
      await db
        .insertInto('role')
        .values({
          name: '分类维护（自定义）',
          kind: 'business',
          permissions: ['matter.read', 'category.manage'],
          builtin: false,
        })
        .execute();
      await sql.raw(migration('0006').sql).execute(db);
      const holders = await db
        .selectFrom('role')
        .select(['name', 'kind'])
        .where(sql<boolean>`'category.manage' = ANY (permissions)`)
        .execute();
      expect(holders).toEqual([{ name: '系统管理员', kind: 'system' }]);
      const custom = await db
        .selectFrom('role')
        .select('permissions')
        .where('name', '=', '分类维护（自定义）')
        .executeTakeFirstOrThrow();
      expect(custom.permissions).toEqual(['matter.read']);
    } finally {
      await fresh.close();
    }
  });
});
