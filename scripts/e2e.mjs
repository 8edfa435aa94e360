#!/usr/bin/env node
// `npm run test:e2e`: starts gridgov on a fresh embedded database with the demo deployment and runs the
// browser flows in Debian's Chromium against it. Screenshots land in test-results/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

if (!existsSync(join(root, 'web/dist/index.html'))) {
  const build = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const port = await freePort();
const dataDir = join(root, '.tmp/e2e-data');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(join(root, 'test-results'), { recursive: true });
rmSync(join(root, 'test-results/e2e-accounts.json'), { force: true });
const password = 'Demo-Start-2026!';
const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/src/server.ts')], {
  cwd: root,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    GRIDGOV_ADMIN_PASSWORD: password,
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT: '1000',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
let up = false;
for (let i = 0; i < 240 && !up; i++) {
  await new Promise((r) => setTimeout(r, 500));
  up = await fetch(`${base}/api/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (server.exitCode !== null) break;
}
if (!up) {
  server.kill('SIGKILL');
  console.error('the server did not start');
  process.exit(1);
}
const result = spawnSync('npx', ['vitest', 'run', '--project', 'e2e', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, E2E_BASE_URL: base, E2E_DEMO_PASSWORD: password },
});
server.kill('SIGTERM');
process.exit(result.status ?? 1);
