/**
 * Working days and deadlines in China, in Asia/Shanghai (UTC+8, no DST), with plain millisecond
 * arithmetic. Official holidays and adjusted working weekends (调休) come from `chinese-days`; a yearly
 * override file wins over it, and covers years the package does not know yet (for those it falls back
 * to Monday–Friday).
 *
 * Day-counted limits follow administrative practice: the start day does not count, and the deadline is
 * 24:00 of the last day, i.e. 00:00 of the following day, exclusive (overdue when `now >= due`).
 */
// The package's data, not its functions: those build and read their tables with host-local date getters
// and answer one day off on a host west of UTC.
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;
/** Longer than any run of non-working days; a calendar without workdays would otherwise loop forever. */
const MAX_DAYS_OFF = 366;

export type TimeUnit = 'minutes' | 'hours' | 'days' | 'workdays';

export interface TimeLimit {
  amount: number;
  unit: TimeUnit;
}

export interface WorkCalendar {
  /** Whether a 'YYYY-MM-DD' date is a working day. */
  isWorkday(date: string): boolean;
}

export interface CalendarOverrides {
  /** Days off that the package does not know, e.g. a newly announced holiday. */
  holidays?: readonly string[];
  /** Working days that the package does not know, e.g. an adjusted working weekend. */
  workdays?: readonly string[];
}

/** The fraction of a limit's span after which a matter is flagged as nearly due. */
export const WARNING_FRACTION = 0.8;

/**
 * Statutory limits of letters and visits (信访) as we read the 信访工作条例 (2022): tell the petitioner
 * within 15 days of receipt whether the matter is accepted; handle it within 60 days of acceptance,
 * extendable once by at most 30 days; answer a review (复查) or re-review (复核) within 30 days of the
 * request. The 条例 says 日, never 工作日, so these are natural days, counted the way the 民法典 (第二百零一条)
 * counts days: the start day does not count. We do not apply 第二百零三条 (a period whose last day is a
 * holiday runs to the day after the holiday); a region whose rules count working days configures
 * `workdays` instead. The 条例's own article numbers are left out: check them against the published text.
 */
export const PETITION_LIMITS = {
  acceptance: { amount: 15, unit: 'days' },
  handling: { amount: 60, unit: 'days' },
  extensionMax: { amount: 30, unit: 'days' },
  review: { amount: 30, unit: 'days' },
} as const satisfies Record<string, TimeLimit>;

const OFFICIAL: {
  readonly holidays: Readonly<Record<string, string>>;
  readonly workdays: Readonly<Record<string, string>>;
} = chineseDays;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; throws RangeError on anything else. */
function dayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`invalid date ${JSON.stringify(date)}, expected YYYY-MM-DD`);
  }
  return ms / DAY_MS;
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function shanghaiDay(instant: Date | number): number {
  return Math.floor((Number(instant) + SHANGHAI_OFFSET_MS) / DAY_MS);
}

