import { parse } from 'csv-parse/sync';
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** Levels a grid import file may name; the importer decides which fit under a given parent. */
export const GRID_FILE_LEVELS = ['city', 'county', 'town', 'village', 'grid', 'micro_grid'] as const;
export type GridFileLevel = (typeof GRID_FILE_LEVELS)[number];

/** One valid row of an import file. */
export interface GridRecord {
  code: string;
  name: string;
  parentCode: string;
  households: number | null;
  level: GridFileLevel | null;
  geometry: Polygon | MultiPolygon | null;
  /** Where the row came from: "features[3]" (0-based) or "line 5" (1-based). */
  where: string;
}

export interface GridFileError {
  where: string;
  field: string;
  message: string;
}

export interface ParsedGridFile {
  /** Valid rows, parents before their children when both are in the file, otherwise in file order. */
  records: GridRecord[];
  errors: GridFileError[];
}

interface RawRow {
  where: string;
  code: unknown;
  name: unknown;
  parentCode: unknown;
  households: unknown;
  level: unknown;
  /** Already parsed or validated geometry input; `undefined` when the row has none. */
  geometry: unknown;
  /** Geometry that could not even be read (bad WKT). */
  geometryError?: { message: string };
  geometryField: string;
  geometryRequired: boolean;
}

const CODE_PATTERN = /^[0-9A-Za-z_-]{1,32}$/;
const MAX_NAME_LENGTH = 100;
const CSV_REQUIRED = ['code', 'name', 'parent_code'];
const CSV_OPTIONAL = ['households', 'level', 'wkt'];

/**
 * Parses and validates a grid import file (`.geojson`/`.json` FeatureCollection or `.csv` with
 * header `code,name,parent_code[,households][,level][,wkt]`) without touching the database.
 * Every problem is reported with its feature index or CSV line so that a caller can show all of
 * them at once; rows with any error are left out of `records`. Duplicate codes (the first wins)
 * and parent_code cycles are errors too.
 */
export function parseGridFile(fileName: string, content: string): ParsedGridFile {
  const errors: GridFileError[] = [];
  const text = content.replace(/^\uFEFF/, '');
  const extension = fileName.toLowerCase().split('.').pop();
  let rows: RawRow[];
  if (extension === 'geojson' || extension === 'json') {
    rows = readGeoJson(text, errors);
  } else if (extension === 'csv') {
    rows = readCsv(text, errors);
  } else {
    errors.push({
      where: 'file',
      field: 'file',
      message: `Unsupported file type "${fileName}": use .geojson or .csv`,
    });
    rows = [];
  }
  const records = dropDuplicates(
    rows.map((row) => validateRow(row, errors)).filter((record) => record !== undefined),
    errors,
  );
  const ordered = orderParentsFirst(records, errors);
  return { records: ordered, errors: errors.sort((a, b) => position(a.where) - position(b.where)) };
}

/** Sort key of a `where`: the whole file first, then features or lines in file order. */
function position(where: string): number {
  const digits = /\d+/.exec(where);
  return digits === null ? -1 : Number(digits[0]);
}

function readGeoJson(text: string, errors: GridFileError[]): RawRow[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    errors.push({ where: 'file', field: 'file', message: `Invalid JSON: ${messageOf(error)}` });
    return [];
  }
  if (!isObject(document) || document.type !== 'FeatureCollection' || !Array.isArray(document.features)) {
    errors.push({ where: 'file', field: 'type', message: 'Expected a GeoJSON FeatureCollection' });
    return [];
  }
  const rows: RawRow[] = [];
  document.features.forEach((feature: unknown, i: number) => {
    const where = `features[${i}]`;
    if (!isObject(feature) || feature.type !== 'Feature') {
      errors.push({ where, field: 'type', message: 'Expected a GeoJSON Feature' });
      return;
    }
    const properties = isObject(feature.properties) ? feature.properties : {};
    rows.push({
      where,
      code: properties.code,
      name: properties.name,
      parentCode: properties.parent_code,
      households: properties.households,
      level: properties.level,
      geometry: feature.geometry ?? undefined,
      geometryField: 'geometry',
      geometryRequired: true,
    });
  });
  return rows;
}

