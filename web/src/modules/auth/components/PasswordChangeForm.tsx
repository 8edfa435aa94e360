import type { StageResponse } from '@gridgov/common/schemas/auth';
import { Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changePassword } from '../../../api/auth.ts';
import { useReportError } from '../../../app/errors.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Current + new + confirm; the server's policy findings land on the fields. */
export function PasswordChangeForm({
  onChanged,
  initialCurrent,
  submitText,
}: {
  onChanged: (result: StageResponse) => void;
  initialCurrent?: string;
  submitText?: string;
}) {
  const { t } = useTranslation();
  const [form] = useLocalizedForm<Values>();
  const [busy, setBusy] = useState(false);
  const report = useReportError();

  const submit = async (values: Values) => {
    setBusy(true);
    try {
      const result = await changePassword({
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      form.resetFields();
      onChanged(result);
    } catch (error) {
      report(error, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={submit}
      initialValues={{ currentPassword: initialCurrent ?? '' }}
      autoComplete="off"
    >
      <Form.Item
        name="currentPassword"
        label={t('password.current')}
        rules={[{ required: true, message: t('password.currentRequired') }]}
      >
        <Input.Password data-testid="pw-current" autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        extra={t('password.hint')}
        rules={[{ required: true, message: t('password.newRequired') }]}
      >
        <Input.Password data-testid="pw-new" autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('password.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_rule, value: string) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.mismatch'))),
          }),
        ]}
      >
        <Input.Password data-testid="pw-confirm" autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="pw-submit">
        {submitText ?? t('password.submit')}
      </Button>
    </Form>
  );
}
