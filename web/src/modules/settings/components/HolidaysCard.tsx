import { UploadOutlined } from '@ant-design/icons';
import type { HolidayOverrides } from '@gridgov/common/schemas/settings';
import { Alert, App, Button, Card, Col, Form, Row, Skeleton, Space, Typography, Upload } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import { useHolidayOverrides, useSaveHolidayOverrides } from '../../../api/settings.ts';
import { useReportError } from '../../../app/errors.ts';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { DateListInput } from './DateListInput.tsx';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date 'YYYY-MM-DD' (not 2026-02-30). */
function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** A list of the file: an array of dates, or an object keyed by them (the `chinese-days` layout), as the CLI reads. */
function datesOf(value: unknown): string[] | null {
  if (value === undefined) return [];
  const dates = Array.isArray(value)
    ? value
    : value !== null && typeof value === 'object'
      ? Object.keys(value)
      : null;
  if (!dates || dates.some((d) => typeof d !== 'string' || !isDate(d))) return null;
  return dates as string[];
}

/** Reads `{ holidays: [...], workdays: [...] }`; null when the file is not that. */
function parseFile(text: string): HolidayOverrides | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const { holidays, workdays } = data as Record<string, unknown>;
  if (holidays === undefined && workdays === undefined) return null;
  const h = datesOf(holidays);
  const w = datesOf(workdays);
  return h && w ? { holidays: h, workdays: w } : null;
}

const yearsOf = (o: HolidayOverrides) => new Set([...o.holidays, ...o.workdays].map((d) => d.slice(0, 4)));

/** Like `gridgov holidays import`: the years the file names replace those years, other years stay. */
function mergeYears(current: HolidayOverrides, incoming: HolidayOverrides): HolidayOverrides {
  const years = yearsOf(incoming);
  const keep = (dates: string[]) => dates.filter((d) => !years.has(d.slice(0, 4)));
  const merged = (a: string[], b: string[]) => [...new Set([...keep(a), ...b])].sort();
  return {
    holidays: merged(current.holidays, incoming.holidays),
    workdays: merged(current.workdays, incoming.workdays),
  };
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
      mergeYears({ holidays: current.holidays ?? [], workdays: current.workdays ?? [] }, incoming),
    );
    void form.validateFields().catch(() => undefined);
    void message.success(
      t('settings.holidays.imported', {
        years: [...yearsOf(incoming)].sort().join(', '),
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
