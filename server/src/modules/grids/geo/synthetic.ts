import type { Polygon } from 'geojson';
import type { RegionLevel, RegionNode } from './division.ts';

/** Label to show next to generated boundaries: they are illustrative, not surveyed. */
export const SYNTHETIC_BOUNDARY_LABEL = '示意边界';

export type LaidOutLevel = RegionLevel | 'grid' | 'micro_grid';

/** A region, grid or micro-grid with an illustrative rectangular boundary that tiles its parent's. */
export interface LaidOutNode {
  code: string;
  name: string;
  level: LaidOutLevel;
  /** Closed, counter-clockwise exterior ring in [lng, lat] order. */
  polygon: Polygon;
  centroid: [number, number];
  /** Synthetic: 150–450 per grid; every other node holds the sum of its children (0 without any). */
  households: number;
  children: LaidOutNode[];
}

export interface LayoutOptions {
  /** Grids generated under each village, 0–999. */
  gridsPerVillage: number;
  /** Micro-grids generated under each grid, 0–999. */
  microGridsPerGrid: number;
  seed: number;
  /** [lng, lat] of the root's center; defaults to approximateCenter(root.code). */
  center?: [number, number];
}

interface Rect {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** A node before it is placed: households are known, geometry is not. */
interface Sized {
  code: string;
  name: string;
  level: LaidOutLevel;
  households: number;
  /** Relative area among siblings. */
  weight: number;
  children: Sized[];
}

/** Provincial capitals, [lng, lat], keyed by the 2-digit province code (31 mainland provinces). */
const PROVINCE_CAPITALS: Readonly<Record<string, [number, number]>> = {
  '11': [116.4, 39.9], // 北京
  '12': [117.2, 39.08], // 天津
  '13': [114.51, 38.04], // 石家庄
  '14': [112.55, 37.87], // 太原
  '15': [111.75, 40.84], // 呼和浩特
  '21': [123.43, 41.8], // 沈阳
  '22': [125.32, 43.82], // 长春
  '23': [126.53, 45.8], // 哈尔滨
  '31': [121.47, 31.23], // 上海
  '32': [118.8, 32.06], // 南京
  '33': [120.15, 30.27], // 杭州
  '34': [117.23, 31.82], // 合肥
  '35': [119.3, 26.08], // 福州
  '36': [115.86, 28.68], // 南昌
  '37': [117.12, 36.65], // 济南
  '41': [113.63, 34.75], // 郑州
  '42': [114.31, 30.59], // 武汉
  '43': [112.94, 28.23], // 长沙
  '44': [113.26, 23.13], // 广州
  '45': [108.37, 22.82], // 南宁
  '46': [110.2, 20.04], // 海口
  '50': [106.55, 29.56], // 重庆
  '51': [104.07, 30.57], // 成都
  '52': [106.63, 26.65], // 贵阳
  '53': [102.83, 24.88], // 昆明
  '54': [91.13, 29.65], // 拉萨
  '61': [108.94, 34.34], // 西安
  '62': [103.83, 36.06], // 兰州
  '63': [101.78, 36.62], // 西宁
  '64': [106.23, 38.49], // 银川
  '65': [87.62, 43.83], // 乌鲁木齐
};

const KM_PER_DEGREE_LAT = 111.32;
const COUNTY_SIDE_KM = 40;
const TOWNS_PER_COUNTY_SIDE = 12;
const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
const NOMINAL_WEIGHT = 300;
const MIN_HOUSEHOLDS = 150;
const MAX_HOUSEHOLDS = 450;

/**
 * Approximate [lng, lat] of a division for placing illustrative boundaries: the provincial
 * capital, moved along a spiral by the city digits and again by the county digits, so that
 * neighbouring cities and counties get distinct centers. Accepts 2–12 digit codes (zero padding
 * is ignored); throws for a code outside the 31 mainland provinces.
 */
export function approximateCenter(code: string): [number, number] {
  const digits = code.trim();
  if (!/^\d{2,12}$/.test(digits)) throw new Error(`Invalid region code "${code}"`);
  const capital = PROVINCE_CAPITALS[digits.slice(0, 2)];
  if (capital === undefined) throw new Error(`No approximate center for province "${digits.slice(0, 2)}"`);
  let [lng, lat] = capital;
  const steps: [string, number][] = [
    [digits.slice(2, 4), 0.35],
    [digits.slice(4, 6), 0.2],
  ];
  for (const [part, spacing] of steps) {
    const index = Number(part) - 1;
    if (part.length < 2 || index < 1) continue;
    const radius = spacing * Math.sqrt(index);
    lat += radius * Math.sin(index * GOLDEN_ANGLE);
    lng += (radius * Math.cos(index * GOLDEN_ANGLE)) / Math.cos((lat * Math.PI) / 180);
  }
  return [round6(lng), round6(lat)];
}

/**
 * Lays out a region tree as illustrative rectangles ("示意边界") around a center: the root is a
 * square of about 40 km per 12 towns (side ∝ √towns), and every node's children tile it exactly
 * (shared edges use identical coordinates), with areas proportional to their households. Grids
 * (parent village code + 3 digits, 第N网格) and micro-grids (grid code + 3 digits, 第N微网格) are
 * generated under each village. Deterministic for a given tree, options and seed.
 */
export function layoutRegion(root: RegionNode, opts: LayoutOptions): LaidOutNode {
  checkCount('gridsPerVillage', opts.gridsPerVillage);
  checkCount('microGridsPerGrid', opts.microGridsPerGrid);
  const [lng, lat] = opts.center ?? approximateCenter(root.code);
  const sideKm = Math.max(
    8,
    COUNTY_SIDE_KM * Math.sqrt(Math.max(1, countTowns(root)) / TOWNS_PER_COUNTY_SIDE),
  );
  const halfLat = sideKm / 2 / KM_PER_DEGREE_LAT;
  const halfLng = halfLat / Math.cos((lat * Math.PI) / 180);
  const rect = { west: lng - halfLng, south: lat - halfLat, east: lng + halfLng, north: lat + halfLat };
  return place(size(root, opts), rect, Math.cos((lat * Math.PI) / 180));
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 999) {
    throw new Error(`${name} must be an integer from 0 to 999, got ${value}`);
  }
}

