import type { FormInstance } from 'antd';
import { App } from 'antd';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.ts';

/** A message for the user: localized by error code, with the server's wording for validation problems. */
export function errorText(t: TFunction, error: unknown): string {
  if (!isApiError(error)) return t('error.unexpected');
  switch (error.code) {
    case 'VALIDATION':
      return error.message ? t('error.validationWith', { message: error.message }) : t('error.VALIDATION');
    case 'NETWORK':
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'RATE_LIMITED':
    case 'PAYLOAD_TOO_LARGE':
    case 'INTERNAL':
      return t(`error.${error.code}`);
    default:
      return error.message;
  }
}

/** The server words field problems in English; the ones people meet most are translated here. */
const SERVER_MESSAGES: [RegExp, (m: RegExpExecArray, t: TFunction) => string][] = [
  [/^at least (\d+) characters$/, (m, t) => t('serverMessage.minLength', { n: m[1] })],
  [/^at most (\d+) characters$/, (m, t) => t('serverMessage.maxLength', { n: m[1] })],
  [/^needs (\d+) of: /, (m, t) => t('serverMessage.classes', { n: m[1] })],
  [/^is too common$/, (_m, t) => t('serverMessage.tooCommon')],
  [/^must not contain the username$/, (_m, t) => t('serverMessage.containsUsername')],
  [/^must differ from the current one$/, (_m, t) => t('serverMessage.sameAsCurrent')],
  [/^is wrong$/, (_m, t) => t('serverMessage.wrong')],
  [/^wrong or already used code$/, (_m, t) => t('serverMessage.wrongCode')],
  [/^wrong code$/, (_m, t) => t('serverMessage.wrongCode')],
  [/^start the enrolment first$/, (_m, t) => t('serverMessage.enrolFirst')],
  [/^already exists$|^is taken$|already in use/, (_m, t) => t('serverMessage.taken')],
  [/^must match format "email"$/, (_m, t) => t('serverMessage.email')],
  [/^needs an e-mail address$/, (_m, t) => t('serverMessage.emailNeeded')],
];

export function serverMessage(t: TFunction, message: string): string {
  for (const [pattern, render] of SERVER_MESSAGES) {
    const m = pattern.exec(message);
    if (m) return render(m, t);
  }
  return message;
}

interface ServerFieldError {
  name: (string | number)[];
  messages: string[];
  value: unknown;
}

/** The server's raw field errors per form, so that a language switch can translate them again. */
const serverErrors = new WeakMap<FormInstance, ServerFieldError[]>();

/** Shows the remembered server errors again in the current language, where the value is unchanged. */
export function retranslateServerErrors(t: TFunction, form: FormInstance): (string | number)[][] {
  const remembered = serverErrors.get(form) ?? [];
  const still = remembered.filter((e) => Object.is(form.getFieldValue(e.name), e.value));
  serverErrors.set(form, still);
  form.setFields(still.map((e) => ({ name: e.name, errors: e.messages.map((m) => serverMessage(t, m)) })));
  return still.map((e) => e.name);
}

/**
 * Puts the field errors of a VALIDATION answer on the matching form fields.
 * `fieldMap` renames API fields to form fields. Returns whether any field took an error.
 */
export function applyFieldErrors(
  t: TFunction,
  form: FormInstance,
  error: unknown,
  fieldMap: Record<string, string> = {},
): boolean {
  if (!isApiError(error) || error.code !== 'VALIDATION') return false;
  const known = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const byField = new Map<string, string[]>();
  for (const { field, message } of error.fieldErrors) {
    const name = fieldMap[field] ?? field;
    if (!known.has(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), message]);
  }
  const remembered = [...byField].map(([name, messages]) => {
    const path = name.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    return { name: path, messages, value: form.getFieldValue(path) };
  });
  serverErrors.set(form, remembered);
  form.setFields(
    remembered.map((e) => ({ name: e.name, errors: e.messages.map((m) => serverMessage(t, m)) })),
  );
  return byField.size > 0;
}

/** Reports an API failure: on the form's fields when it names them, else as a message. */
export function useReportError() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return useCallback(
    (error: unknown, form?: FormInstance, fieldMap?: Record<string, string>) => {
      if (form && applyFieldErrors(t, form, error, fieldMap)) return;
      void message.error(errorText(t, error));
    },
    [t, message],
  );
}
