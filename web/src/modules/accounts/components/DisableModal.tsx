import { Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, useDisableAccount } from '../../../api/accounts.ts';
import { useReportError } from '../../../app/errors.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

/** Disabling needs a reason, which goes to the audit log. */
export function DisableModal({ account, onClose }: { account: Account | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = useLocalizedForm<{ reason: string }>();
  const disable = useDisableAccount();
  const report = useReportError();

  useEffect(() => {
    if (account) form.resetFields();
  }, [account, form]);

  const submit = async ({ reason }: { reason: string }) => {
    if (!account) return;
    try {
      await disable.mutateAsync({ id: account.id, reason: reason.trim() });
      onClose();
    } catch (error) {
      report(error, form);
    }
  };

  return (
    <Modal
      open={account !== null}
      title={t('account.disableTitle', { name: account?.displayName ?? '' })}
      okText={t('account.disable')}
      okButtonProps={{ danger: true }}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={disable.isPending}
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="reason"
          label={t('account.disableReason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount data-testid="disable-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
