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
