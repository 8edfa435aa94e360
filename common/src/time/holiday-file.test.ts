import { describe, expect, it } from 'vitest';
import { isCalendarDate, mergeHolidayYears, overrideYears, parseHolidayFile } from './holiday-file.ts';

describe('holiday override files', () => {
  it('reads both layouts: arrays of dates, or objects keyed by date (chinese-days)', () => {
    expect(
      parseHolidayFile({ holidays: ['2027-01-01'], workdays: { '2027-02-07': 'Spring Festival' } }),
    ).toEqual({
      ok: true,
      value: { holidays: ['2027-01-01'], workdays: ['2027-02-07'] },
    });
    expect(parseHolidayFile({ workdays: [] })).toEqual({ ok: true, value: { holidays: [], workdays: [] } });
  });

  it('refuses what is not such a file, naming the list at fault', () => {
    expect(parseHolidayFile(null)).toMatchObject({ ok: false });
    expect(parseHolidayFile([])).toMatchObject({ ok: false });
    expect(parseHolidayFile({ other: 1 })).toMatchObject({ ok: false });
    expect(parseHolidayFile({ holidays: ['2027-02-28', '2027-02-30'] })).toEqual({
      ok: false,
      error: 'holidays.1: is not a date (YYYY-MM-DD): "2027-02-30"',
    });
    expect(parseHolidayFile({ holidays: 'soon' })).toEqual({
      ok: false,
      error: 'holidays must be a list of dates (YYYY-MM-DD)',
    });
    expect(parseHolidayFile({ holidays: [], workdays: [20270101] })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^workdays/),
    });
  });

  it('checks real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2027-1-1')).toBe(false);
  });

  it('replaces only the years a file names, or everything with replace', () => {
    const current = { holidays: ['2026-10-08', '2027-05-03'], workdays: ['2026-10-10', '2027-04-27'] };
    const file = { holidays: ['2027-05-04', '2027-05-03'], workdays: [] };
    expect(overrideYears(file)).toEqual(['2027']);
    expect(mergeHolidayYears(current, file)).toEqual({
      next: { holidays: ['2026-10-08', '2027-05-03', '2027-05-04'], workdays: ['2026-10-10'] },
      years: ['2027'],
    });
    expect(mergeHolidayYears(current, file, true).next).toBe(file);
  });
});
