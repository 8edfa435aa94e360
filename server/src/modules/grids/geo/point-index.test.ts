import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { type IndexedPolygon, PointIndex } from './point-index.ts';

function box(west: number, south: number, east: number, north: number): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A closed star-shaped ring around a center, counter-clockwise unless reversed. */
function starRing(next: () => number, lng: number, lat: number, radius: number, reverse = false): Position[] {
  const count = 3 + Math.floor(next() * 8);
  const ring: Position[] = [];
  for (let i = 0; i < count; i++) {
    const angle = (2 * Math.PI * i) / count;
    const r = radius * (0.4 + 0.6 * next());
    ring.push([lng + r * Math.cos(angle), lat + r * Math.sin(angle)]);
  }
  if (reverse) ring.reverse();
  const first = ring[0];
  if (first) ring.push([...first]);
  return ring;
}

function randomPolygon(next: () => number): Polygon | MultiPolygon {
  const lng = 120 + next();
  const lat = 30 + next();
  const radius = 0.005 + 0.05 * next();
  const kind = next();
  if (kind < 0.15) {
    const parts = [0, 1, 2].map((k) => [starRing(next, lng + k * radius * 3, lat, radius)]);
    return { type: 'MultiPolygon', coordinates: parts };
  }
  const rings = [starRing(next, lng, lat, radius)];
  if (kind < 0.3) rings.push(starRing(next, lng, lat, radius * 0.3, true));
  return { type: 'Polygon', coordinates: rings };
}

function bruteForce(items: readonly IndexedPolygon[], lng: number, lat: number): number | null {
  let best: IndexedPolygon | undefined;
  for (const item of items) {
    if (!booleanPointInPolygon([lng, lat], item.polygon)) continue;
    if (best === undefined || item.depth > best.depth || (item.depth === best.depth && item.id < best.id)) {
      best = item;
    }
  }
  return best?.id ?? null;
}

describe('PointIndex', () => {
  const village = { id: 10, depth: 0, polygon: box(0, 0, 4, 2) };
  const gridWest = { id: 21, depth: 1, polygon: box(0, 0, 2, 2) };
  const gridEast = { id: 20, depth: 1, polygon: box(2, 0, 4, 2) };
  const micro = { id: 30, depth: 2, polygon: box(0, 0, 1, 1) };
  const index = new PointIndex([village, gridWest, gridEast, micro]);

  it('returns null outside every polygon and for non-finite input', () => {
    expect(index.lookup(5, 1)).toBeNull();
    expect(index.lookup(-0.001, 1)).toBeNull();
    expect(index.lookup(Number.NaN, 1)).toBeNull();
    expect(new PointIndex([]).lookup(0, 0)).toBeNull();
  });

  it('returns the deepest containing polygon', () => {
    expect(index.lookup(0.5, 0.5)).toBe(30);
    expect(index.lookup(1.5, 1.5)).toBe(21);
    expect(index.lookup(3, 1)).toBe(20);
    expect(new PointIndex([village]).lookup(3, 1)).toBe(10);
  });

  it('gives a point on a shared edge to the lowest id of the deepest level', () => {
    expect(index.lookup(2, 1)).toBe(20);
    expect(index.lookup(2, 0)).toBe(20);
    expect(index.lookup(1, 0.5)).toBe(30);
    expect(index.lookup(1, 1.5)).toBe(21);
    expect(index.lookup(4, 2)).toBe(20);
    expect(index.lookup(0, 2)).toBe(21);
    expect(new PointIndex([gridWest, gridEast]).lookup(2, 2)).toBe(20);
    expect(new PointIndex([gridEast, gridWest]).lookup(2, 2)).toBe(20);
  });

  it('respects holes and multipolygons', () => {
    const donut: Polygon = {
      type: 'Polygon',
      coordinates: [box(0, 0, 4, 4).coordinates[0] ?? [], box(1, 1, 3, 3).coordinates[0] ?? []],
    };
    const islands: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [10, 0],
            [11, 0],
            [11, 1],
            [10, 0],
          ],
        ],
        box(12, 0, 13, 1).coordinates,
      ],
    };
    const holes = new PointIndex([
      { id: 1, depth: 1, polygon: donut },
      { id: 2, depth: 1, polygon: islands },
    ]);
    expect(holes.lookup(0.5, 0.5)).toBe(1);
    expect(holes.lookup(2, 2)).toBeNull();
    expect(holes.lookup(12.5, 0.5)).toBe(2);
    expect(holes.lookup(10.9, 0.1)).toBe(2);
    expect(holes.lookup(11.5, 0.5)).toBeNull();
  });

  it('agrees with a brute-force scan on 5,000 random polygons', () => {
    const next = random(7);
    const ids = Array.from({ length: 5000 }, (_, i) => i + 1).sort(() => next() - 0.5);
    const items: IndexedPolygon[] = ids.map((id) => ({
      id,
      depth: Math.floor(next() * 4),
      polygon: randomPolygon(next),
    }));
    const points = new PointIndex(items);
    expect(points.size).toBe(5000);
    let hits = 0;
    for (let i = 0; i < 1000; i++) {
      const lng = 119.95 + 1.2 * next();
      const lat = 29.95 + 1.1 * next();
      const expected = bruteForce(items, lng, lat);
      if (expected !== null) hits++;
      expect(points.lookup(lng, lat)).toBe(expected);
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('agrees with a brute-force scan on vertices and shared edges of a tiling', () => {
    const items: IndexedPolygon[] = [];
    for (let x = 0; x < 10; x++) {
      for (let y = 0; y < 10; y++) {
        items.push({ id: 1000 - (x * 10 + y), depth: (x + y) % 2, polygon: box(x, y, x + 1, y + 1) });
      }
    }
    const points = new PointIndex(items);
    for (let x = 0; x <= 20; x++) {
      for (let y = 0; y <= 20; y++) {
        expect(points.lookup(x / 2, y / 2)).toBe(bruteForce(items, x / 2, y / 2));
      }
    }
  });
});
