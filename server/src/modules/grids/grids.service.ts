import type {
  CreateGridBody,
  GeometryCollection,
  GridDetail,
  GridLevel,
  GridLevelInfo,
  GridNode,
  GridPolygon,
  StaffBody,
  UpdateGridBody,
} from '@gridgov/common/schemas/grids';
import { GRID_LEVELS } from '@gridgov/common/schemas/grids';
import type { MultiPolygon, Polygon } from 'geojson';
import { sql } from 'kysely';
import type { Database } from '../../db/client.ts';
import { canAccess, escapeLike, requireAccess, rootsOf, scopeWhere } from '../../lib/access.ts';
import { AppError, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { PointIndex } from './geo/point-index.ts';
import { centroidOf, validatePolygon } from './geo/polygon.ts';
import { presentDetail, presentNode } from './grids.presenter.ts';
import {
  findGridByCode,
  findGridById,
  findGridsByIds,
  findGridsByPaths,
  findStaff,
  insertGrid,
  listPolygons,
  polygonStamp,
  selectNodes,
} from './grids.repository.ts';

export async function listLevels(ctx: Ctx): Promise<GridLevelInfo[]> {
  const rows = await ctx.db.selectFrom('grid_level').selectAll().orderBy('depth').execute();
  return rows.map((r) => ({
    depth: r.depth,
    level: r.level as GridLevel,
    nameZh: r.name_zh,
    nameEn: r.name_en,
  }));
}

/** The top nodes of the caller's scope: one per subtree root where it holds grid.read. */
export async function listRoots(ctx: Ctx): Promise<GridNode[]> {
  return (await findGridsByPaths(ctx.db, rootsOf(ctx, 'grid.read'))).map(presentNode);
}

async function loadVisible(ctx: Ctx, id: number, perm: 'grid.read' | 'grid.manage' = 'grid.read') {
  const row = await findGridById(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'No such grid');
  requireAccess(ctx, perm, row.path);
  return row;
}

export async function getGrid(ctx: Ctx, id: number): Promise<GridDetail> {
  const row = await loadVisible(ctx, id);
  return detailOf(ctx, row.id);
}

async function detailOf(ctx: Ctx, id: number): Promise<GridDetail> {
  const row = await findGridById(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'No such grid');
  const ancestorIds = row.path.split('/').filter(Boolean).map(Number).slice(0, -1);
  const [ancestors, staff, children] = await Promise.all([
    findGridsByIds(ctx.db, ancestorIds),
    findStaff(ctx.db, id),
    ctx.db
      .selectFrom('grid')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_id', '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  return presentDetail(ctx, row, {
    childCount: Number(children.n),
    ancestors: ancestors.filter((a) => canAccess(ctx, 'grid.read', a.path)),
    staff,
  });
}

export async function listChildren(ctx: Ctx, id: number): Promise<GridNode[]> {
  await loadVisible(ctx, id);
  const rows = await selectNodes(ctx.db).where('grid.parent_id', '=', id).orderBy('grid.code').execute();
  return rows.map(presentNode);
}

/** Grids by name or code within the caller's scope (places, not people). */
export async function searchGrids(ctx: Ctx, text: string): Promise<GridNode[]> {
  const term = escapeLike(text.trim());
  const rows = await selectNodes(ctx.db)
    .where(scopeWhere(ctx, 'grid.read', 'grid.path'))
    .where((eb) => eb.or([eb('grid.name', 'like', `%${term}%`), eb('grid.code', 'like', `${term}%`)]))
    .orderBy('grid.depth')
    .orderBy('grid.code')
    .limit(20)
    .execute();
  return rows.map(presentNode);
}

export async function geometryOf(ctx: Ctx, id: number): Promise<GeometryCollection> {
  const row = await loadVisible(ctx, id);
  const rows = await ctx.db
    .selectFrom('grid')
    .select(['id', 'name', 'code', 'level', 'households', 'synthetic', 'polygon'])
    .where((eb) => eb.or([eb('id', '=', row.id), eb('parent_id', '=', row.id)]))
    .where('polygon', 'is not', null)
    .orderBy(sql`id = ${row.id}`, 'desc')
    .orderBy('code')
    .execute();
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature' as const,
      geometry: r.polygon as GridPolygon,
      properties: {
        id: r.id,
        name: r.name,
        code: r.code,
        level: r.level as GridLevel,
        households: r.households,
        synthetic: r.synthetic,
        self: r.id === row.id,
      },
    })),
  };
}

const indexes = new WeakMap<Database, { stamp: string; index: PointIndex }>();

/** The point index of all polygons, rebuilt when any polygon changed (on this or another node). */
export async function pointIndex(db: Database): Promise<PointIndex> {
  const stamp = await polygonStamp(db);
  const cached = indexes.get(db);
  if (cached?.stamp === stamp) return cached.index;
  const rows = await listPolygons(db);
  const index = new PointIndex(
    rows.map((r) => ({ id: r.id, depth: r.depth, polygon: r.polygon as Polygon | MultiPolygon })),
  );
  indexes.set(db, { stamp, index });
  return index;
}

