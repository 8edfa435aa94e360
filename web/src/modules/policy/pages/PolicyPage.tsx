import { SecurityPolicy as PolicySchema } from '@gridgov/common/schemas/policy';
import { App, Button, Card, Col, Divider, Form, InputNumber, Row, Skeleton, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type SecurityPolicy, useSaveSecurityPolicy, useSecurityPolicy } from '../../../api/policy.ts';
import { useReportError } from '../../../app/errors.ts';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

type NumberField = {
  [K in keyof SecurityPolicy]: SecurityPolicy[K] extends number ? K : never;
}[keyof SecurityPolicy];

const SECTIONS: { key: 'password' | 'lockout' | 'session'; fields: NumberField[] }[] = [
  { key: 'password', fields: ['passwordMinLength', 'passwordClasses'] },
  { key: 'lockout', fields: ['lockoutThreshold', 'lockoutMinutes'] },
  { key: 'session', fields: ['idleMinutes', 'absoluteHours', 'inactiveDays'] },
];

/** The bounds come from the shared schema, so the form refuses what the server would. */
function bounds(field: NumberField): { min?: number; max?: number } {
  const schema = PolicySchema.properties[field];
  return { min: schema.minimum, max: schema.maximum };
}

/** 安全策略: password rules, lockout, session limits, second factor for staff. */
export function PolicyPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = useLocalizedForm<SecurityPolicy>();
  const policy = useSecurityPolicy();
  const save = useSaveSecurityPolicy();
  const report = useReportError();

  useEffect(() => {
    if (policy.data) form.setFieldsValue(policy.data);
  }, [policy.data, form]);

  if (policy.isError) return <LoadError error={policy.error} onRetry={() => void policy.refetch()} />;

  const submit = async (values: SecurityPolicy) => {
    try {
      await save.mutateAsync({ ...policy.data, ...values } as SecurityPolicy);
      void message.success(t('policy.saved'));
    } catch (error) {
      report(error, form);
    }
  };

  return (
    <Card title={t('policy.title')} className="gg-narrow-card">
      {policy.isPending ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} data-testid="policy-form">
          {SECTIONS.map((section) => (
            <div key={section.key}>
              <Divider titlePlacement="start">{t(`policy.section.${section.key}`)}</Divider>
              <Row gutter={16}>
                {section.fields.map((name) => (
                  <Col xs={24} sm={12} key={name}>
                    <Form.Item
                      name={name}
                      label={t(`policy.field.${name}`)}
                      extra={t(`policy.help.${name}`)}
                      rules={[{ required: true, message: t('common.required') }]}
                    >
                      <InputNumber
                        {...bounds(name)}
                        precision={0}
                        className="gg-full-width"
                        data-testid={`policy-${name}`}
                      />
                    </Form.Item>
                  </Col>
                ))}
                {section.key === 'password' && (
                  <Col xs={24} sm={12}>
                    <Form.Item
                      name="passwordBlocklist"
                      label={t('policy.field.passwordBlocklist')}
                      extra={t('policy.help.passwordBlocklist')}
                      valuePropName="checked"
                    >
                      <Switch />
                    </Form.Item>
                  </Col>
                )}
              </Row>
            </div>
          ))}
          <Divider titlePlacement="start">{t('policy.section.totp')}</Divider>
          <Form.Item
            name="totpRequiredForStaff"
            label={t('policy.field.totpRequiredForStaff')}
            extra={t('policy.help.totpRequiredForStaff')}
            valuePropName="checked"
          >
            <Switch data-testid="policy-totpRequiredForStaff" />
          </Form.Item>
          <Typography.Paragraph type="secondary">{t('policy.note')}</Typography.Paragraph>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="policy-submit">
            {t('common.save')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
