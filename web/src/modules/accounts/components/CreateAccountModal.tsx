import { Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Account, useCreateAccount } from '../../../api/accounts.ts';
import { useDepartments } from '../../../api/departments.ts';
import { useReportError } from '../../../app/errors.ts';
import { EmailInput } from '../../../components/EmailInput.tsx';
import { emailOrNull, emailRules } from '../../../components/email.ts';
import { GridTreeSelect } from '../../../components/GridTreeSelect.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { useLocalName } from '../../../components/useLocalName.ts';

interface Values {
  username: string;
  displayName: string;
  homeGridId: number;
  departmentId?: number;
  email?: string;
}

/** Creates an account; the server answers with a one-time initial password. */
export function CreateAccountModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (account: Account, initialPassword: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = useLocalizedForm<Values>();
  const create = useCreateAccount();
  const departments = useDepartments(open);
  const localName = useLocalName();
  const report = useReportError();

  const submit = async (values: Values) => {
    try {
      const result = await create.mutateAsync({
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        homeGridId: values.homeGridId,
        departmentId: values.departmentId,
        email: emailOrNull(values.email) ?? undefined,
      });
      form.resetFields();
      onCreated(result.account, result.initialPassword);
    } catch (error) {
      report(error, form);
    }
  };

  return (
    <Modal
      open={open}
      title={t('account.createTitle')}
      okText={t('common.create')}
      okButtonProps={{ 'data-testid': 'account-create-submit' }}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional">
        <Form.Item
          name="username"
          label={t('account.username')}
          extra={t('account.usernameHint')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[A-Za-z0-9_.-]{3,64}$/, message: t('account.usernameInvalid') },
          ]}
        >
          <Input data-testid="account-username" autoComplete="off" autoCapitalize="none" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('account.displayName')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="account-display-name" maxLength={64} />
        </Form.Item>
        <Form.Item
          name="homeGridId"
          label={t('account.homeGrid')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <GridTreeSelect testId="account-home-grid" />
        </Form.Item>
        <Form.Item name="departmentId" label={t('account.department')}>
          <Select
            allowClear
            loading={departments.isPending}
            placeholder={t('account.noDepartment')}
            options={(departments.data ?? [])
              .filter((d) => d.active)
              .map((d) => ({ value: d.id, label: localName(d.nameZh, d.nameEn) }))}
          />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('account.email')}
          rules={emailRules(t)}
          extra={t('account.emailHint')}
        >
          <EmailInput data-testid="account-email" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
