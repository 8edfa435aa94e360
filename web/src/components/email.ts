import type { Rule } from 'antd/es/form';
import type { TFunction } from 'i18next';

/** The JSON Schema `email` format as the server checks it (ajv-formats, full mode), so both sides agree. */
const EMAIL_PATTERN =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** The most the server takes. */
export const EMAIL_MAX_LENGTH = 254;

/** Form rules for an optional work e-mail address: empty is fine, anything else must be an address. */
export function emailRules(t: TFunction): Rule[] {
  return [
    {
      validator: (_rule, value: string | undefined) => {
        const v = value?.trim() ?? '';
        return v === '' || (v.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(v))
          ? Promise.resolve()
          : Promise.reject(new Error(t('account.emailInvalid')));
      },
    },
  ];
}

/** An address as sent to the server: trimmed, and null when empty. */
export const emailOrNull = (value: string | undefined): string | null => value?.trim() || null;
