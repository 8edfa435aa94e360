import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { GridRow } from '../../db/schema/types.ts';
import { buildGrid, buildUser, signIn, type TestUser } from '../../test/factories.ts';
import type { Client, TestEnv } from '../../test/harness.ts';

/** A square polygon with its south-west corner at (x, y). */
export const square = (x: number, y: number, size: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});

let worlds = 0;

export const ROLE = {
  worker: '网格员',
  village: '村（社区）工作人员',
  town: '乡镇（街道）指挥中心',
  county: '区县指挥中心',
  dept: '部门处置人员',
} as const;

export type Actor = 'worker' | 'village' | 'town' | 'dept' | 'county' | 'village2' | 'townB' | 'workerB';

/**
 * An isolated region for one test: a county with towns A and B, each with a village and a grid (with
 * polygons far from any other world's), a department, and one signed-in user per role:
 * grid worker, village staff (two), town command centre and a department handler in town A, the county
 * command centre, and a town centre and grid worker in town B.
 */
export async function buildWorld(env: TestEnv) {
  const db = env.handle.db;
  const x = 60 + (worlds++ % 30) * 4;
  const county = await buildGrid(db, { polygon: square(x, 20, 3) });
  const townA = await buildGrid(db, { parent: county, polygon: square(x, 20, 1) });
  const villageA = await buildGrid(db, { parent: townA, polygon: square(x, 20, 0.5) });
  const gridA = await buildGrid(db, { parent: villageA, polygon: square(x, 20, 0.25) });
  const townB = await buildGrid(db, { parent: county, polygon: square(x + 2, 20, 1) });
  const villageB = await buildGrid(db, { parent: townB, polygon: square(x + 2, 20, 0.5) });
  const gridB = await buildGrid(db, { parent: villageB, polygon: square(x + 2, 20, 0.25) });
  const department = await db
    .insertInto('department')
    .values({
      code: `d${randomBytes(4).toString('hex')}`,
      name_zh: '应急管理局',
      name_en: 'Emergency management',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const user = (grid: GridRow, role: string, departmentId?: number) =>
    buildUser(db, env.config, { grid, roles: [{ role, departmentId }], departmentId });
  const users: Record<Actor, TestUser> = {
    worker: await user(gridA, ROLE.worker),
    village: await user(villageA, ROLE.village),
    village2: await user(villageA, ROLE.village),
    town: await user(townA, ROLE.town),
    dept: await user(townA, ROLE.dept, department.id),
    county: await user(county, ROLE.county),
    townB: await user(townB, ROLE.town),
    workerB: await user(gridB, ROLE.worker),
  };
  const world = {
    county,
    townA,
    villageA,
    gridA,
    townB,
    villageB,
    gridB,
    department,
    users,
    /** A point inside gridA (and villageA, townA). */
    pointA: [x + 0.1, 20.1] as [number, number],
    /** A point inside gridB. */
    pointB: [x + 2.1, 20.1] as [number, number],
    clients: {} as Record<Actor, Client>,
    /** Signs everyone in again (after the fake clock moved past the session limits). */
    async signInAll() {
      for (const [name, u] of Object.entries(users))
        world.clients[name as Actor] = await signIn(env.app, u, env.clock);
    },
  };
  await world.signInAll();
  return world;
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** Asserts a status with the body in the message; returns the parsed body. */
export function expectStatus(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

/** The field a 400 names first. */
export const fieldOf = (res: LightMyRequestResponse) => res.json().error?.details?.[0]?.field;

export const road = { categoryCode: 'construction.road' } as const;

export async function categoryId(env: TestEnv, code: string): Promise<number> {
  const row = await env.handle.db
    .selectFrom('category')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return row.id;
}
