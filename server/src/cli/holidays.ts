import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HolidayOverrides } from '@gridgov/common/schemas/settings';
import { mergeHolidayYears, parseHolidayFile } from '@gridgov/common/time/holiday-file';
import type { Command } from 'commander';
import { AppError } from '../lib/app-error.ts';
import type { Ctx } from '../lib/context.ts';
import {
  checkHolidayOverrides,
  getHolidayOverrides,
  updateHolidayOverrides,
} from '../modules/settings/settings.service.ts';
import type { OpenCli } from './open.ts';

/*
 * The yearly override file of China's holiday schedule (docs/adr/0004): when the State Council publishes
 * next year's schedule, the operator imports it without waiting for a package release.
 */

/** Reads and checks an override file `{ "holidays": [...], "workdays": [...] }`. */
export function readHolidayFile(file: string): HolidayOverrides {
  const path = resolve(file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not a JSON file (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = parseHolidayFile(data);
  if (!parsed.ok) throw new Error(`${path}: ${parsed.error}`);
  const overrides = parsed.value;
  try {
    checkHolidayOverrides(overrides, 'file');
  } catch (error) {
    if (!(error instanceof AppError) || !Array.isArray(error.details)) throw error;
    const lines = (error.details as { field: string; message: string }[]).map(
      (d) => `\n  ${d.field.replace(/^file\./, '')}: ${d.message}`,
    );
    throw new Error(`${path}:${lines.join('')}`);
  }
  return overrides;
}

/**
 * Imports an override file: the years it names replace those years' overrides, other years are kept
 * (with `replace`, the file replaces everything). Audited as the system (`settings.holidays.update`).
 */
export async function importHolidays(
  ctx: Ctx,
  file: string,
  opts: { replace?: boolean } = {},
): Promise<{ overrides: HolidayOverrides; years: string[] }> {
  const incoming = readHolidayFile(file);
  const { next, years } = mergeHolidayYears(await getHolidayOverrides(ctx.db), incoming, opts.replace);
  return { overrides: await updateHolidayOverrides(ctx, next), years };
}

/** `gridgov holidays import <file.json> [--replace]` and `gridgov holidays show`. */
export function registerHolidayCommands(program: Command, open: OpenCli): void {
  const holidays = program
    .command('holidays')
    .description('overrides of the official holiday schedule for working-day time limits (docs/adr/0004)');

  holidays
    .command('import <file>')
    .description(
      'import a JSON file { "holidays": ["2027-01-01", …], "workdays": […] }; the years it names replace ' +
        'those years’ overrides',
    )
    .option('--replace', 'replace all overrides with the file, whatever the years')
    .action(async (file: string, opts: { replace?: boolean }) => {
      readHolidayFile(file);
      const { ctx, close } = await open({ mustExist: true });
      try {
        const { overrides, years } = await importHolidays(ctx, file, opts);
        const scope = opts.replace ? 'all years replaced' : `years replaced: ${years.join(', ') || 'none'}`;
        console.log(
          `Holiday overrides: ${overrides.holidays.length} holidays, ${overrides.workdays.length} workdays (${scope}).`,
        );
        console.log('A running server applies them within a minute, to time limits planned from then on.');
      } finally {
        await close();
      }
    });

  holidays
    .command('show')
    .description('print the overrides as JSON (the format that import reads)')
    .action(async () => {
      const { ctx, close } = await open({ mustExist: true });
      try {
        console.log(JSON.stringify(await getHolidayOverrides(ctx.db), null, 2));
      } finally {
        await close();
      }
    });
}
