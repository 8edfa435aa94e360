import type { GridLevel } from '@gridgov/common/schemas/grids';
import { GRID_LEVELS } from '@gridgov/common/schemas/grids';
import { sql } from 'kysely';
import type { Tx } from '../../db/client.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { loadRegion, regionLabel } from './geo/division.ts';
import type { GridFileError } from './geo/grid-file.ts';
import { parseGridFile } from './geo/grid-file.ts';
import { centroidOf, validatePolygon } from './geo/polygon.ts';
import { type LaidOutNode, layoutRegion } from './geo/synthetic.ts';

interface PendingNode {
  parentCode: string | null;
  code: string;
  name: string;
  level: GridLevel;
  polygon: unknown;
  centroid: [number, number] | null;
  households: number;
  synthetic: boolean;
}

/**
 * Inserts nodes level by level: one multi-row INSERT per batch with placeholder paths, then one
 * UPDATE giving each new row its parent's path plus its own id. Parents must exist or come earlier.
 */
async function insertNodes(trx: Tx, nodes: PendingNode[]): Promise<number> {
  const byDepth = new Map<number, PendingNode[]>();
  for (const n of nodes) {
    const depth = GRID_LEVELS.indexOf(n.level);
    byDepth.set(depth, [...(byDepth.get(depth) ?? []), n]);
  }
  for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
    const batch = byDepth.get(depth) ?? [];
    const parentCodes = [...new Set(batch.map((n) => n.parentCode).filter((c): c is string => c !== null))];
    const parents = parentCodes.length
      ? await trx.selectFrom('grid').select(['id', 'code']).where('code', 'in', parentCodes).execute()
      : [];
    const parentId = new Map(parents.map((p) => [p.code, p.id]));
    for (let i = 0; i < batch.length; i += 500) {
      const slice = batch.slice(i, i + 500);
      await trx
        .insertInto('grid')
        .values(
          slice.map((n) => ({
            parent_id: n.parentCode === null ? null : (parentId.get(n.parentCode) ?? null),
            code: n.code,
            name: n.name,
            level: n.level,
            depth,
            path: `tmp:${n.code}`,
            polygon: n.polygon ? JSON.stringify(n.polygon) : null,
            centroid_lng: n.centroid?.[0] ?? null,
            centroid_lat: n.centroid?.[1] ?? null,
            households: n.households,
            synthetic: n.synthetic,
          })),
        )
        .execute();
    }
  }
  // Paths are set top-down: each round fixes the rows whose parent already has a real path.
  for (;;) {
    const result = await sql`
      UPDATE grid AS c SET path = coalesce(p.path, '/') || c.id::text || '/'
      FROM grid AS c2 LEFT JOIN grid AS p ON p.id = c2.parent_id
      WHERE c.id = c2.id AND c.path LIKE 'tmp:%' AND (p.id IS NULL OR p.path NOT LIKE 'tmp:%')`.execute(trx);
    if (!result.numAffectedRows) break;
  }
  return nodes.length;
}

function flatten(node: LaidOutNode, parentCode: string | null, out: PendingNode[]): PendingNode[] {
  out.push({
    parentCode,
    code: node.code,
    name: node.name,
    level: node.level,
    polygon: node.polygon,
    centroid: node.centroid,
    households: node.households,
    synthetic: true,
  });
  for (const child of node.children) flatten(child, node.code, out);
  return out;
}

export interface InitOptions {
  code: string;
  gridsPerVillage?: number;
  microGridsPerGrid?: number;
  seed?: number;
}

/**
 * Roots an empty deployment at a city or county from the official division codes, with every town
 * and village below it, and generated grids whose boundaries are illustrative (示意边界).
 */
export async function initRegion(
  ctx: Ctx,
  opts: InitOptions,
): Promise<{ rootId: number; nodes: number; label: string }> {
  const existing = await ctx.db.selectFrom('grid').select('id').limit(1).executeTakeFirst();
  if (existing)
    throw new Error('the deployment already has a grid tree; init runs only on an empty database');
  const region = await loadRegion(opts.code);
  const label = await regionLabel(region.code);
  const laid = layoutRegion(region, {
    gridsPerVillage: opts.gridsPerVillage ?? 2,
    microGridsPerGrid: opts.microGridsPerGrid ?? 0,
    seed: opts.seed ?? 1,
  });
  const nodes = flatten(laid, null, []);
  const rootId = await ctx.db.transaction().execute(async (trx) => {
    await insertNodes(trx, nodes);
    const root = await trx
      .selectFrom('grid')
      .select(['id', 'path'])
      .where('code', '=', region.code)
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'grid.init',
      objectType: 'grid',
      objectId: root.id,
      objectPath: root.path,
      detail: { region: region.code, nodes: nodes.length },
    });
    return root.id;
  });
  return { rootId, nodes: nodes.length, label };
}

export interface ImportResult {
  imported: number;
  errors: GridFileError[];
}

/**
 * Imports grids from a GeoJSON or CSV file below existing nodes. Nothing is imported unless every
 * row is valid: the errors name each bad row and field.
 */
export async function importGridFile(ctx: Ctx, fileName: string, content: string): Promise<ImportResult> {
  const parsed = parseGridFile(fileName, content);
  const errors = [...parsed.errors];
  const inFile = new Map(parsed.records.map((r) => [r.code, r]));
  const codes = [...new Set(parsed.records.flatMap((r) => [r.code, r.parentCode]))];
  const known = codes.length
    ? await ctx.db.selectFrom('grid').select(['code', 'depth']).where('code', 'in', codes).execute()
    : [];
  const depthOf = new Map(known.map((k) => [k.code, k.depth]));
  const pending: PendingNode[] = [];
  for (const r of parsed.records) {
    if (depthOf.has(r.code)) {
      errors.push({ where: r.where, field: 'code', message: `grid ${r.code} already exists` });
      continue;
    }
    const parentDepth = depthOf.get(r.parentCode);
    if (parentDepth === undefined && !inFile.has(r.parentCode)) {
      errors.push({ where: r.where, field: 'parent_code', message: `no grid ${r.parentCode}` });
      continue;
    }
    const depth = (parentDepth ?? GRID_LEVELS.indexOf(pendingLevel(pending, r.parentCode))) + 1;
    const level = GRID_LEVELS[depth];
    if (!level) {
      errors.push({ where: r.where, field: 'parent_code', message: 'a micro-grid cannot have children' });
      continue;
    }
    if (r.level && r.level !== level) {
      errors.push({ where: r.where, field: 'level', message: `must be ${level} under its parent` });
      continue;
    }
    const problem = r.geometry ? validatePolygon(r.geometry) : null;
    if (problem) {
      errors.push({ where: r.where, field: 'geometry', message: problem });
      continue;
    }
    pending.push({
      parentCode: r.parentCode,
      code: r.code,
      name: r.name,
      level,
      polygon: r.geometry,
      centroid: r.geometry ? centroidOf(r.geometry) : null,
      households: r.households ?? 0,
      synthetic: false,
    });
  }
  if (errors.length > 0) return { imported: 0, errors };
  await ctx.db.transaction().execute(async (trx) => {
    await insertNodes(trx, pending);
    await writeAudit(trx, ctx, {
      action: 'grid.import',
      objectType: 'grid',
      detail: { file: fileName.split('/').pop(), nodes: pending.length },
    });
  });
  return { imported: pending.length, errors: [] };
}

function pendingLevel(pending: PendingNode[], code: string): GridLevel {
  return pending.find((p) => p.code === code)?.level ?? 'micro_grid';
}
