import { App, Form, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, useUpdateAccountEmail } from '../../../api/accounts.ts';
import { useReportError } from '../../../app/errors.ts';
import { EmailInput } from '../../../components/EmailInput.tsx';
import { emailOrNull, emailRules } from '../../../components/email.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

/** The system administrator sets, changes or clears an account's work e-mail address. */
export function EmailModal({ account, onClose }: { account: Account | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = useLocalizedForm<{ email: string }>();
  const update = useUpdateAccountEmail();
  const report = useReportError();

  useEffect(() => {
    if (account) form.setFieldsValue({ email: account.email ?? '' });
  }, [account, form]);

  const submit = async ({ email }: { email: string }) => {
    if (!account) return;
    try {
      await update.mutateAsync({ id: account.id, email: emailOrNull(email) });
      void message.success(t('account.emailSaved'));
      onClose();
    } catch (error) {
      report(error, form);
    }
  };

  return (
    <Modal
      open={account !== null}
      title={t('account.emailTitle', { name: account?.displayName ?? '' })}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'account-email-submit' }}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={update.isPending}
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="email"
          label={t('account.email')}
          rules={emailRules(t)}
          extra={t('account.emailClearHint')}
        >
          <EmailInput data-testid="account-email-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
