import { describe, expect, it } from 'vitest';
import {
  addLimit,
  createWorkCalendar,
  elapsedFraction,
  PETITION_LIMITS,
  shanghaiDate,
  shiftForPause,
  startOfShanghaiDay,
  type TimeLimit,
  warningAt,
  workingWarningAt,
} from './workdays.ts';

/** An instant written in Asia/Shanghai wall-clock time, 'YYYY-MM-DDTHH:mm'. */
const sh = (wallClock: string) => new Date(`${wallClock}+08:00`);
const cal = createWorkCalendar();

describe('WorkCalendar.isWorkday', () => {
  it.each([
    ['2026-03-06', true, 'an ordinary Friday'],
    ['2026-03-07', false, 'an ordinary Saturday'],
    ['2025-01-01', false, 'New Year 2025'],
    ['2025-01-26', true, 'Sunday worked for the 2025 Spring Festival'],
    ['2025-02-04', false, 'last day of the 2025 Spring Festival'],
    ['2025-02-08', true, 'Saturday worked for the 2025 Spring Festival'],
    ['2025-09-28', true, 'Sunday worked for National Day 2025'],
    ['2025-10-08', false, 'a Wednesday inside National Day 2025'],
    ['2025-10-11', true, 'Saturday worked for National Day 2025'],
    ['2026-01-02', false, 'a Friday off for New Year 2026'],
    ['2026-01-04', true, 'Sunday worked for New Year 2026'],
    ['2026-02-14', true, 'Saturday worked before the 2026 Spring Festival'],
    ['2026-02-16', false, 'a Monday inside the 2026 Spring Festival'],
    ['2026-02-23', false, 'last day of the 2026 Spring Festival'],
    ['2026-02-28', true, 'Saturday worked after the 2026 Spring Festival'],
    ['2026-05-09', true, 'Saturday worked for Labour Day 2026'],
    ['2026-09-20', true, 'Sunday worked for National Day 2026'],
    ['2026-10-07', false, 'a Wednesday inside National Day 2026'],
    ['2026-10-10', true, 'Saturday worked for National Day 2026'],
    ['1969-12-28', false, 'a Sunday before 1970'],
    ['1969-12-31', true, 'a Wednesday before 1970'],
    ['2027-01-04', true, 'a Monday of a year the package does not know yet'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(cal.isWorkday(date)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-2-3', '20260203', '', '2026-02-03T00:00'])('rejects %j', (date) => {
    expect(() => cal.isWorkday(date)).toThrow(RangeError);
  });
});

describe('createWorkCalendar overrides', () => {
  const overridden = createWorkCalendar({
    holidays: ['2026-03-09', '2027-01-01'],
    workdays: ['2026-03-07', '2026-02-16'],
  });

  it.each([
    ['2026-03-09', false, 'a Monday declared off'],
    ['2026-03-07', true, 'a Saturday declared worked'],
    ['2026-02-16', true, 'a festival day declared worked'],
    ['2027-01-01', false, 'a year the package may not know yet'],
    ['2026-03-10', true, 'untouched days still follow the package'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(overridden.isWorkday(date)).toBe(expected);
  });

  it('refuses bad dates and dates listed both ways', () => {
    expect(() => createWorkCalendar({ holidays: ['2026-13-01'] })).toThrow(RangeError);
    expect(() => createWorkCalendar({ holidays: ['2026-03-09'], workdays: ['2026-03-09'] })).toThrow(
      /both holiday and workday: 2026-03-09/,
    );
  });

  it('moves deadlines', () => {
    const oneWorkday: TimeLimit = { amount: 1, unit: 'workdays' };
    expect(addLimit(sh('2026-03-06T10:00'), oneWorkday, overridden)).toEqual(sh('2026-03-08T00:00'));
    expect(addLimit(sh('2026-03-08T10:00'), oneWorkday, overridden)).toEqual(sh('2026-03-11T00:00'));
  });
});

describe('shanghaiDate / startOfShanghaiDay', () => {
  it.each([
    ['2026-03-06T15:59:59.999Z', '2026-03-06'],
    ['2026-03-06T16:00:00.000Z', '2026-03-07'],
    ['2025-12-31T16:00:00.000Z', '2026-01-01'],
  ])('%s is %s in Shanghai', (iso, date) => {
    expect(shanghaiDate(new Date(iso))).toBe(date);
  });

  it('starts a day at 00:00 +08:00', () => {
    expect(startOfShanghaiDay('2026-02-15').toISOString()).toBe('2026-02-14T16:00:00.000Z');
  });
});

describe('addLimit', () => {
  it.each<[string, string, TimeLimit, string]>([
    [
      'a Friday request, 1 workday: end of Monday',
      '2026-03-06T10:00',
      { amount: 1, unit: 'workdays' },
      '2026-03-10T00:00',
    ],
    [
      'late Friday evening is still Friday',
      '2026-03-06T23:59',
      { amount: 1, unit: 'workdays' },
      '2026-03-10T00:00',
    ],
    [
      'reported on a Saturday, 1 workday',
      '2026-03-07T09:00',
      { amount: 1, unit: 'workdays' },
      '2026-03-10T00:00',
    ],
    [
      '0 workdays: end of the start day',
      '2026-03-06T10:00',
      { amount: 0, unit: 'workdays' },
      '2026-03-07T00:00',
    ],
    ['5 workdays: a working week', '2026-03-02T08:00', { amount: 5, unit: 'workdays' }, '2026-03-10T00:00'],
    [
      '2025 National Day: the holiday is skipped',
      '2025-09-30T10:00',
      { amount: 1, unit: 'workdays' },
      '2025-10-10T00:00',
    ],
    [
      '2025 National Day: the worked Saturday counts',
      '2025-09-30T10:00',
      { amount: 3, unit: 'workdays' },
      '2025-10-12T00:00',
    ],
    [
      '2025 National Day: the worked Sunday before it',
      '2025-09-26T10:00',
      { amount: 1, unit: 'workdays' },
      '2025-09-29T00:00',
    ],
    [
      '2026 New Year across the year end',
      '2025-12-31T10:00',
      { amount: 1, unit: 'workdays' },
      '2026-01-05T00:00',
    ],
    [
      '2026 Spring Festival: the worked Saturday before it',
      '2026-02-13T10:00',
      { amount: 1, unit: 'workdays' },
      '2026-02-15T00:00',
    ],
    [
      '2026 Spring Festival: over the holiday',
      '2026-02-13T10:00',
      { amount: 2, unit: 'workdays' },
      '2026-02-25T00:00',
    ],
    [
      '2026 Spring Festival: reported during it',
      '2026-02-17T10:00',
      { amount: 3, unit: 'workdays' },
      '2026-02-27T00:00',
    ],
    [
      '2026 Spring Festival: the worked Saturday after it',
      '2026-02-26T10:00',
      { amount: 2, unit: 'workdays' },
      '2026-03-01T00:00',
    ],
    ['2026 National Day', '2026-09-30T10:00', { amount: 3, unit: 'workdays' }, '2026-10-11T00:00'],
    ['1 day: end of the next day', '2026-03-06T10:00', { amount: 1, unit: 'days' }, '2026-03-08T00:00'],
    ['days run through holidays', '2026-02-13T10:00', { amount: 15, unit: 'days' }, '2026-03-01T00:00'],
    [
      'just after midnight belongs to the new day',
      '2026-03-07T00:30',
      { amount: 1, unit: 'days' },
      '2026-03-09T00:00',
    ],
    ['0 days: end of the start day', '2026-03-07T00:30', { amount: 0, unit: 'days' }, '2026-03-08T00:00'],
    ['petition handling: 60 days', '2026-01-10T15:00', PETITION_LIMITS.handling, '2026-03-12T00:00'],
    [
      'hours are exact, holidays or not',
      '2026-02-16T10:15',
      { amount: 2, unit: 'hours' },
      '2026-02-16T12:15',
    ],
    ['minutes are exact', '2026-03-06T23:50', { amount: 30, unit: 'minutes' }, '2026-03-07T00:20'],
    ['fractional hours', '2026-03-06T10:00', { amount: 1.5, unit: 'hours' }, '2026-03-06T11:30'],
  ])('%s', (_, start, limit, due) => {
    expect(addLimit(sh(start), limit, cal)).toEqual(sh(due));
  });

  it.each<TimeLimit>([
    { amount: -1, unit: 'hours' },
    { amount: Number.NaN, unit: 'minutes' },
    { amount: Number.POSITIVE_INFINITY, unit: 'days' },
    { amount: 1.5, unit: 'days' },
    { amount: 0.5, unit: 'workdays' },
  ])('refuses %j', (limit) => {
    expect(() => addLimit(sh('2026-03-06T10:00'), limit, cal)).toThrow(RangeError);
  });

  it('stops on a calendar without working days', () => {
    const never = { isWorkday: () => false };
    expect(() => addLimit(sh('2026-03-06T10:00'), { amount: 1, unit: 'workdays' }, never)).toThrow(
      /no working day/,
    );
  });
});

describe('PETITION_LIMITS', () => {
  it('holds the statutory natural-day limits', () => {
    expect(PETITION_LIMITS).toEqual({
      acceptance: { amount: 15, unit: 'days' },
      handling: { amount: 60, unit: 'days' },
      extensionMax: { amount: 30, unit: 'days' },
      review: { amount: 30, unit: 'days' },
    });
  });
});

describe('warningAt', () => {
  it.each([
    ['2026-03-02T09:00', '2026-03-03T09:00', '2026-03-03T04:12'],
    ['2026-03-06T10:00', '2026-03-10T00:00', '2026-03-09T06:48'],
    ['2026-03-06T10:00', '2026-03-06T10:00', '2026-03-06T10:00'],
  ])('from %s to %s → %s', (start, due, warning) => {
    expect(warningAt(sh(start), sh(due))).toEqual(sh(warning));
  });
});

describe('elapsedFraction', () => {
  const start = sh('2026-03-02T08:00');
  const due = sh('2026-03-02T18:00');
  const hour = 3_600_000;

  it.each([
    ['at the start', '2026-03-02T08:00', 0, 0],
    ['before the start', '2026-03-02T07:00', 0, 0],
    ['half way', '2026-03-02T13:00', 0, 0.5],
    ['half way, 1 h paused', '2026-03-02T13:00', hour, 0.4],
    ['at 80 %', '2026-03-02T16:00', 0, 0.8],
    ['at the deadline', '2026-03-02T18:00', 0, 1],
    ['overdue', '2026-03-02T23:00', 0, 1.5],
    ['paused longer than elapsed', '2026-03-02T09:00', 2 * hour, 0],
  ])('%s', (_, now, pausedMs, fraction) => {
    expect(elapsedFraction(start, due, sh(now), pausedMs)).toBeCloseTo(fraction, 10);
  });

  it('treats an empty span as used up', () => {
    expect(elapsedFraction(start, start, start)).toBe(1);
  });
});

describe('shiftForPause', () => {
  it.each<[string, string, string, string, TimeLimit['unit'], string]>([
    [
      'hours move by the pause',
      '2026-03-02T18:00',
      '2026-03-02T10:00',
      '2026-03-02T11:30',
      'hours',
      '2026-03-02T19:30',
    ],
    [
      'days move by the pause',
      '2026-03-08T00:00',
      '2026-03-06T10:00',
      '2026-03-07T12:00',
      'days',
      '2026-03-09T02:00',
    ],
    [
      '4 working hours give back a whole workday',
      '2026-03-06T00:00',
      '2026-03-03T10:00',
      '2026-03-03T14:00',
      'workdays',
      '2026-03-07T00:00',
    ],
    [
      'a workday due on Friday moves over the weekend',
      '2026-03-07T00:00',
      '2026-03-03T10:00',
      '2026-03-03T14:00',
      'workdays',
      '2026-03-10T00:00',
    ],
    [
      'the time of day of the due date is kept',
      '2026-03-05T15:00',
      '2026-03-03T10:00',
      '2026-03-03T11:00',
      'workdays',
      '2026-03-06T15:00',
    ],
    [
      'a weekend-only pause still moves by its duration',
      '2026-03-11T00:00',
      '2026-03-07T10:00',
      '2026-03-08T10:00',
      'workdays',
      '2026-03-12T00:00',
    ],
    [
      'over a weekend: 18 working hours are 1 workday, less than the 66 h paused',
      '2026-03-11T00:00',
      '2026-03-06T16:00',
      '2026-03-09T10:00',
      'workdays',
      '2026-03-13T18:00',
    ],
    [
      'two full workdays, the due date across a weekend',
      '2026-03-13T00:00',
      '2026-03-10T00:00',
      '2026-03-12T00:00',
      'workdays',
      '2026-03-17T00:00',
    ],
    [
      'a pause over the 2026 Spring Festival moves by its duration',
      '2026-02-27T00:00',
      '2026-02-12T09:00',
      '2026-02-25T09:00',
      'workdays',
      '2026-03-12T00:00',
    ],
    [
      'no pause, no move',
      '2026-03-06T00:00',
      '2026-03-03T10:00',
      '2026-03-03T10:00',
      'workdays',
      '2026-03-06T00:00',
    ],
    [
      'a backwards pause is no pause',
      '2026-03-06T00:00',
      '2026-03-03T10:00',
      '2026-03-03T09:00',
      'days',
      '2026-03-06T00:00',
    ],
  ])('%s', (_, due, from, to, unit, moved) => {
    expect(shiftForPause(sh(due), sh(from), sh(to), unit, cal)).toEqual(sh(moved));
  });

  it('counts the worked Saturday of the Spring Festival as a workday', () => {
    // Two hours paused on Saturday 2026-02-14 (worked): one workday back, from Thursday 2/26 to Friday 2/27.
    const moved = shiftForPause(
      sh('2026-02-27T00:00'),
      sh('2026-02-14T10:00'),
      sh('2026-02-14T12:00'),
      'workdays',
      cal,
    );
    expect(moved).toEqual(sh('2026-02-28T00:00'));
  });
});

describe('workingWarningAt', () => {
  it.each<[string, string, TimeLimit, string]>([
    [
      'Friday before Qingming 2026: the holiday does not count',
      '2026-04-03T10:00',
      { amount: 1, unit: 'workdays' },
      // 14 h on Friday + 24 h on Tuesday = 38 h of working time; 80 % = 30.4 h → Tuesday 16:24.
      '2026-04-07T16:24',
    ],
    [
      'an ordinary week: 5 workdays from Monday 08:00',
      '2026-03-02T08:00',
      { amount: 5, unit: 'workdays' },
      // Mon 16 h + Tue–Fri and the next Mon 5 × 24 h = 136 h; 80 % = 108.8 h → Friday 20:48.
      '2026-03-06T20:48',
    ],
    [
      'reported on a Saturday: only Monday counts',
      '2026-03-07T09:00',
      { amount: 1, unit: 'workdays' },
      '2026-03-09T19:12',
    ],
  ])('%s', (_, start, limit, expected) => {
    const due = addLimit(sh(start), limit, cal);
    expect(workingWarningAt(sh(start), due, cal)).toEqual(sh(expected));
  });

  it('equals the natural 80 % when every day is a working day', () => {
    const start = sh('2026-03-03T10:00');
    const due = sh('2026-03-05T00:00');
    expect(workingWarningAt(start, due, cal)).toEqual(warningAt(start, due));
  });

  it('falls back to the natural 80 % when the span holds no working time', () => {
    const start = sh('2026-04-04T10:00');
    const due = sh('2026-04-06T00:00');
    expect(workingWarningAt(start, due, cal)).toEqual(warningAt(start, due));
  });
});