/** The deepest grid containing the point, if it is inside the caller's scope. */
export async function lookupPoint(ctx: Ctx, lng: number, lat: number): Promise<GridNode | null> {
  const id = (await pointIndex(ctx.db)).lookup(lng, lat);
  if (id === null) return null;
  const [row] = await selectNodes(ctx.db).where('grid.id', '=', id).execute();
  if (!row || !canAccess(ctx, 'grid.read', row.path)) return null;
  return presentNode(row);
}

function checkPolygon(polygon: GridPolygon | null | undefined, field = 'polygon') {
  if (!polygon) return;
  const problem = validatePolygon(polygon);
  if (problem) throw validationError([{ field, message: problem }]);
}

export async function createGrid(ctx: Ctx, body: CreateGridBody): Promise<GridDetail> {
  const parent = await findGridById(ctx.db, body.parentId);
  if (!parent) throw new AppError('NOT_FOUND', 'No such parent grid');
  requireAccess(ctx, 'grid.manage', parent.path);
  const level = GRID_LEVELS[parent.depth + 1];
  if (!level) throw validationError([{ field: 'parentId', message: 'a micro-grid cannot have children' }]);
  checkPolygon(body.polygon);
  if (await findGridByCode(ctx.db, body.code))
    throw new AppError('CONFLICT', 'code is already used', [{ field: 'code', message: 'is already used' }]);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await insertGrid(trx, {
      parentId: parent.id,
      code: body.code,
      name: body.name.trim(),
      level,
      polygon: body.polygon ?? null,
      centroid: body.polygon ? centroidOf(body.polygon) : null,
      households: body.households ?? 0,
    });
    await writeAudit(trx, ctx, {
      action: 'grid.create',
      objectType: 'grid',
      objectId: row.id,
      objectPath: row.path,
      detail: { code: row.code, level },
    });
    return row.id;
  });
  return detailOf(ctx, id);
}

export async function updateGrid(ctx: Ctx, id: number, body: UpdateGridBody): Promise<GridDetail> {
  const row = await loadVisible(ctx, id, 'grid.manage');
  checkPolygon(body.polygon);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('grid')
      .set({
        ...(body.name === undefined ? {} : { name: body.name.trim() }),
        ...(body.households === undefined ? {} : { households: body.households }),
        ...(body.polygon === undefined
          ? {}
          : {
              polygon: body.polygon === null ? null : JSON.stringify(body.polygon),
              centroid_lng: body.polygon ? centroidOf(body.polygon)[0] : null,
              centroid_lat: body.polygon ? centroidOf(body.polygon)[1] : null,
              synthetic: false,
            }),
        updated_at: ctx.clock.now(),
      })
      .where('id', '=', row.id)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'grid.update',
      objectType: 'grid',
      objectId: row.id,
      objectPath: row.path,
      detail: { fields: Object.keys(body) },
    });
  });
  return detailOf(ctx, row.id);
}

/** Replaces the responsible staff of a node; each must be an enabled account whose home grid is in the caller's scope. */
export async function setStaff(ctx: Ctx, id: number, body: StaffBody): Promise<GridDetail> {
  const row = await loadVisible(ctx, id, 'grid.manage');
  const ids = [...new Set(body.staff.map((s) => s.accountId))];
  const accounts = ids.length
    ? await ctx.db
        .selectFrom('account')
        .innerJoin('grid', 'grid.id', 'account.home_grid_id')
        .select(['account.id', 'grid.path', 'account.disabled_at'])
        .where('account.id', 'in', ids)
        .execute()
    : [];
  body.staff.forEach((s, i) => {
    const a = accounts.find((x) => x.id === s.accountId);
    if (!a || a.disabled_at || !canAccess(ctx, 'grid.manage', a.path)) {
      throw validationError([
        { field: `staff.${i}.accountId`, message: 'no such enabled account in your scope' },
      ]);
    }
  });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('grid_staff').where('grid_id', '=', row.id).execute();
    const unique = [...new Map(body.staff.map((s) => [`${s.accountId}:${s.duty}`, s])).values()];
    if (unique.length) {
      await trx
        .insertInto('grid_staff')
        .values(unique.map((s) => ({ grid_id: row.id, account_id: s.accountId, duty: s.duty })))
        .execute();
    }
    await writeAudit(trx, ctx, {
      action: 'grid.staff.set',
      objectType: 'grid',
      objectId: row.id,
      objectPath: row.path,
      detail: { staff: unique.map((s) => ({ accountId: s.accountId, duty: s.duty })) },
    });
  });
  return detailOf(ctx, row.id);
}