function countTowns(node: RegionNode): number {
  if (node.level === 'town') return 1;
  return node.children.reduce((sum, child) => sum + countTowns(child), 0);
}

function size(node: RegionNode, opts: LayoutOptions): Sized {
  const children =
    node.level === 'village'
      ? Array.from({ length: opts.gridsPerVillage }, (_, i) => sizeGrid(node.code, i + 1, opts))
      : node.children.map((child) => size(child, opts));
  const households = children.reduce((sum, child) => sum + child.households, 0);
  return {
    code: node.code,
    name: node.name,
    level: node.level,
    households,
    weight: households > 0 ? households : NOMINAL_WEIGHT,
    children,
  };
}

function sizeGrid(villageCode: string, sequence: number, opts: LayoutOptions): Sized {
  const code = `${villageCode}${pad3(sequence)}`;
  const random = rng(opts.seed, code);
  const households = MIN_HOUSEHOLDS + Math.floor(random() * (MAX_HOUSEHOLDS - MIN_HOUSEHOLDS + 1));
  const shares = Array.from({ length: opts.microGridsPerGrid }, () => 0.6 + 0.8 * random());
  const total = shares.reduce((sum, share) => sum + share, 0);
  let before = 0;
  const children = shares.map<Sized>((share, i) => {
    const start = Math.round((households * before) / total);
    before += share;
    const end = i === shares.length - 1 ? households : Math.round((households * before) / total);
    return {
      code: `${code}${pad3(i + 1)}`,
      name: `第${i + 1}微网格`,
      level: 'micro_grid',
      households: end - start,
      weight: share,
      children: [],
    };
  });
  return { code, name: `第${sequence}网格`, level: 'grid', households, weight: households, children };
}

function place(node: Sized, rect: Rect, cosLat: number): LaidOutNode {
  const rects = splitRect(
    rect,
    node.children.map((child) => child.weight),
    cosLat,
  );
  return {
    code: node.code,
    name: node.name,
    level: node.level,
    polygon: rectPolygon(rect),
    centroid: [(rect.west + rect.east) / 2, (rect.south + rect.north) / 2],
    households: node.households,
    children: node.children.map((child, i) => place(child, rects[i] ?? rect, cosLat)),
  };
}

/**
 * Splits a rectangle into rows (north to south) of cells (west to east), one per weight, with
 * areas proportional to the weights and rows chosen so that cells are roughly square on the ground.
 */
function splitRect(rect: Rect, weights: number[], cosLat: number): Rect[] {
  const count = weights.length;
  if (count === 0) return [];
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const aspect = (rect.north - rect.south) / ((rect.east - rect.west) * cosLat);
  const rowCount = Math.min(count, Math.max(1, Math.round(Math.sqrt(count * aspect))));

  const rows: number[][] = [];
  let before = 0;
  weights.forEach((weight, i) => {
    const row = Math.min(rowCount - 1, Math.floor(((before + weight / 2) / total) * rowCount));
    before += weight;
    const cells = rows[row] ?? [];
    cells.push(i);
    rows[row] = cells;
  });

  const result: Rect[] = [];
  const filled = rows.filter((cells) => cells.length > 0);
  const rowWeights = filled.map((cells) => cells.reduce((sum, i) => sum + (weights[i] ?? 0), 0));
  const rowCuts = cuts(rect.north, rect.south, rowWeights);
  filled.forEach((cells, r) => {
    const north = rowCuts[r] ?? rect.north;
    const south = rowCuts[r + 1] ?? rect.south;
    const cellCuts = cuts(
      rect.west,
      rect.east,
      cells.map((i) => weights[i] ?? 0),
    );
    cells.forEach((i, c) => {
      result[i] = { west: cellCuts[c] ?? rect.west, east: cellCuts[c + 1] ?? rect.east, south, north };
    });
  });
  return result;
}

/** Boundaries from `from` to `to` at the cumulative weights; the end points are exact. */
function cuts(from: number, to: number, weights: number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const result = [from];
  let before = 0;
  weights.forEach((weight, i) => {
    before += weight;
    result.push(i === weights.length - 1 ? to : from + ((to - from) * before) / total);
  });
  return result;
}

function rectPolygon({ west, south, east, north }: Rect): Polygon {
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

function pad3(sequence: number): string {
  return String(sequence).padStart(3, '0');
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** mulberry32 seeded with FNV-1a of seed and key, so a node's numbers do not depend on traversal order. */
function rng(seed: number, key: string): () => number {
  let state = 0x811c9dc5;
  for (const char of `${seed}:${key}`) {
    state ^= char.charCodeAt(0);
    state = Math.imul(state, 0x01000193);
  }
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