interface CsvEntry {
  record: string[];
  /** Line the record ends on. */
  lines: number;
}

function readCsv(text: string, errors: GridFileError[]): RawRow[] {
  const parsed: CsvEntry[] = [];
  try {
    // csv-parse counts a CRLF inside a quoted field as two lines; normalize so line numbers hold.
    parse(text.replace(/\r\n?/g, '\n'), {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      on_record: (record: unknown, context) => {
        if (Array.isArray(record)) parsed.push({ record: record.map(String), lines: context.lines });
        return null;
      },
    });
  } catch (error) {
    const line = isObject(error) && typeof error.lines === 'number' ? `line ${error.lines}` : 'file';
    errors.push({ where: line, field: 'file', message: `Invalid CSV: ${messageOf(error)}` });
    return [];
  }
  const [header, ...body] = parsed;
  if (header === undefined) {
    errors.push({ where: 'file', field: 'file', message: 'Empty CSV: expected a header line' });
    return [];
  }
  const columns = header.record.map((column) => column.toLowerCase());
  const headerWhere = `line ${startLine(header)}`;
  let headerValid = true;
  columns.forEach((column, i) => {
    if (columns.indexOf(column) !== i) {
      errors.push({ where: headerWhere, field: column, message: `Duplicate column "${column}"` });
      headerValid = false;
    } else if (!CSV_REQUIRED.includes(column) && !CSV_OPTIONAL.includes(column)) {
      errors.push({
        where: headerWhere,
        field: column,
        message: `Unknown column "${column}": expected ${[...CSV_REQUIRED, ...CSV_OPTIONAL].join(', ')}`,
      });
      headerValid = false;
    }
  });
  for (const column of CSV_REQUIRED.filter((required) => !columns.includes(required))) {
    errors.push({ where: headerWhere, field: column, message: `Missing column "${column}"` });
    headerValid = false;
  }
  if (!headerValid) return [];

  const rows: RawRow[] = [];
  for (const entry of body) {
    const where = `line ${startLine(entry)}`;
    if (entry.record.length !== columns.length) {
      errors.push({
        where,
        field: 'row',
        message: `Expected ${columns.length} fields, found ${entry.record.length}`,
      });
      continue;
    }
    const cell = (column: string): string | undefined => {
      const i = columns.indexOf(column);
      return i === -1 ? undefined : entry.record[i];
    };
    const wkt = cell('wkt') ?? '';
    const row: RawRow = {
      where,
      code: cell('code'),
      name: cell('name'),
      parentCode: cell('parent_code'),
      households: cell('households'),
      level: cell('level'),
      geometry: undefined,
      geometryField: 'wkt',
      geometryRequired: false,
    };
    if (wkt !== '') {
      const result = parseWkt(wkt);
      if (typeof result === 'string') row.geometryError = { message: result };
      else row.geometry = result;
    }
    rows.push(row);
  }
  return rows;
}

/** csv-parse reports the line a record ends on; count back over newlines inside quoted fields. */
function startLine(entry: CsvEntry): number {
  const embedded = entry.record.reduce((sum, field) => sum + (field.match(/\n/g)?.length ?? 0), 0);
  return entry.lines - embedded;
}

type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T>(message: string): Checked<T> => ({ ok: false, message });

function validateRow(row: RawRow, errors: GridFileError[]): GridRecord | undefined {
  const code = readCode(row.code);
  const parentCode = readCode(row.parentCode);
  const name = readName(row.name);
  const households = readHouseholds(row.households);
  const level = readLevel(row.level);
  const geometry = row.geometryError
    ? bad<Polygon | MultiPolygon | null>(row.geometryError.message)
    : readGeometry(row.geometry, row.geometryRequired);
  const checks: [string, Checked<unknown>][] = [
    ['code', code],
    ['name', name],
    ['parent_code', parentCode],
    ['households', households],
    ['level', level],
    [row.geometryField, geometry],
  ];
  for (const [field, check] of checks) {
    if (!check.ok) errors.push({ where: row.where, field, message: check.message });
  }
  if (!code.ok || !name.ok || !parentCode.ok || !households.ok || !level.ok || !geometry.ok) return undefined;
  return {
    code: code.value,
    name: name.value,
    parentCode: parentCode.value,
    households: households.value,
    level: level.value,
    geometry: geometry.value,
    where: row.where,
  };
}

