import { join } from 'node:path';
import { buildApp } from './app.ts';
import { generatePassword } from './bootstrap/bootstrap.ts';
import { seedDemo } from './bootstrap/demo.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { startJobs } from './jobs.ts';
import { systemClock } from './lib/clock.ts';
import { systemContext } from './lib/context.ts';
import { ensureSecret } from './secret.ts';

const config = ensureSecret(loadConfig());
const handle = await openDatabase(
  config.databaseUrl
    ? {
        url: config.databaseUrl,
        onIdleError: (err) => console.error(`database connection dropped: ${err.message}`),
      }
    : { dataDir: join(config.dataDir, 'pg') },
);
await migrate(handle.db);

const ctx = systemContext({ db: handle.db, clock: systemClock, config }, 'startup');
const hasTree = await handle.db.selectFrom('grid').select('id').limit(1).executeTakeFirst();
let banner: string[] = [];
if (!hasTree) {
  const password = config.adminPassword ?? generatePassword();
  const demo = await seedDemo(ctx, password);
  banner = [
    `演示部署 / demo deployment: ${demo.label}, ${demo.nodes} nodes (示意边界: generated grid boundaries)`,
    `Initial password for every demo account${config.adminPassword ? ' (from GRIDGOV_ADMIN_PASSWORD)' : ' (generated, shown once)'}: ${password}`,
    'Each account must change it at first sign-in; administrators also enrol a TOTP authenticator.',
    ...demo.accounts.map((a) => `  ${a.username.padEnd(14)} ${a.role} — ${a.where}`),
  ];
}

const app = await buildApp({ handle, config });
const stopJobs = config.sweeps ? startJobs(ctx, app.log) : () => undefined;
await app.listen({ port: config.port, host: config.host });
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
for (const line of banner) console.log(line);
console.log(`gridgov is running at http://${shownHost}:${config.port}/  (API docs: /api/docs)`);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  stopJobs();
  const timer = setTimeout(() => process.exit(1), 10_000);
  timer.unref();
  await app.close();
  await handle.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
