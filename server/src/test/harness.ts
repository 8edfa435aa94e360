import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../app.ts';
import { type Config, testConfig } from '../config.ts';
import { type DbHandle, openDatabase } from '../db/client.ts';
import { FakeClock } from '../lib/clock.ts';
import type { Ctx } from '../lib/context.ts';

export interface TestEnv {
  app: FastifyInstance;
  handle: DbHandle;
  clock: FakeClock;
  config: Config;
  /** A context without a request, for factories and direct service calls. */
  ctx: Ctx;
  close(): Promise<void>;
}

/** A database for one test file: a PGlite started from the migrated snapshot, or a clone of the PG template. */
export async function openTestDatabase(): Promise<{ handle: DbHandle; drop: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  const template = inject('pgTemplate');
  if (url && template) {
    const name = `gridgov_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const handle = await openDatabase({ url: target.toString(), poolSize: 5 });
    return {
      handle,
      drop: async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const snapshot = readFileSync(inject('pgliteSnapshot'));
  const handle = await openDatabase({ loadDataDir: new Blob([snapshot]) });
  return { handle, drop: async () => undefined };
}

export async function createTestEnv(overrides: Partial<Config> = {}): Promise<TestEnv> {
  const { handle, drop } = await openTestDatabase();
  const clock = new FakeClock();
  const config = testConfig(overrides);
  const app = await buildApp({ handle, config, clock, logger: false });
  await app.ready();
  return {
    app,
    handle,
    clock,
    config,
    ctx: { db: handle.db, clock, config, requestId: 'test', ip: null, actor: null },
    close: async () => {
      await app.close();
      await handle.close();
      await drop();
    },
  };
}

export interface Client {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  cookie: string;
  csrfToken: string;
}

/** An HTTP client that carries a session cookie and the CSRF token, like the web app does. */
export function clientFor(app: FastifyInstance, cookie = '', csrfToken = ''): Client {
  const request = (opts: InjectOptions) =>
    app.inject({
      ...opts,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
        ...(opts.headers ?? {}),
      },
    });
  const withBody =
    (method: 'POST' | 'PUT' | 'PATCH') => (url: string, body?: unknown, headers?: Record<string, string>) =>
      request({
        method,
        url,
        ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
        headers,
      });
  return {
    cookie,
    csrfToken,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}

export const anonymous = (app: FastifyInstance): Client => clientFor(app);