function readCode(value: unknown): Checked<string> {
  const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (text === undefined || text === null || text === '') return bad('Required');
  if (typeof text !== 'string') return bad('Must be a string');
  if (!CODE_PATTERN.test(text)) return bad('Must be 1–32 characters of 0-9, A-Z, a-z, _ or -');
  return ok(text);
}

function readName(value: unknown): Checked<string> {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '') return bad('Required');
  if (name.length > MAX_NAME_LENGTH) return bad(`At most ${MAX_NAME_LENGTH} characters`);
  return ok(name);
}

function readHouseholds(value: unknown): Checked<number | null> {
  if (value === undefined || value === null || value === '') return ok(null);
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    return bad('Must be a non-negative integer');
  }
  return ok(number);
}

function readLevel(value: unknown): Checked<GridFileLevel | null> {
  if (value === undefined || value === null || value === '') return ok(null);
  const level = GRID_FILE_LEVELS.find((known) => known === value);
  return level === undefined ? bad(`Must be one of ${GRID_FILE_LEVELS.join(', ')}`) : ok(level);
}

/** Validates a GeoJSON geometry and returns a clean copy (extra members such as bbox dropped). */
function readGeometry(value: unknown, required: boolean): Checked<Polygon | MultiPolygon | null> {
  if (value === undefined || value === null)
    return required ? bad('Required: a Polygon or MultiPolygon') : ok(null);
  if (!isObject(value)) return bad('Must be a GeoJSON geometry object');
  if (value.type === 'Polygon') {
    const rings = readRings(value.coordinates, 'coordinates');
    return rings.ok ? ok({ type: 'Polygon', coordinates: rings.value }) : rings;
  }
  if (value.type === 'MultiPolygon') {
    if (!Array.isArray(value.coordinates) || value.coordinates.length === 0) {
      return bad('coordinates: expected a non-empty array of polygons');
    }
    const polygons: Position[][][] = [];
    for (const [i, polygon] of value.coordinates.entries()) {
      const rings = readRings(polygon, `coordinates[${i}]`);
      if (!rings.ok) return rings;
      polygons.push(rings.value);
    }
    return ok({ type: 'MultiPolygon', coordinates: polygons });
  }
  return bad(`Unsupported geometry type "${String(value.type)}": expected Polygon or MultiPolygon`);
}

function readRings(value: unknown, path: string): Checked<Position[][]> {
  if (!Array.isArray(value) || value.length === 0) return bad(`${path}: expected a non-empty array of rings`);
  const rings: Position[][] = [];
  for (const [r, ring] of value.entries()) {
    const at = `${path}[${r}]`;
    if (!Array.isArray(ring) || ring.length < 4) return bad(`${at}: a ring needs at least 4 positions`);
    const positions: Position[] = [];
    for (const [p, position] of ring.entries()) {
      const checked = readPosition(position, `${at}[${p}]`);
      if (!checked.ok) return checked;
      positions.push(checked.value);
    }
    const first = positions[0] ?? [];
    const last = positions[positions.length - 1] ?? [];
    if (first[0] !== last[0] || first[1] !== last[1])
      return bad(`${at}: ring is not closed (first ≠ last position)`);
    rings.push(positions);
  }
  return ok(rings);
}

