import type { FieldError } from '@gridgov/common/errors';
import { hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords.ts';
import type { SecurityPolicy } from './policy.ts';

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1), the OWASP baseline. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, used to spend equal time when the username does not exist. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hash(`dummy-${Math.random()}`);
  return dummy;
}

/** Checks a new password against the policy; returns the problems, empty when acceptable. */
export function checkPassword(
  password: string,
  policy: SecurityPolicy,
  context: { username?: string; field?: string } = {},
): FieldError[] {
  const field = context.field ?? 'password';
  const problems: FieldError[] = [];
  if (password.length < policy.passwordMinLength) {
    problems.push({ field, message: `at least ${policy.passwordMinLength} characters` });
  }
  if (password.length > 128) problems.push({ field, message: 'at most 128 characters' });
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < policy.passwordClasses) {
    problems.push({
      field,
      message: `needs ${policy.passwordClasses} of: lower-case, upper-case, digits, symbols`,
    });
  }
  const lower = password.toLowerCase();
  if (policy.passwordBlocklist && COMMON_PASSWORDS.has(lower)) {
    problems.push({ field, message: 'is too common' });
  }
  if (context.username && context.username.length >= 3 && lower.includes(context.username.toLowerCase())) {
    problems.push({ field, message: 'must not contain the username' });
  }
  return problems;
}
