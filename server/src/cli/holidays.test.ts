import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestEnv, type TestEnv } from '../test/harness.ts';
import { importHolidays, readHolidayFile, registerHolidayCommands } from './holidays.ts';
import type { OpenCli } from './open.ts';

let env: TestEnv;
let dir: string;
beforeAll(async () => {
  env = await createTestEnv();
  dir = mkdtempSync(join(tmpdir(), 'gridgov-holidays-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await env?.close();
});

let files = 0;
function file(content: unknown): string {
  const path = join(dir, `overrides-${files++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** The `gridgov` program with the holiday commands, on the test database. */
async function run(...args: string[]): Promise<string> {
  const open: OpenCli = async () => ({
    ctx: env.ctx,
    handle: env.handle,
    config: env.config,
    close: async () => undefined,
  });
  const program = new Command('gridgov').exitOverride();
  registerHolidayCommands(program, open);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await program.parseAsync(['node', 'gridgov', ...args]);
    return log.mock.calls.map((c) => c.join(' ')).join('\n');
  } finally {
    log.mockRestore();
  }
}

describe('gridgov holidays', () => {
  it('refuses a file that is not JSON, not the format, or holds a bad date, naming the entry', () => {
    expect(() => readHolidayFile(file('{ holidays'))).toThrow(/not a JSON file/);
    expect(() => readHolidayFile(file(['2027-01-01']))).toThrow(/expected \{ "holidays"/);
    expect(() => readHolidayFile(file({ holidays: '2027-01-01' }))).toThrow(/holidays must be a list/);
    expect(() => readHolidayFile(file({ holidays: ['2027-01-01', '2027-02-29'] }))).toThrow(
      /holidays\.1: is not a date/,
    );
    expect(() => readHolidayFile(file({ holidays: ['2027-02-06'], workdays: ['2027-02-06'] }))).toThrow(
      /workdays\.0: 2027-02-06 is also listed as a holiday/,
    );
    expect(() => readHolidayFile(join(dir, 'missing.json'))).toThrow(/not a JSON file/);
  });

  it('import replaces the years the file names and keeps the others; --replace replaces all; show prints them', async () => {
    const y2026 = file({ holidays: ['2026-03-03'], workdays: [] });
    expect(await run('holidays', 'import', y2026)).toContain('1 holidays, 0 workdays (years replaced: 2026)');

    // The chinese-days data layout (dates as keys) is read too.
    const y2027 = file({
      holidays: { '2027-02-10': 'Spring Festival', '2027-02-11': 'Spring Festival' },
      workdays: { '2027-02-07': 'Spring Festival' },
    });
    const { overrides, years } = await importHolidays(env.ctx, y2027);
    expect(years).toEqual(['2027']);
    expect(overrides).toEqual({
      holidays: ['2026-03-03', '2027-02-10', '2027-02-11'],
      workdays: ['2027-02-07'],
    });
    // Importing a corrected 2027 file replaces 2027 only.
    await importHolidays(env.ctx, file({ holidays: ['2027-02-12'], workdays: [] }));
    expect(JSON.parse(await run('holidays', 'show'))).toEqual({
      holidays: ['2026-03-03', '2027-02-12'],
      workdays: [],
    });

    expect(await run('holidays', 'import', file({ holidays: ['2028-01-03'] }), '--replace')).toContain(
      'all years replaced',
    );
    expect(JSON.parse(await run('holidays', 'show'))).toEqual({ holidays: ['2028-01-03'], workdays: [] });

    const audits = await env.handle.db
      .selectFrom('audit')
      .select(['actor_id', 'actor_name'])
      .where('action', '=', 'settings.holidays.update')
      .execute();
    expect(audits).toHaveLength(4);
    expect(audits.every((a) => a.actor_id === null && a.actor_name === 'system')).toBe(true);
  });
});
