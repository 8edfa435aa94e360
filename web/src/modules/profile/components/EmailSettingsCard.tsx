import type { Me } from '@gridgov/common/schemas/auth';
import { App, Button, Card, Form, Switch, Tag } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useUpdateMe } from '../../../api/auth.ts';
import { useReportError } from '../../../app/errors.ts';
import { EmailInput } from '../../../components/EmailInput.tsx';
import { emailOrNull, emailRules } from '../../../components/email.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

interface Values {
  email: string;
  emailNotifications: boolean;
}

/** 邮件通知: my work address and whether my notifications also come by e-mail (on only with an address). */
export function EmailSettingsCard({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = useLocalizedForm<Values>();
  const update = useUpdateMe();
  const report = useReportError();
  const typed = Form.useWatch('email', form);
  const hasAddress = (typed ?? me.email ?? '').trim() !== '';

  useEffect(() => {
    form.setFieldsValue({ email: me.email ?? '', emailNotifications: me.emailNotifications });
  }, [me.email, me.emailNotifications, form]);

  const submit = async (values: Values) => {
    const email = emailOrNull(values.email);
    try {
      await update.mutateAsync({ email, emailNotifications: email !== null && values.emailNotifications });
      void message.success(t('profile.emailSaved'));
    } catch (error) {
      report(error, form);
    }
  };

  return (
    <Card
      title={t('profile.email')}
      data-testid="profile-email-card"
      extra={
        me.emailNotifications ? (
          <Tag color="success" data-testid="profile-email-state" data-on="true">
            {t('profile.emailOn')}
          </Tag>
        ) : (
          <Tag data-testid="profile-email-state" data-on="false">
            {t('profile.emailOff')}
          </Tag>
        )
      }
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={(changed: Partial<Values>) => {
          if (changed.email !== undefined && changed.email.trim() === '') {
            form.setFieldValue('emailNotifications', false);
          }
        }}
      >
        <Form.Item name="email" label={t('account.email')} rules={emailRules(t)}>
          <EmailInput autoComplete="email" placeholder="name@example.gov.cn" data-testid="profile-email" />
        </Form.Item>
        <Form.Item
          name="emailNotifications"
          label={t('profile.emailNotifications')}
          valuePropName="checked"
          extra={hasAddress ? t('profile.emailNotificationsHint') : t('profile.emailNeedsAddress')}
        >
          <Switch disabled={!hasAddress} data-testid="profile-email-notify" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={update.isPending}
          data-testid="profile-email-submit"
        >
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
