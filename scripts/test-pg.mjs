#!/usr/bin/env node
// `npm run test:pg`: the same suite on a PostgreSQL server — TEST_DATABASE_URL if set, else a throwaway local one.
import { spawnSync } from 'node:child_process';
import { startPgServer } from './pg-server.mjs';

let server = null;
let url = process.env.TEST_DATABASE_URL;
if (!url) {
  server = startPgServer(Number(process.env.TEST_PG_PORT ?? 55432));
  url = server.url;
  console.log(`Started a throwaway PostgreSQL at ${url}`);
}
const result = spawnSync('npx', ['vitest', 'run', '--project', 'server', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: url },
});
server?.stop();
process.exit(result.status ?? 1);
