import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/client.ts';
import type { GridRow } from '../../db/schema/types.ts';

export const LEVELS = ['city', 'county', 'town', 'village', 'grid', 'micro_grid'] as const;
export type GridLevel = (typeof LEVELS)[number];

export interface NewGrid {
  parentId: number | null;
  code: string;
  name: string;
  level: GridLevel;
  polygon?: unknown;
  centroid?: [number, number] | null;
  households?: number;
  synthetic?: boolean;
}

/**
 * Inserts a node and sets its materialized path (`/<root id>/…/<own id>/`), which needs the new id:
 * the row is written with a unique placeholder path and then given its real one.
 */
export async function insertGrid(q: Queryable, g: NewGrid): Promise<GridRow> {
  const parent =
    g.parentId === null
      ? null
      : await q.selectFrom('grid').select(['path']).where('id', '=', g.parentId).executeTakeFirstOrThrow();
  const depth = LEVELS.indexOf(g.level);
  if (depth < 0) throw new Error(`unknown level ${g.level}`);
  const inserted = await q
    .insertInto('grid')
    .values({
      parent_id: g.parentId,
      code: g.code,
      name: g.name,
      level: g.level,
      depth,
      path: `tmp:${randomUUID()}`,
      polygon: g.polygon === undefined || g.polygon === null ? null : JSON.stringify(g.polygon),
      centroid_lng: g.centroid?.[0] ?? null,
      centroid_lat: g.centroid?.[1] ?? null,
      households: g.households ?? 0,
      synthetic: g.synthetic ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = `${parent?.path ?? '/'}${inserted.id}/`;
  return q
    .updateTable('grid')
    .set({ path })
    .where('id', '=', inserted.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findGridById(q: Queryable, id: number) {
  return q.selectFrom('grid').selectAll().where('id', '=', id).executeTakeFirst();
}

const CHILD_COUNT = 'child_count';

/** Grid columns for lists, with the number of direct children. */
export function selectNodes(q: Queryable) {
  return q
    .selectFrom('grid')
    .select([
      'grid.id',
      'grid.parent_id',
      'grid.code',
      'grid.name',
      'grid.level',
      'grid.depth',
      'grid.path',
      'grid.households',
      'grid.centroid_lng',
      'grid.centroid_lat',
      'grid.synthetic',
    ])
    .select((eb) =>
      eb
        .selectFrom('grid as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.parent_id', '=', 'grid.id')
        .as(CHILD_COUNT),
    );
}

export type NodeRow = Awaited<ReturnType<ReturnType<typeof selectNodes>['execute']>>[number];

export function findGridsByPaths(q: Queryable, paths: string[]) {
  if (paths.length === 0) return Promise.resolve([] as NodeRow[]);
  return selectNodes(q).where('grid.path', 'in', paths).orderBy('grid.code').execute();
}

export function findGridsByIds(q: Queryable, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('grid')
    .select(['id', 'name', 'level', 'path', 'depth'])
    .where('id', 'in', ids)
    .orderBy('depth')
    .execute();
}

export function findStaff(q: Queryable, gridId: number) {
  return q
    .selectFrom('grid_staff')
    .innerJoin('account', 'account.id', 'grid_staff.account_id')
    .select(['grid_staff.account_id', 'grid_staff.duty', 'account.display_name'])
    .where('grid_staff.grid_id', '=', gridId)
    .where('account.disabled_at', 'is', null)
    .orderBy('grid_staff.duty')
    .orderBy('account.display_name')
    .execute();
}

export function findGridByCode(q: Queryable, code: string) {
  return q.selectFrom('grid').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Polygons of every node that has one, for the point index. */
export function listPolygons(q: Queryable) {
  return q.selectFrom('grid').select(['id', 'depth', 'polygon']).where('polygon', 'is not', null).execute();
}

/** A cheap fingerprint of the polygons, to know when a cached point index is stale. */
export async function polygonStamp(q: Queryable): Promise<string> {
  const row = await q
    .selectFrom('grid')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('at')])
    .where('polygon', 'is not', null)
    .executeTakeFirstOrThrow();
  return `${row.n}:${row.at ? new Date(row.at as Date).getTime() : 0}`;
}
