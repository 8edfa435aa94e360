import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { loadRegion, type RegionNode } from './division.ts';
import { approximateCenter, type LaidOutNode, layoutRegion } from './synthetic.ts';

const MAINLAND_PROVINCES = [
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
];

function village(code: string): RegionNode {
  return { code, name: `村${code}`, level: 'village', children: [] };
}

const SMALL_COUNTY: RegionNode = {
  code: '330110',
  name: '余杭区',
  level: 'county',
  children: [
    {
      code: '330110005',
      name: '甲街道',
      level: 'town',
      children: ['001', '002', '003'].map((v) => village(`330110005${v}`)),
    },
    { code: '330110009', name: '乙街道', level: 'town', children: [village('330110009001')] },
    { code: '330110010', name: '丙镇', level: 'town', children: [] },
  ],
};

function ring(polygon: Polygon): Position[] {
  const exterior = polygon.coordinates[0];
  if (exterior === undefined) throw new Error('polygon without a ring');
  return exterior;
}

/** Signed shoelace area; positive for counter-clockwise rings. */
function signedArea(polygon: Polygon): number {
  const points = ring(polygon);
  let twice = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0 = 0, y0 = 0] = points[i] ?? [];
    const [x1 = 0, y1 = 0] = points[i + 1] ?? [];
    twice += x0 * y1 - x1 * y0;
  }
  return twice / 2;
}

function bbox(polygon: Polygon): [number, number, number, number] {
  const xs = ring(polygon).map((p) => p[0] ?? Number.NaN);
  const ys = ring(polygon).map((p) => p[1] ?? Number.NaN);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function overlapArea(a: Polygon, b: Polygon): number {
  const [ax0, ay0, ax1, ay1] = bbox(a);
  const [bx0, by0, bx1, by1] = bbox(b);
  return (
    Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0)) *
    Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0))
  );
}

function* walk(node: LaidOutNode): Generator<LaidOutNode> {
  yield node;
  for (const child of node.children) yield* walk(child);
}

function expectTiles(node: LaidOutNode): void {
  if (node.children.length === 0) return;
  const parentArea = signedArea(node.polygon);
  const childArea = node.children.reduce((sum, child) => sum + signedArea(child.polygon), 0);
  expect(Math.abs(childArea - parentArea) / parentArea).toBeLessThan(1e-9);
  const [px0, py0, px1, py1] = bbox(node.polygon);
  node.children.forEach((child, i) => {
    const [x0, y0, x1, y1] = bbox(child.polygon);
    expect(x0 >= px0 && y0 >= py0 && x1 <= px1 && y1 <= py1).toBe(true);
    for (const other of node.children.slice(i + 1)) {
      expect(overlapArea(child.polygon, other.polygon)).toBe(0);
    }
  });
}

function expectWellFormed(node: LaidOutNode): void {
  const points = ring(node.polygon);
  expect(points).toHaveLength(5);
  expect(points[0]).toEqual(points[points.length - 1]);
  expect(signedArea(node.polygon)).toBeGreaterThan(0);
  const [x0, y0, x1, y1] = bbox(node.polygon);
  const [lng, lat] = node.centroid;
  expect(lng > x0 && lng < x1 && lat > y0 && lat < y1).toBe(true);
}

describe('approximateCenter', () => {
  it('knows every mainland province', () => {
    for (const province of MAINLAND_PROVINCES) {
      const [lng, lat] = approximateCenter(province);
      expect(lng).toBeGreaterThan(73);
      expect(lng).toBeLessThan(136);
      expect(lat).toBeGreaterThan(18);
      expect(lat).toBeLessThan(54);
    }
    expect(approximateCenter('33')).toEqual([120.15, 30.27]);
    expect(approximateCenter('3301')).toEqual([120.15, 30.27]);
  });

  it('moves counties away from the capital, deterministically and distinctly', () => {
    const centers = ['330102', '330105', '330106', '330108', '330109', '330110', '330182'].map(
      approximateCenter,
    );
    const keys = new Set(centers.map((center) => center.join(',')));
    expect(keys.size).toBe(centers.length);
    for (const [lng, lat] of centers) {
      expect(Math.abs(lng - 120.15)).toBeLessThan(3);
      expect(Math.abs(lat - 30.27)).toBeLessThan(3);
    }
    expect(approximateCenter('330110')).toEqual(approximateCenter('330110000000'));
  });

  it('rejects codes outside the mainland table', () => {
    expect(() => approximateCenter('71')).toThrow(/No approximate center/);
    expect(() => approximateCenter('x1')).toThrow(/Invalid region code/);
  });
});

