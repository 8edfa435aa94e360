import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { MATTER_STATES, MATTER_TYPES } from '@gridgov/common/workflow/matter';
import { App, Button, Card, Col, DatePicker, Form, Grid, Input, Row, Select, Space } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useGrid } from '../../../api/grids.ts';
import { type MatterFilters, useExportMatters, useMatters } from '../../../api/matters.ts';
import { useCan } from '../../../app/auth.tsx';
import { useReportError } from '../../../app/errors.ts';
import { GridTreeSelect } from '../../../components/GridTreeSelect.tsx';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { CategoryTreeSelect } from '../components/CategorySelect.tsx';
import { MatterTable } from '../components/MatterTable.tsx';
import { SavedViews } from '../components/SavedViews.tsx';
import {
  type FilterValues,
  filtersFromParams,
  filtersToParams,
  filtersToValues,
  valuesToFilters,
} from '../filters.ts';
import { useMatterLabels } from '../labels.ts';

const PAGE_SIZE = 20;

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

/** 事项: the matters the caller may read, filtered, paged, saved as views and exported. */
export function MattersPage() {
  const { t } = useTranslation();
  const labels = useMatterLabels();
  const can = useCan();
  const { message } = App.useApp();
  const report = useReportError();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [form] = useLocalizedForm<FilterValues>();
  const list = useMatters(filters, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const exporter = useExportMatters();
  const grid = useGrid(filters.gridId ?? null);
  const screens = Grid.useBreakpoint();
  const [more, setMore] = useState(false);
  /** On a phone only the search, state and to-do filters show until asked for more. */
  const hidden = !screens.md && !more ? 'gg-hidden' : undefined;

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(filtersToValues(filters));
  }, [filters, form]);

  const apply = (next: MatterFilters, nextPage = 1) => setParams(filtersToParams(next, nextPage));

  const doExport = async () => {
    try {
      const { blob, name, headers } = await exporter.mutateAsync(filters);
      saveBlob(blob, name ?? `matters-${new Date().toISOString().slice(0, 10)}.xlsx`);
      if (headers.get('x-truncated') === 'true') {
        void message.warning(t('matter.exportTruncated', { total: headers.get('x-total-count') ?? '' }));
      } else {
        void message.success(t('matter.exported'));
      }
    } catch (error) {
      report(error);
    }
  };

  const yesNo = [
    { value: 'yes', label: t('common.yes') },
    { value: 'no', label: t('common.no') },
  ];

  return (
    <Space orientation="vertical" size={16} className="gg-full-width">
      <Card>
        <Form
          form={form}
          layout="vertical"
          onFinish={(values) => apply(valuesToFilters(values))}
          data-testid="matters-filters"
          className="gg-matter-filters"
        >
          <Row gutter={12}>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="q" label={t('matter.filter.q')}>
                <Input
                  allowClear
                  maxLength={64}
                  placeholder={t('matter.filter.qPlaceholder')}
                  data-testid="matters-filter-q"
                />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <Form.Item name="type" className={hidden} label={t('matter.type')}>
                <Select
                  allowClear
                  data-testid="matters-filter-type"
                  options={MATTER_TYPES.map((ty) => ({ value: ty, label: labels.type(ty) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <Form.Item name="deadline" className={hidden} label={t('matter.filter.deadline')}>
                <Select
                  allowClear
                  data-testid="matters-filter-deadline"
                  options={[
                    { value: 'warning', label: t('deadline.status.warning') },
                    { value: 'overdue', label: t('deadline.status.overdue') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="categoryId" className={hidden} label={t('matter.category')}>
                <CategoryTreeSelect testId="matters-filter-category" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="gridId" className={hidden} label={t('matter.grid')}>
                <GridTreeSelect
                  allowClear
                  testId="matters-filter-grid"
                  known={grid.data ? { id: grid.data.id, name: grid.data.name } : undefined}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={8}>
              <Form.Item name="state" label={t('matter.state')}>
                <Select
                  mode="multiple"
                  allowClear
                  maxTagCount="responsive"
                  showSearch={{ optionFilterProp: 'label' }}
                  data-testid="matters-filter-state"
                  options={MATTER_STATES.map((s) => ({ value: s, label: labels.state(s) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="range" className={hidden} label={t('matter.filter.created')}>
                <DatePicker.RangePicker
                  className="gg-full-width"
                  allowEmpty={[true, true]}
                  data-testid="matters-filter-created"
                />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <Form.Item name="supervised" className={hidden} label={t('matter.filter.supervised')}>
                <Select allowClear options={yesNo} data-testid="matters-filter-supervised" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <Form.Item name="problem" className={hidden} label={t('matter.filter.problem')}>
                <Select allowClear options={yesNo} data-testid="matters-filter-problem" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={4}>
              <Form.Item name="todo" label={t('matter.filter.todo')}>
                <Select
                  allowClear
                  data-testid="matters-filter-todo"
                  options={(['accept', 'sign', 'handle', 'verify', 'overdue'] as const).map((k) => ({
                    value: k,
                    label: t(`todo.${k}`),
                  }))}
                />
              </Form.Item>
            </Col>
          </Row>
          <div className="gg-filter-bar">
            <Space wrap>
              <Button
                type="primary"
                htmlType="submit"
                icon={<SearchOutlined />}
                data-testid="matters-filter-search"
              >
                {t('common.search')}
              </Button>
              <Button onClick={() => apply({})} data-testid="matters-filter-reset">
                {t('common.reset')}
              </Button>
              {!screens.md && (
                <Button type="link" onClick={() => setMore((m) => !m)} data-testid="matters-filter-more">
                  {more ? t('matter.filter.fewer') : t('matter.filter.more')}
                </Button>
              )}
              {can('matter.export') && (
                <Button
                  icon={<DownloadOutlined />}
                  loading={exporter.isPending}
                  onClick={() => void doExport()}
                  data-testid="matters-export"
                >
                  {t('matter.export')}
                </Button>
              )}
            </Space>
            <SavedViews filters={filters} onPick={(f) => apply(f)} />
          </div>
        </Form>
      </Card>
      <Card>
        {list.isError ? (
          <LoadError error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <MatterTable
            testId="matters-table"
            items={list.data?.items ?? []}
            total={list.data?.total ?? 0}
            loading={list.isFetching}
            page={page}
            pageSize={PAGE_SIZE}
            onPage={(p) => apply(filters, p)}
          />
        )}
      </Card>
    </Space>
  );
}
