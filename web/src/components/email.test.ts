import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { EMAIL_MAX_LENGTH, emailOrNull, emailRules } from './email.ts';

// The server checks `format: 'email'` with ajv-formats (full mode, Fastify's default): the form must agree.
const ajv = new Ajv();
addFormats(ajv);
const serverAccepts = ajv.compile({ type: 'string', format: 'email', maxLength: EMAIL_MAX_LENGTH });

const t = ((key: string) => key) as unknown as TFunction;
async function formAccepts(value: string): Promise<boolean> {
  const rule = emailRules(t)[0] as { validator: (rule: unknown, value: string) => Promise<void> };
  return rule.validator({}, value).then(
    () => true,
    () => false,
  );
}

describe('the e-mail field', () => {
  it('accepts and refuses exactly what the server does', async () => {
    const samples = [
      'zhang.wei@yuhang.gov.cn',
      'duty+night@example.org',
      "o'brien@example.org",
      'a@b.co',
      'no-at-sign.example.org',
      'two@@example.org',
      'space in@example.org',
      'trailing-dot@example.org.',
      '.lead@example.org',
      'user@-bad-.example.org',
      '用户@example.org',
      `${'x'.repeat(250)}@a.cn`,
    ];
    for (const sample of samples) {
      expect(await formAccepts(sample), sample).toBe(serverAccepts(sample));
    }
  });

  it('an empty field is allowed and sent as null', async () => {
    expect(await formAccepts('')).toBe(true);
    expect(emailOrNull('  ')).toBeNull();
    expect(emailOrNull(' a@b.co ')).toBe('a@b.co');
  });
});