describe('layoutRegion', () => {
  const opts = { gridsPerVillage: 3, microGridsPerGrid: 4, seed: 42 };

  it('rejects bad counts', () => {
    expect(() => layoutRegion(SMALL_COUNTY, { ...opts, gridsPerVillage: -1 })).toThrow(/gridsPerVillage/);
    expect(() => layoutRegion(SMALL_COUNTY, { ...opts, microGridsPerGrid: 1.5 })).toThrow(
      /microGridsPerGrid/,
    );
    expect(() => layoutRegion(SMALL_COUNTY, { ...opts, gridsPerVillage: 1000 })).toThrow(/gridsPerVillage/);
  });

  it('generates grids and micro-grids with codes, names and households', () => {
    const county = layoutRegion(SMALL_COUNTY, opts);
    const firstVillage = county.children[0]?.children[0];
    expect(firstVillage?.children.map((grid) => [grid.code, grid.name, grid.level])).toEqual([
      ['330110005001001', '第1网格', 'grid'],
      ['330110005001002', '第2网格', 'grid'],
      ['330110005001003', '第3网格', 'grid'],
    ]);
    expect(firstVillage?.children[0]?.children.map((micro) => [micro.code, micro.name, micro.level])).toEqual(
      [
        ['330110005001001001', '第1微网格', 'micro_grid'],
        ['330110005001001002', '第2微网格', 'micro_grid'],
        ['330110005001001003', '第3微网格', 'micro_grid'],
        ['330110005001001004', '第4微网格', 'micro_grid'],
      ],
    );
    for (const node of walk(county)) {
      if (node.level === 'grid') {
        expect(node.households).toBeGreaterThanOrEqual(150);
        expect(node.households).toBeLessThanOrEqual(450);
      }
      if (node.children.length > 0) {
        expect(node.households).toBe(node.children.reduce((sum, child) => sum + child.households, 0));
      }
    }
    expect(county.children[2]).toMatchObject({ name: '丙镇', households: 0, children: [] });
  });

  it('tiles every parent with its children on the small tree', () => {
    const county = layoutRegion(SMALL_COUNTY, opts);
    for (const node of walk(county)) {
      expectWellFormed(node);
      expectTiles(node);
    }
  });

  it('is deterministic for a seed', () => {
    expect(layoutRegion(SMALL_COUNTY, opts)).toEqual(layoutRegion(SMALL_COUNTY, opts));
    const households = (seed: number) =>
      [...walk(layoutRegion(SMALL_COUNTY, { ...opts, seed }))].map((node) => node.households);
    expect(households(1)).not.toEqual(households(2));
  });

  it('lays out the real demo county as a ~40 km square around the given center', async () => {
    const county = layoutRegion(await loadRegion('330110'), { ...opts, center: [120.0, 30.4] });
    const [x0, y0, x1, y1] = bbox(county.polygon);
    expect((y1 - y0) * 111.32).toBeCloseTo(40, 6);
    expect((x1 - x0) * 111.32 * Math.cos((30.4 * Math.PI) / 180)).toBeCloseTo(40, 6);
    expect(county.centroid[0]).toBeCloseTo(120.0, 9);
    expect(county.centroid[1]).toBeCloseTo(30.4, 9);

    const nodes = [...walk(county)];
    expect(nodes.filter((node) => node.level === 'grid')).toHaveLength(223 * 3);
    expect(nodes.filter((node) => node.level === 'micro_grid')).toHaveLength(223 * 3 * 4);
    for (const node of nodes) {
      expectWellFormed(node);
      expectTiles(node);
    }
  });

  it('works without generated levels', () => {
    const county = layoutRegion(SMALL_COUNTY, { gridsPerVillage: 0, microGridsPerGrid: 0, seed: 1 });
    for (const node of walk(county)) {
      expectWellFormed(node);
      expectTiles(node);
      expect(node.households).toBe(0);
    }
  });
});
