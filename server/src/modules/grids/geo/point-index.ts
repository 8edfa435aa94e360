import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import RBush from 'rbush';

/** A polygon to index; depth is the node's level in the tree (root 0), deeper wins a lookup. */
export interface IndexedPolygon {
  id: number;
  depth: number;
  polygon: Polygon | MultiPolygon;
}

interface Entry {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  item: IndexedPolygon;
}

/**
 * Point → node lookup over possibly nested polygons: an R-tree over bounding boxes narrows the
 * candidates, an exact point-in-polygon test (boundary inclusive) decides.
 */
export class PointIndex {
  private readonly tree = new RBush<Entry>();
  readonly size: number;

  constructor(items: readonly IndexedPolygon[]) {
    this.tree.load(items.map((item) => ({ ...bounds(item.polygon), item })));
    this.size = items.length;
  }

  /**
   * Id of the deepest polygon containing [lng, lat], or null. A point on an edge shared by
   * polygons of the same depth goes to the one with the lowest id.
   */
  lookup(lng: number, lat: number): number | null {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    const candidates = this.tree
      .search({ minX: lng, minY: lat, maxX: lng, maxY: lat })
      .map((entry) => entry.item)
      .sort((a, b) => b.depth - a.depth || a.id - b.id);
    for (const candidate of candidates) {
      if (booleanPointInPolygon([lng, lat], candidate.polygon)) return candidate.id;
    }
    return null;
  }
}

function bounds(polygon: Polygon | MultiPolygon): Omit<Entry, 'item'> {
  const polygons = polygon.type === 'Polygon' ? [polygon.coordinates] : polygon.coordinates;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const rings of polygons) {
    for (const [x = Number.NaN, y = Number.NaN] of rings[0] ?? []) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  return { minX, minY, maxX, maxY };
}
