import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, loadConfig } from '../config.ts';
import { type DbHandle, openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import { type Ctx, systemContext } from '../lib/context.ts';

export interface CliSession {
  /** A system context: the CLI's writes are audited as `system`, with one request id per run. */
  ctx: Ctx;
  handle: DbHandle;
  config: Config;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Refuse to create an embedded database where none exists (a mistyped DATA_DIR). */
  mustExist?: boolean;
}

export type OpenCli = (options?: OpenOptions) => Promise<CliSession>;

/** Where the embedded database lives, as the server has it. */
export function pgliteDir(config: Config): string {
  return join(config.dataDir, 'pg');
}

/**
 * Opens the database exactly as the server does (DATABASE_URL, else PGlite under DATA_DIR/pg) and
 * applies pending migrations, as the server does at start. PGlite allows one process at a time:
 * stop the server before running commands against its DATA_DIR.
 */
export const open: OpenCli = async (options = {}) => {
  const config = loadConfig();
  if (!config.databaseUrl && options.mustExist && !existsSync(pgliteDir(config))) {
    throw new Error(
      `No database at ${pgliteDir(config)}: set DATA_DIR (or DATABASE_URL) to the deployment's`,
    );
  }
  const handle = await openDatabase({
    url: config.databaseUrl ?? undefined,
    dataDir: config.databaseUrl ? undefined : pgliteDir(config),
  });
  try {
    const applied = await migrate(handle.db);
    if (applied.length > 0) console.error(`Applied migrations: ${applied.join(', ')}`);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const ctx = systemContext({ db: handle.db, clock: systemClock, config }, `cli-${randomUUID()}`);
  return { ctx, handle, config, close: () => handle.close() };
};
