import type { HolidayOverrides } from '../schemas/settings.ts';

/*
 * The yearly override file of China's holiday schedule (docs/adr/0004), read the same way by
 * `gridgov holidays import` and by the 系统设置 page: `{ "holidays": [...], "workdays": [...] }`, each list
 * an array of 'YYYY-MM-DD' or an object keyed by them (the `chinese-days` data layout).
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date 'YYYY-MM-DD' (not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The list's dates, or the error naming the list or its first bad entry (`holidays.1: …`). */
function datesOf(value: unknown, name: string): string[] | string {
  if (value === undefined) return [];
  const dates = Array.isArray(value)
    ? value
    : value !== null && typeof value === 'object'
      ? Object.keys(value)
      : null;
  if (!dates) return `${name} must be a list of dates (YYYY-MM-DD)`;
  const bad = dates.findIndex((d) => typeof d !== 'string' || !isCalendarDate(d));
  if (bad >= 0) return `${name}.${bad}: is not a date (YYYY-MM-DD): ${JSON.stringify(dates[bad])}`;
  return dates as string[];
}

export type HolidayFileResult = { ok: true; value: HolidayOverrides } | { ok: false; error: string };

/**
 * Reads the parsed JSON of an override file. Only the shape and the dates are checked here; whether a date
 * is both a holiday and a working day is the server's check (`checkHolidayOverrides`).
 */
export function parseHolidayFile(data: unknown): HolidayFileResult {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, error: 'expected { "holidays": [...], "workdays": [...] }' };
  }
  const { holidays, workdays } = data as Record<string, unknown>;
  if (holidays === undefined && workdays === undefined) {
    return { ok: false, error: 'expected { "holidays": [...], "workdays": [...] }' };
  }
  const h = datesOf(holidays, 'holidays');
  if (typeof h === 'string') return { ok: false, error: h };
  const w = datesOf(workdays, 'workdays');
  if (typeof w === 'string') return { ok: false, error: w };
  return { ok: true, value: { holidays: h, workdays: w } };
}

const sortedUnique = (values: readonly string[]) => [...new Set(values)].sort();

/** The years an override file names (any date in either list), sorted. */
export const overrideYears = (o: HolidayOverrides): string[] =>
  sortedUnique([...o.holidays, ...o.workdays].map((d) => d.slice(0, 4)));

/**
 * Merges an imported file into the current overrides: the years the file names replace those years'
 * overrides, other years are kept (with `replace`, the file replaces everything).
 */
export function mergeHolidayYears(
  current: HolidayOverrides,
  file: HolidayOverrides,
  replace = false,
): { next: HolidayOverrides; years: string[] } {
  const years = overrideYears(file);
  if (replace) return { next: file, years };
  const keep = (dates: readonly string[]) => dates.filter((d) => !years.includes(d.slice(0, 4)));
  return {
    next: {
      holidays: sortedUnique([...keep(current.holidays), ...file.holidays]),
      workdays: sortedUnique([...keep(current.workdays), ...file.workdays]),
    },
    years,
  };
}