function readPosition(value: unknown, at: string): Checked<Position> {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return bad(`${at}: expected [lng, lat]`);
  const numbers: number[] = [];
  for (const n of value) {
    if (typeof n !== 'number' || !Number.isFinite(n)) return bad(`${at}: not a number`);
    numbers.push(n);
  }
  const [lng = 0, lat = 0] = numbers;
  if (lng < -180 || lng > 180) return bad(`${at}: longitude ${lng} outside [-180, 180]`);
  if (lat < -90 || lat > 90) return bad(`${at}: latitude ${lat} outside [-90, 90]`);
  return ok(numbers);
}

/**
 * Parses WKT POLYGON((x y, …), (…)) or MULTIPOLYGON(((…)), ((…))) into unvalidated GeoJSON;
 * returns a message for anything else.
 */
function parseWkt(wkt: string): Polygon | MultiPolygon | string {
  const match = /^\s*(MULTIPOLYGON|POLYGON)\s*(\(.*\))\s*$/is.exec(wkt);
  if (!match) return 'Expected WKT POLYGON((…)) or MULTIPOLYGON(((…)))';
  const tokens = match[2]?.match(/[(),]|[^\s(),]+/g) ?? [];
  let at = 0;
  const expect = (token: string) => {
    if (tokens[at] !== token) throw new Error(`expected "${token}" at token ${at + 1}`);
    at++;
  };
  const list = <T>(item: () => T): T[] => {
    expect('(');
    const items = [item()];
    while (tokens[at] === ',') {
      at++;
      items.push(item());
    }
    expect(')');
    return items;
  };
  const position = (): Position => {
    const numbers: number[] = [];
    while (tokens[at] !== undefined && !['(', ')', ','].includes(tokens[at] ?? '')) {
      const value = Number(tokens[at]);
      if (!Number.isFinite(value)) throw new Error(`"${tokens[at]}" is not a number`);
      numbers.push(value);
      at++;
    }
    if (numbers.length < 2 || numbers.length > 3) throw new Error('a position needs 2 numbers');
    return numbers;
  };
  const rings = () => list(() => list(position));
  try {
    const geometry: Polygon | MultiPolygon =
      match[1]?.toUpperCase() === 'POLYGON'
        ? { type: 'Polygon', coordinates: rings() }
        : { type: 'MultiPolygon', coordinates: list(rings) };
    if (at !== tokens.length) throw new Error(`unexpected "${tokens[at]}" after the geometry`);
    return geometry;
  } catch (error) {
    return `Invalid WKT: ${messageOf(error)}`;
  }
}

function dropDuplicates(records: GridRecord[], errors: GridFileError[]): GridRecord[] {
  const first = new Map<string, GridRecord>();
  return records.filter((record) => {
    const earlier = first.get(record.code);
    if (earlier === undefined) {
      first.set(record.code, record);
      return true;
    }
    errors.push({
      where: record.where,
      field: 'code',
      message: `Duplicate code "${record.code}" (first at ${earlier.where})`,
    });
    return false;
  });
}

/**
 * Stable topological order: each record comes after its parent when the parent is in the file.
 * Records on a parent_code cycle are reported and left out.
 */
function orderParentsFirst(records: GridRecord[], errors: GridFileError[]): GridRecord[] {
  const byCode = new Map(records.map((record) => [record.code, record]));
  const placed = new Set<string>();
  const ordered: GridRecord[] = [];
  for (const start of records) {
    const path: GridRecord[] = [];
    const onPath = new Set<string>();
    let current: GridRecord | undefined = start;
    while (current !== undefined && !placed.has(current.code) && !onPath.has(current.code)) {
      path.push(current);
      onPath.add(current.code);
      current = byCode.get(current.parentCode);
    }
    if (current !== undefined && onPath.has(current.code)) {
      const cycle = path.slice(path.indexOf(current));
      const description = [...cycle, current].map((record) => record.code).join(' → ');
      for (const member of cycle) {
        placed.add(member.code);
        errors.push({
          where: member.where,
          field: 'parent_code',
          message: `parent_code cycle: ${description}`,
        });
      }
      path.length -= cycle.length;
    }
    for (const record of path.reverse()) {
      placed.add(record.code);
      ordered.push(record);
    }
  }
  return ordered;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
