import type { GridDetail, GridLevel, GridNode, GridPolygon } from '@gridgov/common/schemas/grids';
import type { GridRow } from '../../db/schema/types.ts';
import { canAccess } from '../../lib/access.ts';
import type { Ctx } from '../../lib/context.ts';
import type { NodeRow } from './grids.repository.ts';

export function presentNode(row: NodeRow): GridNode {
  return {
    id: row.id,
    parentId: row.parent_id,
    code: row.code,
    name: row.name,
    level: row.level as GridLevel,
    depth: row.depth,
    households: row.households,
    childCount: Number(row.child_count ?? 0),
    centroid:
      row.centroid_lng === null || row.centroid_lat === null ? null : [row.centroid_lng, row.centroid_lat],
    synthetic: row.synthetic,
  };
}

export function presentDetail(
  ctx: Ctx,
  row: GridRow,
  extra: {
    childCount: number;
    ancestors: { id: number; name: string; level: string }[];
    staff: { account_id: number; display_name: string; duty: string }[];
  },
): GridDetail {
  const manage = canAccess(ctx, 'grid.manage', row.path);
  return {
    ...presentNode({ ...row, child_count: extra.childCount }),
    path: row.path,
    polygon: (row.polygon as GridPolygon | null) ?? null,
    ancestors: extra.ancestors.map((a) => ({ id: a.id, name: a.name, level: a.level as GridLevel })),
    staff: extra.staff.map((s) => ({
      accountId: s.account_id,
      displayName: s.display_name,
      duty: s.duty as GridDetail['staff'][number]['duty'],
    })),
    abilities: { update: manage, addChild: manage && row.level !== 'micro_grid', manageStaff: manage },
  };
}
