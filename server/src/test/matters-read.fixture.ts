import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/client.ts';
import type { GridRow, MatterRow } from '../db/schema/types.ts';
import type { Ctx } from '../lib/context.ts';
import { loadGrants } from '../modules/auth/auth.repository.ts';
import { buildGrid, buildUser, signIn, type TestUser } from './factories.ts';
import type { Client, TestEnv } from './harness.ts';

const uniq = () => randomBytes(4).toString('hex');

export async function buildDepartment(q: Queryable, nameZh = '城管') {
  const code = `D${uniq()}`;
  return q
    .insertInto('department')
    .values({ code, name_zh: `${nameZh}${code}`, name_en: code })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A county with two sibling towns A and B. Town A has two villages (A, A2) and a grid under village A;
 * town B one village. Users: a command centre per town, a county centre, village staff in village A,
 * a department handler of department D in town A, a grid worker in grid A, and an audit administrator.
 */
export async function siblingTowns(env: TestEnv) {
  const db = env.handle.db;
  const county = await buildGrid(db, { level: 'county' });
  const townA = await buildGrid(db, { parent: county, level: 'town', name: `甲镇${uniq()}` });
  const townB = await buildGrid(db, { parent: county, level: 'town', name: `乙镇${uniq()}` });
  const villageA = await buildGrid(db, { parent: townA, level: 'village' });
  const villageA2 = await buildGrid(db, { parent: townA, level: 'village' });
  const gridA = await buildGrid(db, { parent: villageA, level: 'grid' });
  const villageB = await buildGrid(db, { parent: townB, level: 'village' });
  const deptD = await buildDepartment(db, '城管');
  const deptE = await buildDepartment(db, '住建');
  const cfg = env.config;
  const users = {
    townA: await buildUser(db, cfg, { grid: townA, roles: [{ role: '乡镇（街道）指挥中心' }] }),
    townB: await buildUser(db, cfg, { grid: townB, roles: [{ role: '乡镇（街道）指挥中心' }] }),
    county: await buildUser(db, cfg, { grid: county, roles: [{ role: '区县指挥中心' }] }),
    village: await buildUser(db, cfg, { grid: villageA, roles: [{ role: '村（社区）工作人员' }] }),
    dept: await buildUser(db, cfg, {
      grid: townA,
      departmentId: deptD.id,
      roles: [{ role: '部门处置人员', departmentId: deptD.id }],
    }),
    worker: await buildUser(db, cfg, { grid: gridA, roles: [{ role: '网格员' }] }),
    auditor: await buildUser(db, cfg, { grid: county, roles: [{ role: '审计管理员' }] }),
  };
  return { county, townA, townB, villageA, villageA2, gridA, villageB, deptD, deptE, users };
}
export type SiblingTowns = Awaited<ReturnType<typeof siblingTowns>>;

/** Signs every user of the fixture in. */
export async function signInAll<K extends string>(
  env: TestEnv,
  users: Record<K, TestUser>,
): Promise<Record<K, Client>> {
  const out = {} as Record<K, Client>;
  for (const [k, u] of Object.entries(users) as [K, TestUser][]) out[k] = await signIn(env.app, u, env.clock);
  return out;
}

/** A request-less context carrying the user's grants, to check lists against the single-object rule. */
export async function ctxOf(env: TestEnv, user: TestUser, home: GridRow): Promise<Ctx> {
  const loaded = await loadGrants(env.handle.db, user.id);
  return {
    ...env.ctx,
    actor: {
      id: user.id,
      username: user.username,
      displayName: user.username,
      homeGridId: home.id,
      homePath: home.path,
      departmentId: null,
      kind: 'business',
      roles: loaded.roles,
      grants: loaded.grants,
      sessionId: 'test',
    },
  };
}

/** Sets columns the factory leaves at their defaults (flags, deadlines, places, times). */
export async function patchMatter(q: Queryable, m: MatterRow, set: Partial<Omit<MatterRow, 'id'>>) {
  if (Object.keys(set).length === 0) return m;
  return q.updateTable('matter').set(set).where('id', '=', m.id).returningAll().executeTakeFirstOrThrow();
}
