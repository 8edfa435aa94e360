import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

function key(secret: string): Buffer {
  return createHash('sha256').update(`gridgov-totp:${secret}`).digest();
}

/** Encrypts a TOTP secret at rest with AES-256-GCM under the deployment secret. */
export function sealSecret(base32: string, deploymentSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(deploymentSecret), iv);
  const body = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return [
    'v1',
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

export function openSecret(sealed: string, deploymentSecret: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown sealed secret format');
  const decipher = createDecipheriv('aes-256-gcm', key(deploymentSecret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(base32: string, label = 'gridgov'): TOTP {
  return new TOTP({
    issuer: 'gridgov',
    label,
    secret: Secret.fromBase32(base32),
    digits: 6,
    period: PERIOD,
    algorithm: 'SHA1',
  });
}

export function totpUri(base32: string, username: string): string {
  return totp(base32, username).toString();
}

/** The code for a moment; used by tests and the browser flows to act as an authenticator app. */
export function totpCode(base32: string, at: Date): string {
  return totp(base32).generate({ timestamp: at.getTime() });
}

/**
 * Checks a code within ±1 step of `at` and returns the step it matched, or null.
 * The caller refuses a step at or before the last one used (no replay).
 */
export function matchTotp(base32: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(base32).validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(at.getTime() / 1000 / PERIOD) + delta;
}
