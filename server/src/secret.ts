import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';

/**
 * The deployment secret (seals TOTP secrets, the SMTP password and the webhook secret): GRIDGOV_SECRET, else a key file created once under the
 * data directory. Several nodes sharing one PostgreSQL must be given the same GRIDGOV_SECRET.
 */
export function ensureSecret(config: Config): Config {
  if (config.secret) return config;
  const file = join(config.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return { ...config, secret: readFileSync(file, 'utf8').trim() };
}

/** The deployment secret of a started server (see {@link ensureSecret}); it seals stored secrets. */
export function deploymentSecret(config: Pick<Config, 'secret'>): string {
  if (!config.secret) throw new Error('deployment secret is not configured');
  return config.secret;
}
