import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  adminAccounts,
  createAccounts,
  createDepartments,
  generatePassword,
} from '../../bootstrap/bootstrap.ts';
import type { Ctx } from '../../lib/context.ts';
import { importGridFile, initRegion } from './grids.import.ts';

export type OpenCli = () => Promise<{ ctx: Ctx; close: () => Promise<void> }>;

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 50)
    throw new Error(`expected a whole number from 0 to 50, got ${value}`);
  return n;
}

/** `gridgov init --region <code>` and `gridgov grids import <file>`. */
export function registerGridCommands(program: Command, open: OpenCli): void {
  program
    .command('init')
    .description(
      'root an empty deployment at a city or county (official division code) with its towns and villages',
    )
    .requiredOption('--region <code>', '4-digit city or 6-digit county code, e.g. 330110')
    .option('--grids-per-village <n>', 'generated grids per village (illustrative boundaries)', count, 2)
    .option('--micro-grids <n>', 'generated micro-grids per grid', count, 0)
    .action(async (opts: { region: string; gridsPerVillage: number; microGrids: number }) => {
      const { ctx, close } = await open();
      try {
        const result = await initRegion(ctx, {
          code: opts.region,
          gridsPerVillage: opts.gridsPerVillage,
          microGridsPerGrid: opts.microGrids,
        });
        const password = ctx.config.adminPassword ?? generatePassword();
        await ctx.db.transaction().execute(async (trx) => {
          await createDepartments(trx);
          await createAccounts(trx, ctx, adminAccounts(result.rootId), password);
        });
        console.log(
          `Initialised ${result.label}: ${result.nodes} nodes (grid boundaries are illustrative until imported).`,
        );
        console.log(
          'Administrators: sysadmin, secadmin, auditadmin — each must change the password and enrol TOTP at first sign-in.',
        );
        console.log(
          `Initial password${ctx.config.adminPassword ? ' (from GRIDGOV_ADMIN_PASSWORD)' : ' (shown once)'}: ${password}`,
        );
      } finally {
        await close();
      }
    });

  program
    .command('grids')
    .description('maintain the grid tree')
    .command('import <file>')
    .description(
      'import grids and micro-grids from GeoJSON (.geojson/.json) or CSV; nothing is imported unless every row is valid',
    )
    .action(async (file: string) => {
      const { ctx, close } = await open();
      try {
        const result = await importGridFile(ctx, file, readFileSync(file, 'utf8'));
        if (result.errors.length > 0) {
          for (const e of result.errors) console.error(`${e.where}: ${e.field}: ${e.message}`);
          console.error(`Nothing imported: ${result.errors.length} problem(s).`);
          process.exitCode = 1;
          return;
        }
        console.log(`Imported ${result.imported} node(s).`);
      } finally {
        await close();
      }
    });
}
