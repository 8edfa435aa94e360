import { Form, type FormInstance } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { retranslateServerErrors } from '../app/errors.ts';

/**
 * `Form.useForm`, whose visible validation messages follow a language switch: after the form has
 * rendered in the new language, the server's errors are translated again and failing rules re-run.
 */
export function useLocalizedForm<T>(): [FormInstance<T>] {
  const [form] = Form.useForm<T>();
  const { i18n } = useTranslation();
  const language = i18n.language;
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (shown.current === null || shown.current === language) {
      shown.current = language;
      return;
    }
    shown.current = language;
    const fromServer = new Set(retranslateServerErrors(i18n.t, form).map((n) => n.join('.')));
    const failing = form
      .getFieldsError()
      .filter((f) => f.errors.length > 0 && !fromServer.has(f.name.join('.')))
      .map((f) => f.name);
    if (failing.length > 0) void form.validateFields(failing).catch(() => undefined);
  }, [language, form, i18n]);
  return [form];
}
