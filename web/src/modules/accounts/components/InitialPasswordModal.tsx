import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { copyText } from '../../../components/copy.ts';

/** Shows a one-time initial password once, with a copy button. */
export function InitialPasswordModal({
  value,
  onClose,
}: {
  value: { username: string; password: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async () => {
    if (!value) return;
    const ok = await copyText(value.password);
    if (ok) void message.success(t('common.copied'));
    else void message.error(t('common.copyFailed'));
  };
  return (
    <Modal
      open={value !== null}
      title={t('account.initialPasswordTitle')}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={[
        <Button
          key="copy"
          icon={<CopyOutlined />}
          onClick={() => void copy()}
          data-testid="initial-password-copy"
        >
          {t('common.copy')}
        </Button>,
        <Button key="done" type="primary" onClick={onClose} data-testid="initial-password-done">
          {t('account.initialPasswordDone')}
        </Button>,
      ]}
    >
      <Alert type="warning" showIcon title={t('account.initialPasswordHint')} className="gg-form-alert" />
      <Typography.Paragraph>
        {t('account.usernameIs')}
        <Typography.Text strong>{value?.username}</Typography.Text>
      </Typography.Paragraph>
      <div className="gg-initial-password" data-testid="initial-password">
        {value?.password}
      </div>
    </Modal>
  );
}
