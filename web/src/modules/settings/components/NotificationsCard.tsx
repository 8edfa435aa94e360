import type { NotificationSettings, NotificationSettingsBody } from '@gridgov/common/schemas/settings';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Divider,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Skeleton,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNotificationSettings, useSaveNotificationSettings } from '../../../api/settings.ts';
import { useReportError } from '../../../app/errors.ts';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

const SMTP_FIELDS = ['host', 'port', 'secure', 'user', 'password', 'from'] as const;

/** The shortest webhook secret the server accepts. */
const MIN_SECRET = 16;

interface FormValues {
  smtpMode: 'smtp' | 'off';
  smtp: { host: string; port: number; secure: boolean; user: string; password: string; from: string };
  clearPassword: boolean;
  webhookUrl: string;
  webhookSecret: string;
  clearWebhookSecret: boolean;
}

function toForm(s: NotificationSettings): FormValues {
  return {
    smtpMode: s.smtp ? 'smtp' : 'off',
    smtp: {
      host: s.smtp?.host ?? '',
      port: s.smtp?.port ?? 465,
      secure: s.smtp?.secure ?? true,
      user: s.smtp?.user ?? '',
      password: '',
      from: s.smtp?.from ?? '',
    },
    clearPassword: false,
    webhookUrl: s.webhookUrl ?? '',
    webhookSecret: '',
    clearWebhookSecret: false,
  };
}

/** A write-only secret: a checked 'clear' sends '', an empty field leaves it out (kept), else the new value. */
function secretOf(value: string | undefined, clear: boolean): string | undefined {
  if (clear) return '';
  return value ? value : undefined;
}

