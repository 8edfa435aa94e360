import { randomInt } from 'node:crypto';
import { checkPassword } from '../auth/password.ts';
import type { SecurityPolicy } from '../auth/policy.ts';

/** Look-alike characters (l, I, O, 0, 1) are left out: the password is read out or copied by hand. */
const CLASSES = [
  'abcdefghijkmnopqrstuvwxyz',
  'ABCDEFGHJKLMNPQRSTUVWXYZ',
  '23456789',
  '!@#$%^&*-_=+?',
] as const;
const ALL = CLASSES.join('');

const pick = (chars: string) => chars[randomInt(chars.length)]!;

/**
 * A random initial password that satisfies `policy`: at least 16 characters (or the policy's
 * minimum, if longer), with every one of the four classes, from the CSPRNG.
 */
export function generateInitialPassword(policy: SecurityPolicy, username?: string): string {
  const length = Math.max(16, policy.passwordMinLength);
  for (let attempt = 0; attempt < 20; attempt++) {
    const chars = CLASSES.map(pick);
    while (chars.length < length) chars.push(pick(ALL));
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join('');
    if (checkPassword(password, policy, { username }).length === 0) return password;
  }
  throw new Error('could not generate a password that satisfies the policy');
}
