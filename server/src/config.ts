import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  adminPassword: string | null;
  /** Key material for encrypting TOTP secrets; read from GRIDGOV_SECRET or a file in the data dir. */
  secret: string | null;
  trustProxy: boolean;
  logLevel: string;
  /** Serve the built web app from this directory when it exists. */
  webDist: string;
  /** Start the background sweeps (inactive accounts, expired sessions). */
  sweeps: boolean;
  /** Sign-in attempts per minute per client address. */
  loginRateLimit: number;
  /** Heartbeat of live event streams (/api/events); each heartbeat also re-checks the session. */
  eventsHeartbeatMs: number;
  /** The address users open gridgov at (`https://…`, no trailing slash), for links in e-mails; null: paths only. */
  publicUrl: string | null;
}

function publicUrlOf(value: string | undefined): string | null {
  const v = value?.trim();
  if (!v) return null;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new Error(`PUBLIC_URL must be an http(s) URL, got "${v}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`PUBLIC_URL must be an http(s) URL, got "${v}"`);
  }
  return url.href.replace(/\/+$/, '');
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be an integer port number, got "${value}"`);
  return n;
}

/** Reads and validates the environment once, at start. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return {
    port: int('PORT', env.PORT, 8080),
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR?.trim() || 'data'),
    databaseUrl,
    adminPassword: env.GRIDGOV_ADMIN_PASSWORD || null,
    secret: env.GRIDGOV_SECRET || null,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    webDist: resolve(env.WEB_DIST?.trim() || new URL('../../web/dist', import.meta.url).pathname),
    sweeps: env.GRIDGOV_SWEEPS !== '0',
    loginRateLimit: int('LOGIN_RATE_LIMIT', env.LOGIN_RATE_LIMIT, 20),
    eventsHeartbeatMs: Math.max(1, int('EVENTS_HEARTBEAT_SECONDS', env.EVENTS_HEARTBEAT_SECONDS, 25)) * 1000,
    publicUrl: publicUrlOf(env.PUBLIC_URL),
  };
}

/** A config for tests: nothing from the environment leaks in. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: resolve('.tmp/test-data'),
    databaseUrl: null,
    adminPassword: null,
    secret: 'test-secret-0123456789abcdef0123456789abcdef',
    trustProxy: false,
    logLevel: 'silent',
    webDist: resolve('.tmp/no-web'),
    sweeps: false,
    loginRateLimit: 10_000,
    eventsHeartbeatMs: 25_000,
    publicUrl: null,
    ...overrides,
  };
}
