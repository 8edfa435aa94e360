import { describe, expect, it } from 'vitest';
import { checkPassword } from '../auth/password.ts';
import { DEFAULT_POLICY } from '../auth/policy.ts';
import { generateInitialPassword } from './initial-password.ts';

describe('generateInitialPassword', () => {
  it.each([
    ['defaults', DEFAULT_POLICY, 16],
    ['four classes', { ...DEFAULT_POLICY, passwordClasses: 4 }, 16],
    ['long minimum', { ...DEFAULT_POLICY, passwordMinLength: 40 }, 40],
  ])('%s: at least %#, all four classes, accepted by the policy', (_name, policy, min) => {
    for (let i = 0; i < 50; i++) {
      const pw = generateInitialPassword(policy, 'zhangsan');
      expect(pw.length).toBeGreaterThanOrEqual(min);
      for (const re of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(pw).toMatch(re);
      expect(checkPassword(pw, policy, { username: 'zhangsan' })).toEqual([]);
    }
  });

  it('does not repeat itself', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateInitialPassword(DEFAULT_POLICY)));
    expect(seen.size).toBe(200);
  });
});
