import { DownloadOutlined, SafetyOutlined, SearchOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AUDIT_RESULTS,
  type AuditEntry,
  type AuditFilter,
  type AuditResult,
  type AuditVerification,
  useAuditLog,
  useExportAudit,
  useVerifyAudit,
} from '../../../api/audit.ts';
import { useCan } from '../../../app/auth.tsx';
import { useReportError } from '../../../app/errors.ts';
import { formatDateTimeSeconds } from '../../../components/format.ts';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { VerificationResult } from '../components/VerificationResult.tsx';

interface Values {
  actor?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  result?: AuditResult;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const RESULT_COLORS: Record<AuditResult, string> = {
  success: 'success',
  failure: 'warning',
  denied: 'error',
};
const PAGE_SIZE = 50;

function toFilter(values: Values): AuditFilter {
  const text = (v?: string) => v?.trim() || undefined;
  return {
    actor: text(values.actor),
    action: text(values.action),
    objectType: text(values.objectType),
    objectId: text(values.objectId),
    result: values.result,
    from: values.range?.[0]?.toISOString(),
    to: values.range?.[1]?.toISOString(),
  };
}

function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 审计: search the hash-chained audit log, export it, verify the chain. */
export function AuditPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = useLocalizedForm<Values>();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [page, setPage] = useState(1);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const log = useAuditLog(filter, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const exporter = useExportAudit();
  const verify = useVerifyAudit();

  const doExport = async () => {
    try {
      const { blob, name } = await exporter.mutateAsync(filter);
      saveBlob(blob, name ?? `audit-${new Date().toISOString().slice(0, 10)}.xlsx`);
      void message.success(t('audit.exported'));
    } catch (error) {
      report(error);
    }
  };

  const doVerify = async () => {
    try {
      setVerification(await verify.mutateAsync());
    } catch (error) {
      report(error);
    }
  };

  const columns: ColumnsType<AuditEntry> = [
    { key: 'at', title: t('audit.at'), width: 170, render: (_v, e) => formatDateTimeSeconds(e.at) },
    {
      key: 'actor',
      title: t('audit.actor'),
      width: 140,
      render: (_v, e) =>
        e.actorName ?? <Typography.Text type="secondary">{t('audit.anonymous')}</Typography.Text>,
    },
    {
      key: 'action',
      title: t('audit.action'),
      width: 180,
      render: (_v, e) => <span className="gg-mono">{e.action}</span>,
    },
    {
      key: 'object',
      title: t('audit.object'),
      width: 200,
      render: (_v, e) =>
        e.objectType ? (
          <span className="gg-mono">
            {e.objectType}
            {e.objectId ? ` #${e.objectId}` : ''}
          </span>
        ) : (
          '—'
        ),
    },
    {
      key: 'result',
      title: t('audit.result'),
      width: 90,
      render: (_v, e) => <Tag color={RESULT_COLORS[e.result]}>{t(`audit.resultName.${e.result}`)}</Tag>,
    },
    { key: 'reason', title: t('audit.reason'), width: 160, render: (_v, e) => e.reason ?? '—' },
    {
      key: 'ip',
      title: t('audit.ip'),
      width: 130,
      render: (_v, e) => <span className="gg-mono">{e.ip ?? '—'}</span>,
    },
  ];

  return (
    <Space orientation="vertical" size={16} className="gg-full-width">
      <Card title={t('audit.title')}>
        <Form
          form={form}
          layout="vertical"
          onFinish={(values) => {
            setFilter(toFilter(values));
            setPage(1);
          }}
          data-testid="audit-filters"
        >
          <Row gutter={12}>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="actor" label={t('audit.actor')}>
                <Input allowClear data-testid="audit-actor" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="action" label={t('audit.action')}>
                <Input allowClear placeholder={t('audit.actionPlaceholder')} data-testid="audit-action" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <Form.Item name="objectType" label={t('audit.objectType')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <Form.Item name="objectId" label={t('audit.objectId')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="result" label={t('audit.result')}>
                <Select
                  allowClear
                  options={AUDIT_RESULTS.map((r) => ({ value: r, label: t(`audit.resultName.${r}`) }))}
                  data-testid="audit-result"
                />
              </Form.Item>
            </Col>
            <Col xs={24} lg={12}>
              <Form.Item name="range" label={t('audit.range')}>
                <DatePicker.RangePicker showTime className="gg-full-width" allowEmpty={[true, true]} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={12} className="gg-audit-buttons">
              <Space wrap>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
                  {t('common.search')}
                </Button>
                <Button
                  onClick={() => {
                    form.resetFields();
                    setFilter({});
                    setPage(1);
                  }}
                >
                  {t('common.reset')}
                </Button>
                {can('audit.export') && (
                  <Button
                    icon={<DownloadOutlined />}
                    loading={exporter.isPending}
                    onClick={() => void doExport()}
                    data-testid="audit-export"
                  >
                    {t('audit.export')}
                  </Button>
                )}
                <Button
                  icon={<SafetyOutlined />}
                  loading={verify.isPending}
                  onClick={() => void doVerify()}
                  data-testid="audit-verify"
                >
                  {t('audit.verify')}
                </Button>
              </Space>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card>
        {log.isError ? (
          <LoadError error={log.error} onRetry={() => void log.refetch()} />
        ) : (
          <Table<AuditEntry>
            data-testid="audit-table"
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={log.data?.items ?? []}
            loading={log.isFetching}
            scroll={{ x: 1070 }}
            expandable={{
              expandedRowRender: (e) => (
                <Descriptions
                  size="small"
                  column={1}
                  items={[
                    { key: 'roles', label: t('audit.actorRoles'), children: e.actorRoles.join('、') || '—' },
                    {
                      key: 'request',
                      label: t('audit.requestId'),
                      children: <span className="gg-mono">{e.requestId ?? '—'}</span>,
                    },
                    {
                      key: 'detail',
                      label: t('audit.detail'),
                      children: e.detail ? (
                        <pre className="gg-json">{JSON.stringify(e.detail, null, 2)}</pre>
                      ) : (
                        '—'
                      ),
                    },
                    {
                      key: 'hash',
                      label: t('audit.hash'),
                      children: <span className="gg-mono gg-break">{e.hash}</span>,
                    },
                  ]}
                />
              ),
            }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: log.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (total) => t('common.total', { total }),
              onChange: setPage,
            }}
          />
        )}
      </Card>
      <Modal
        open={verification !== null}
        title={t('audit.verifyTitle')}
        onCancel={() => setVerification(null)}
        footer={
          <Button type="primary" onClick={() => setVerification(null)}>
            {t('common.ok')}
          </Button>
        }
      >
        {verification && <VerificationResult verification={verification} />}
      </Modal>
    </Space>
  );
}
