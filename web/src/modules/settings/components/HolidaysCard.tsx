import { UploadOutlined } from '@ant-design/icons';
import type { HolidayOverrides } from '@gridgov/common/schemas/settings';
import { mergeHolidayYears, overrideYears, parseHolidayFile } from '@gridgov/common/time/holiday-file';
import { Alert, App, Button, Card, Col, Form, Row, Skeleton, Space, Typography, Upload } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import { useHolidayOverrides, useSaveHolidayOverrides } from '../../../api/settings.ts';
import { useReportError } from '../../../app/errors.ts';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { DateListInput } from './DateListInput.tsx';

/** Reads `{ holidays: [...], workdays: [...] }`; null when the file is not that. */
function parseFile(text: string): HolidayOverrides | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = parseHolidayFile(data);
  return parsed.ok ? parsed.value : null;
}

/** 节假日调整: the deployment's overrides of the built-in official holiday schedule. */
export function HolidaysCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = useLocalizedForm<HolidayOverrides>();
  const overrides = useHolidayOverrides();
  const save = useSaveHolidayOverrides();
  const report = useReportError();
  const holidays = Form.useWatch('holidays', form) ?? [];
  const workdays = Form.useWatch('workdays', form) ?? [];

  useEffect(() => {
    if (overrides.data) form.setFieldsValue(overrides.data);
  }, [overrides.data, form]);

  const submit = async (values: HolidayOverrides) => {
    try {
      await save.mutateAsync({ holidays: values.holidays ?? [], workdays: values.workdays ?? [] });
      void message.success(t('settings.holidays.saved'));
    } catch (error) {
      // The server names the entry (`holidays.3`); the form shows it on the whole list.
      const fieldMap = Object.fromEntries(
        (isApiError(error) ? error.fieldErrors : []).map((f) => [f.field, f.field.split('.')[0] ?? f.field]),
      );
      report(error, form, fieldMap);
    }
  };

  const importFile = async (file: File) => {
    const incoming = parseFile(await file.text());
    if (!incoming) {
      void message.error(t('settings.holidays.importInvalid'));
      return;
    }
    const both = incoming.holidays.filter((d) => incoming.workdays.includes(d));
    if (both.length > 0) {
      void message.error(t('settings.holidays.importBoth', { dates: both.join(', ') }));
      return;
    }
    const current = form.getFieldsValue(true) as HolidayOverrides;
    form.setFieldsValue(
      mergeHolidayYears({ holidays: current.holidays ?? [], workdays: current.workdays ?? [] }, incoming)
        .next,
    );
    void form.validateFields().catch(() => undefined);
    void message.success(
      t('settings.holidays.imported', {
        years: overrideYears(incoming).join(', '),
        holidays: incoming.holidays.length,
        workdays: incoming.workdays.length,
      }),
    );
  };

  return (
    <Card
      title={t('settings.holidays.title')}
      className="gg-narrow-card"
      data-testid="settings-holidays"
      extra={
        <Upload
          accept=".json,application/json"
          showUploadList={false}
          beforeUpload={(file) => {
            void importFile(file);
            return false;
          }}
          disabled={!overrides.data}
        >
          <Button icon={<UploadOutlined />} disabled={!overrides.data} data-testid="settings-holidays-import">
            {t('settings.holidays.import')}
          </Button>
        </Upload>
      }
    >
      {overrides.isError ? (
        <LoadError error={overrides.error} onRetry={() => void overrides.refetch()} />
      ) : overrides.isPending ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} data-testid="settings-holidays-form">
          <Alert type="info" showIcon className="gg-settings-note" title={t('settings.holidays.note')} />
          <Row gutter={24}>
            <Col xs={24} md={12}>
              <Form.Item
                name="holidays"
                label={t('settings.holidays.holidays')}
                extra={t('settings.holidays.holidaysHelp')}
              >
                <DateListInput taken={workdays} color="red" testId="settings-holidays-holidays" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="workdays"
                label={t('settings.holidays.workdays')}
                extra={t('settings.holidays.workdaysHelp')}
              >
                <DateListInput taken={holidays} color="blue" testId="settings-holidays-workdays" />
              </Form.Item>
            </Col>
          </Row>
          <Space wrap align="center">
            <Button
              type="primary"
              htmlType="submit"
              loading={save.isPending}
              data-testid="settings-holidays-submit"
            >
              {t('common.save')}
            </Button>
            <Typography.Text type="secondary">{t('settings.holidays.importHint')}</Typography.Text>
          </Space>
        </Form>
      )}
    </Card>
  );
}
