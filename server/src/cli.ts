import { createReadStream, createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';
import { Command } from 'commander';
import { registerAuditCommands } from './cli/audit.ts';
import { registerHolidayCommands } from './cli/holidays.ts';
import { open } from './cli/open.ts';
import { registerUserCommands } from './cli/users.ts';
import { AppError } from './lib/app-error.ts';
import { restartAnchors } from './lib/audit-anchors.ts';
import { appliedMigrations } from './modules/backup/backup.repository.ts';
import { backupDatabase, restoreDatabase } from './modules/backup/backup.service.ts';
import { registerGridCommands } from './modules/grids/grids.cli.ts';

export type { CliSession, OpenCli } from './cli/open.ts';
export { open } from './cli/open.ts';

const SECRET_NOTE =
  'TOTP secrets in the data are sealed with the deployment secret: run the restored deployment with the same ' +
  'GRIDGOV_SECRET, or copy secret.key from the old DATA_DIR into the new one.';

const ANCHOR_NOTE =
  'Other server nodes keep anchors of the old chain in their own DATA_DIR: run `gridgov audit retire-anchors` ' +
  'on each of them before pointing it at this database.';

/** The `gridgov` command. Each subcommand opens the database itself and closes it when done. */
export function buildProgram(): Command {
  const program = new Command('gridgov')
    .description('gridgov 网格治理平台 — operator commands')
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nDatabase: DATABASE_URL=postgres://… for PostgreSQL, else PGlite under DATA_DIR/pg (default ./data).',
    );

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const { handle, close } = await open();
      try {
        console.log(`Schema up to date: ${(await appliedMigrations(handle.db)).length} migrations applied.`);
      } finally {
        await close();
      }
    });

  registerGridCommands(program, open);
  registerUserCommands(program, open);
  registerHolidayCommands(program, open);
  registerAuditCommands(program, open);

  program
    .command('backup <file>')
    .description('write a logical backup of all data as JSON Lines (.gz: compressed; -: standard output)')
    .option('--force', 'overwrite an existing file')
    .action(async (file: string, opts: { force?: boolean }) => {
      const target = file === '-' ? null : resolve(file);
      if (target && existsSync(target) && !opts.force)
        throw new Error(`${target} exists; use --force to overwrite`);
      const { ctx, config, close } = await open({ mustExist: true });
      const partial = target ? `${target}.partial` : null;
      try {
        const sink = partial ? createWriteStream(partial, { mode: 0o600 }) : process.stdout;
        const gzip = target?.endsWith('.gz') ? createGzip() : null;
        if (gzip) {
          sink.on('error', (e) => gzip.destroy(e));
          gzip.pipe(sink);
        }
        const header = await backupDatabase(ctx, gzip ?? sink);
        if (gzip) {
          gzip.end();
          await finished(gzip);
        }
        if (sink !== process.stdout) {
          if (!gzip) sink.end();
          await finished(sink);
        }
        if (partial && target) renameSync(partial, target);
        const rows = header.tables.reduce((n, t) => n + t.rows, 0);
        console.error(
          `Backed up ${rows} rows of ${header.tables.length} tables${target ? ` to ${target}` : ''}.`,
        );
        console.error(`Audit head: ${header.auditHead ?? '(empty log)'}`);
        console.error('The file holds personal data and password hashes: keep it like the database itself.');
        const secretFile = join(config.dataDir, 'secret.key');
        if (!config.databaseUrl && !process.env.GRIDGOV_SECRET && existsSync(secretFile)) {
          console.error(`The deployment secret is not in the backup; keep ${secretFile} with it.`);
        }
      } catch (error) {
        if (partial) rmSync(partial, { force: true });
        throw error;
      } finally {
        await close();
      }
    });

  program
    .command('restore <file>')
    .description(
      'restore a backup into a new, empty database (migrated first); also moves PGlite to PostgreSQL',
    )
    .addHelpText(
      'after',
      '\nFrom PGlite to a PostgreSQL server:\n' +
        '  DATA_DIR=./data gridgov backup gridgov.jsonl.gz\n' +
        '  DATABASE_URL=postgres://user@host/gridgov gridgov restore gridgov.jsonl.gz',
    )
    .action(async (file: string) => {
      if (file !== '-' && !existsSync(resolve(file))) throw new Error(`${resolve(file)} does not exist`);
      const source: Readable = file === '-' ? process.stdin : createReadStream(resolve(file));
      const gunzip = file.endsWith('.gz') ? createGunzip() : null;
      if (gunzip) source.on('error', (e) => gunzip.destroy(e));
      const input = gunzip ? source.pipe(gunzip) : source;
      const { ctx, close } = await open();
      try {
        const summary = await restoreDatabase(ctx, input);
        console.log(
          `Restored ${summary.rows} rows of ${summary.tables} tables from a backup of ${summary.header.createdAt}.`,
        );
        console.log(`Audit chain continues from ${summary.header.auditHead ?? '(empty log)'}.`);
        const anchors = await restartAnchors(ctx);
        if (anchors.retired)
          console.log(`Anchors of the chain before the restore moved to ${anchors.retired}.`);
        if (anchors.anchor) console.log(`Anchored the restored head (id ${anchors.anchor.id}).`);
        console.log(ANCHOR_NOTE);
        console.log(SECRET_NOTE);
      } finally {
        await close();
      }
    });

  return program;
}

function describe(error: unknown): string {
  if (error instanceof AppError && error.code === 'VALIDATION' && Array.isArray(error.details)) {
    const fields = error.details as { field: string; message: string }[];
    if (fields.length === 1) return `--${fields[0]!.field}: ${fields[0]!.message}`;
    if (fields.length > 1)
      return `invalid input:${fields.map((d) => `\n  --${d.field}: ${d.message}`).join('')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    console.error(`gridgov: ${describe(error)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