function toBody(v: FormValues): NotificationSettingsBody {
  const webhookSecret = secretOf(v.webhookSecret, v.clearWebhookSecret);
  const password = secretOf(v.smtp.password, v.clearPassword);
  return {
    smtp:
      v.smtpMode === 'off'
        ? null
        : {
            host: v.smtp.host.trim(),
            port: v.smtp.port,
            secure: v.smtp.secure,
            user: v.smtp.user.trim(),
            from: v.smtp.from.trim(),
            ...(password === undefined ? {} : { password }),
          },
    webhookUrl: v.webhookUrl.trim() === '' ? null : v.webhookUrl.trim(),
    ...(webhookSecret === undefined ? {} : { webhookSecret }),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** 通知渠道: SMTP mail and the webhook; the password and the webhook secret are write-only. */
export function NotificationsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = useLocalizedForm<FormValues>();
  const settings = useNotificationSettings();
  const save = useSaveNotificationSettings();
  const report = useReportError();
  const smtpMode = Form.useWatch('smtpMode', form);
  const smtpOn = smtpMode !== 'off';
  const clearPassword = Form.useWatch('clearPassword', form);
  const clearWebhookSecret = Form.useWatch('clearWebhookSecret', form);

  useEffect(() => {
    if (settings.data) form.setFieldsValue(toForm(settings.data));
  }, [settings.data, form]);

  const passwordSet = settings.data?.smtp?.passwordSet ?? false;
  const secretSet = settings.data?.webhookSecretSet ?? false;

  const submit = async () => {
    const values = form.getFieldsValue(true) as FormValues;
    try {
      await save.mutateAsync(toBody(values));
      void message.success(t('settings.notifications.saved'));
    } catch (error) {
      report(error, form);
    }
  };

  /** Typing a server switches mail on; switching it off drops the SMTP fields' errors. */
  const changed = (values: Partial<FormValues>) => {
    if (values.smtp?.host?.trim() && form.getFieldValue('smtpMode') === 'off')
      form.setFieldValue('smtpMode', 'smtp');
    if (values.smtpMode === 'off') {
      form.setFields(SMTP_FIELDS.map((f) => ({ name: ['smtp', f], errors: [] })));
    }
  };

  const setTag = (set: boolean) =>
    set ? (
      <Tag color="success" className="gg-settings-secret-tag">
        {t('settings.secretSet')}
      </Tag>
    ) : (
      <Tag className="gg-settings-secret-tag">{t('settings.secretNotSet')}</Tag>
    );

  return (
    <Card
      title={t('settings.notifications.title')}
      className="gg-narrow-card"
      data-testid="settings-notifications"
    >
      {settings.isError ? (
        <LoadError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : settings.isPending ? (
        <Skeleton active />
      ) : (
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          onValuesChange={changed}
          data-testid="settings-notifications-form"
        >
          <Divider titlePlacement="start">{t('settings.notifications.mail')}</Divider>
          <Form.Item name="smtpMode">
            <Radio.Group
              optionType="button"
              data-testid="settings-smtp-mode"
              options={[
                { value: 'smtp', label: t('settings.notifications.smtpOn') },
                { value: 'off', label: t('settings.notifications.smtpOff') },
              ]}
            />
          </Form.Item>
          {smtpMode === 'off' && (
            <Typography.Paragraph type="secondary">
              {t('settings.notifications.smtpOffHint')}
            </Typography.Paragraph>
          )}
          <Row gutter={16} className={smtpMode === 'off' ? 'gg-settings-off' : undefined}>
            <Col xs={24} sm={12}>
              <Form.Item
                name={['smtp', 'host']}
                label={t('settings.notifications.host')}
                rules={[
                  { required: smtpOn, whitespace: true, message: t('common.required') },
                  { pattern: /^[^\s/]+$/, message: t('settings.notifications.hostInvalid') },
                ]}
              >
                <Input placeholder="smtp.example.gov.cn" maxLength={253} data-testid="settings-smtp-host" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item
                name={['smtp', 'port']}
                label={t('settings.notifications.port')}
                rules={[{ required: smtpOn, message: t('common.required') }]}
              >
                <InputNumber
                  min={1}
                  max={65535}
                  precision={0}
                  className="gg-full-width"
                  data-testid="settings-smtp-port"
                />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item
                name={['smtp', 'secure']}
                label={t('settings.notifications.secure')}
                valuePropName="checked"
                tooltip={t('settings.notifications.secureHelp')}
              >
                <Switch data-testid="settings-smtp-secure" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name={['smtp', 'user']}
                label={t('settings.notifications.user')}
                extra={t('settings.notifications.userHelp')}
              >
                <Input maxLength={256} autoComplete="off" data-testid="settings-smtp-user" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                label={
                  <span>
                    {t('settings.notifications.password')}
                    {setTag(passwordSet)}
                  </span>
                }
                required={false}
              >
                <Form.Item name={['smtp', 'password']} noStyle>
                  <Input.Password
                    maxLength={256}
                    autoComplete="new-password"
                    disabled={clearPassword}
                    placeholder={
                      passwordSet ? t('settings.keepPlaceholder') : t('settings.notSetPlaceholder')
                    }
                    data-testid="settings-smtp-password"
                  />
                </Form.Item>
                {passwordSet && (
                  <Form.Item name="clearPassword" valuePropName="checked" noStyle>
                    <Checkbox className="gg-settings-clear" data-testid="settings-smtp-password-clear">
                      {t('settings.notifications.clearPassword')}
                    </Checkbox>
                  </Form.Item>
                )}
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item
                name={['smtp', 'from']}
                label={t('settings.notifications.from')}
                extra={t('settings.notifications.fromHelp')}
                rules={
                  smtpOn
                    ? [
                        { required: true, whitespace: true, message: t('common.required') },
                        { pattern: /@/, message: t('settings.notifications.fromInvalid') },
                      ]
                    : []
                }
              >
                <Input
                  maxLength={320}
                  placeholder={t('settings.notifications.fromPlaceholder')}
                  data-testid="settings-smtp-from"
                />
              </Form.Item>
            </Col>
          </Row>

          <Divider titlePlacement="start">{t('settings.notifications.webhook')}</Divider>
          <Typography.Paragraph type="secondary">
            {t('settings.notifications.webhookHint')}
          </Typography.Paragraph>
          <Row gutter={16}>
            <Col xs={24} sm={14}>
              <Form.Item
                name="webhookUrl"
                label={t('settings.notifications.webhookUrl')}
                extra={t('settings.notifications.webhookUrlHelp')}
                rules={[
                  {
                    validator: (_rule, value: string | undefined) =>
                      !value?.trim() || isHttpUrl(value.trim())
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('settings.notifications.webhookUrlInvalid'))),
                  },
                ]}
              >
                <Input
                  placeholder="https://"
                  maxLength={2048}
                  allowClear
                  data-testid="settings-webhook-url"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={10}>
              <Form.Item
                label={
                  <span>
                    {t('settings.notifications.webhookSecret')}
                    {setTag(secretSet)}
                  </span>
                }
                required={false}
              >
                <Form.Item
                  name="webhookSecret"
                  noStyle
                  dependencies={['webhookUrl', 'clearWebhookSecret']}
                  rules={[
                    { min: MIN_SECRET, message: t('settings.notifications.secretMin', { n: MIN_SECRET }) },
                    ({ getFieldValue }) => ({
                      validator: (_rule, value: string | undefined) => {
                        const url = (getFieldValue('webhookUrl') as string | undefined)?.trim();
                        const stored = secretSet && !getFieldValue('clearWebhookSecret');
                        return url && !value && !stored
                          ? Promise.reject(new Error(t('settings.notifications.secretRequired')))
                          : Promise.resolve();
                      },
                    }),
                  ]}
                >
                  <Input.Password
                    maxLength={256}
                    autoComplete="new-password"
                    disabled={clearWebhookSecret}
                    placeholder={
                      secretSet
                        ? t('settings.keepPlaceholder')
                        : t('settings.secretPlaceholder', { n: MIN_SECRET })
                    }
                    data-testid="settings-webhook-secret"
                  />
                </Form.Item>
                {secretSet && (
                  <Form.Item name="clearWebhookSecret" valuePropName="checked" noStyle>
                    <Checkbox className="gg-settings-clear" data-testid="settings-webhook-secret-clear">
                      {t('settings.notifications.clearSecret')}
                    </Checkbox>
                  </Form.Item>
                )}
              </Form.Item>
            </Col>
          </Row>
          <Typography.Paragraph type="secondary">{t('settings.notifications.note')}</Typography.Paragraph>
          <Button
            type="primary"
            htmlType="submit"
            loading={save.isPending}
            data-testid="settings-notifications-submit"
          >
            {t('common.save')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