function startOfDayMs(day: number): number {
  return day * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** The Asia/Shanghai calendar date ('YYYY-MM-DD') of an instant. */
export function shanghaiDate(instant: Date): string {
  return dateOfDay(shanghaiDay(instant));
}

/** 00:00 Asia/Shanghai of a 'YYYY-MM-DD' date. */
export function startOfShanghaiDay(date: string): Date {
  return new Date(startOfDayMs(dayNumber(date)));
}

/**
 * A working-day calendar: the overrides first, then the package's official holidays and 调休 days.
 * Throws RangeError when an override is not a real 'YYYY-MM-DD' date or is listed both ways.
 */
export function createWorkCalendar(overrides: CalendarOverrides = {}): WorkCalendar {
  const holidays = new Set(overrides.holidays ?? []);
  const workdays = new Set(overrides.workdays ?? []);
  for (const date of [...holidays, ...workdays]) dayNumber(date);
  const both = [...holidays].filter((d) => workdays.has(d));
  if (both.length > 0) {
    throw new RangeError(`dates overridden as both holiday and workday: ${both.join(', ')}`);
  }

  return {
    isWorkday(date) {
      const day = dayNumber(date);
      if (holidays.has(date)) return false;
      if (workdays.has(date)) return true;
      if (Object.hasOwn(OFFICIAL.workdays, date)) return true;
      if (Object.hasOwn(OFFICIAL.holidays, date)) return false;
      // 1970-01-01 was a Thursday; weekday is 0 on Sundays, 6 on Saturdays.
      const weekday = (((day + 4) % 7) + 7) % 7;
      return weekday !== 0 && weekday !== 6;
    },
  };
}

function assertAmount(limit: TimeLimit): void {
  const wholeDays = limit.unit === 'days' || limit.unit === 'workdays';
  if (!Number.isFinite(limit.amount) || limit.amount < 0 || (wholeDays && !Number.isInteger(limit.amount))) {
    throw new RangeError(`invalid time limit ${limit.amount} ${limit.unit}`);
  }
}

/** The day number of the `n`th working day after `day` (`day` itself does not count). */
function nthWorkdayAfter(day: number, n: number, cal: WorkCalendar): number {
  let current = day;
  let left = n;
  let off = 0;
  while (left > 0) {
    current += 1;
    if (cal.isWorkday(dateOfDay(current))) {
      left -= 1;
      off = 0;
    } else if (++off > MAX_DAYS_OFF) {
      throw new RangeError(`no working day within ${MAX_DAYS_OFF} days after ${dateOfDay(current - off)}`);
    }
  }
  return current;
}

/**
 * The deadline of a limit that starts at `start`. Minutes and hours are exact; `days` and `workdays` end
 * at 24:00 (Asia/Shanghai) of the Nth natural or working day after the start day, so a Friday request
 * with 1 workday is due when Monday ends. Throws RangeError on a negative, non-finite or (for day units)
 * fractional amount.
 */
export function addLimit(start: Date, limit: TimeLimit, cal: WorkCalendar): Date {
  assertAmount(limit);
  const t = start.getTime();
  switch (limit.unit) {
    case 'minutes':
      return new Date(t + limit.amount * MINUTE_MS);
    case 'hours':
      return new Date(t + limit.amount * HOUR_MS);
    case 'days':
      return new Date(startOfDayMs(shanghaiDay(t) + limit.amount + 1));
    case 'workdays':
      return new Date(startOfDayMs(nthWorkdayAfter(shanghaiDay(t), limit.amount, cal) + 1));
  }
}

/**
 * How much of the span from `start` to `due` has been used at `now`, not counting `pausedMs`: 0 at the
 * start, 1 at the deadline, above 1 when overdue. Pass the original due date with the time paused, or a
 * due date already moved by {@link shiftForPause} with 0, never both.
 */
export function elapsedFraction(start: Date, due: Date, now: Date, pausedMs = 0): number {
  const span = due.getTime() - start.getTime();
  const used = now.getTime() - start.getTime() - pausedMs;
  if (span <= 0) return 1;
  return Math.max(0, used / span);
}

/** The instant at {@link WARNING_FRACTION} (80 %) of the span from `start` to `due`. */
export function warningAt(start: Date, due: Date): Date {
  const t = start.getTime();
  return new Date(t + Math.round((due.getTime() - t) * WARNING_FRACTION));
}

/**
 * The instant at {@link WARNING_FRACTION} (80 %) of the *working* time from `start` to `due`: time on
 * non-working days does not count, so a limit in working days is never flagged as nearly due during a
 * holiday. Falls back to {@link warningAt} when the span holds no working time at all.
 */
export function workingWarningAt(start: Date, due: Date, cal: WorkCalendar): Date {
  const from = start.getTime();
  const to = due.getTime();
  const total = workingMsBetween(from, to, cal);
  if (total <= 0) return warningAt(start, due);
  let left = Math.round(total * WARNING_FRACTION);
  for (let day = shanghaiDay(from); startOfDayMs(day) < to; day += 1) {
    if (!cal.isWorkday(dateOfDay(day))) continue;
    const segStart = Math.max(from, startOfDayMs(day));
    const segEnd = Math.min(to, startOfDayMs(day + 1));
    if (left <= segEnd - segStart) return new Date(segStart + left);
    left -= segEnd - segStart;
  }
  return due;
}

/** Milliseconds of [from, to) that fall on working days (Asia/Shanghai). */
function workingMsBetween(from: number, to: number, cal: WorkCalendar): number {
  let total = 0;
  for (let day = shanghaiDay(from); startOfDayMs(day) < to; day += 1) {
    if (!cal.isWorkday(dateOfDay(day))) continue;
    total += Math.min(to, startOfDayMs(day + 1)) - Math.max(from, startOfDayMs(day));
  }
  return total;
}

/**
 * Where a due date moves after a pause from `pausedFrom` to `resumedAt`. Natural units move by the
 * paused duration. Working days move by the number of working days paused — the working time inside the
 * pause, rounded up to whole days, so any pause on a working day gives back at least that day — keeping
 * the due date's time of day, and never by less than the paused duration.
 */
export function shiftForPause(
  due: Date,
  pausedFrom: Date,
  resumedAt: Date,
  unit: TimeUnit,
  cal: WorkCalendar,
): Date {
  const from = pausedFrom.getTime();
  const to = resumedAt.getTime();
  const paused = Math.max(0, to - from);
  const natural = due.getTime() + paused;
  if (unit !== 'workdays' || paused === 0) return new Date(natural);

  const workdaysPaused = Math.ceil(workingMsBetween(from, to, cal) / DAY_MS);
  // The last day the due date covers: for a due date at 00:00, the day before.
  const lastDay = shanghaiDay(due.getTime() - 1);
  const movedDays = nthWorkdayAfter(lastDay, workdaysPaused, cal) - lastDay;
  return new Date(Math.max(natural, due.getTime() + movedDays * DAY_MS));
}
