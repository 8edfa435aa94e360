import type { MultiPolygon, Polygon, Position } from 'geojson';

/** Why a polygon is unusable, or null: rings closed, at least 4 positions, coordinates in range. */
export function validatePolygon(geometry: Polygon | MultiPolygon): string | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const rings of polygons) {
    for (const ring of rings) {
      if (ring.length < 4) return 'each ring needs at least 4 positions';
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) return 'each ring must be closed';
      for (const [lng = Number.NaN, lat = Number.NaN] of ring) {
        if (!(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90)) return 'coordinates out of range';
      }
    }
  }
  return null;
}

/** Area-weighted centroid of the outer rings (planar; fine at grid scale). */
export function centroidOf(geometry: Polygon | MultiPolygon): [number, number] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let area = 0;
  let cx = 0;
  let cy = 0;
  let fallback: Position | undefined;
  for (const rings of polygons) {
    const ring = rings[0] ?? [];
    fallback ??= ring[0];
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x0 = 0, y0 = 0] = ring[i] ?? [];
      const [x1 = 0, y1 = 0] = ring[i + 1] ?? [];
      const cross = x0 * y1 - x1 * y0;
      area += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
  }
  if (Math.abs(area) < 1e-15) return [fallback?.[0] ?? 0, fallback?.[1] ?? 0];
  return [cx / (3 * area), cy / (3 * area)];
}
