import type { MatterState } from '@gridgov/common/workflow/matter';
import { Empty, Grid, Pagination, Space, Spin, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import type { HTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { MatterSummary } from '../../../api/matters.ts';
import { formatDateTime } from '../../../components/format.ts';
import { useLocalName } from '../../../components/useLocalName.ts';
import { useNow } from '../time.ts';
import { DeadlineTag, ProblemTag, StateTag, SupervisionBadge } from './MatterTags.tsx';

interface Props {
  items: MatterSummary[];
  total: number;
  loading: boolean;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  testId: string;
  /** Extra cells at the end of a row (the dispatch desk's buttons). */
  actions?: (m: MatterSummary) => ReactNode;
  actionsWidth?: number;
  /** Columns that say nothing on this page (the dispatch desk: the owner is always the caller's level). */
  hide?: readonly ('owner' | 'assignee')[];
}

const TITLE_MIN = 200;

/** 11-24 02:49 within the current year, else the full date. */
function formatShort(at: string, now: number): string {
  const d = dayjs(at);
  return d.year() === dayjs(now).year() ? d.format('MM-DD HH:mm') : d.format('YYYY-MM-DD');
}

function unitOf(m: MatterSummary, name: (zh: string, en?: string | null) => string): string {
  const parts = [m.department ? name(m.department.name) : null, m.assignee?.name ?? null].filter(Boolean);
  return parts.length ? [...new Set(parts)].join(' · ') : '—';
}

/** Matters as a table on wide screens and as cards on a phone; the code opens the matter. */
export function MatterTable({
  items,
  total,
  loading,
  page,
  pageSize,
  onPage,
  testId,
  actions,
  actionsWidth,
  hide = [],
}: Props) {
  const { t } = useTranslation();
  const name = useLocalName();
  const now = useNow(30_000);
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;

  if (phone) {
    return (
      <div data-testid={testId} className="gg-matter-cards">
        <Spin spinning={loading}>
          {items.length === 0 && !loading && <Empty description={t('matter.none')} />}
          {items.map((m) => (
            <div key={m.id} className="gg-matter-card" data-matter-id={m.id}>
              <Link to={`/matters/${m.id}`} className="gg-matter-card-link">
                <div className="gg-matter-card-head">
                  <Typography.Text strong ellipsis className="gg-matter-card-title">
                    {m.title}
                  </Typography.Text>
                  <StateTag state={m.state as MatterState} />
                </div>
                <div className="gg-matter-card-meta">
                  <span className="gg-mono">{m.code}</span>
                  <span>{name(m.category.nameZh, m.category.nameEn)}</span>
                  <span>{m.grid.name}</span>
                </div>
                <Space size={4} wrap className="gg-matter-card-tags">
                  <DeadlineTag deadline={m.deadline} now={now} />
                  <SupervisionBadge count={m.openSupervisions} />
                  <ProblemTag problem={m.problem} />
                  <Typography.Text type="secondary" className="gg-small">
                    {formatDateTime(m.createdAt)}
                  </Typography.Text>
                </Space>
              </Link>
              {actions && <div className="gg-matter-card-actions">{actions(m)}</div>}
            </div>
          ))}
        </Spin>
        {total > pageSize && (
          <Pagination
            simple
            current={page}
            pageSize={pageSize}
            total={total}
            onChange={onPage}
            className="gg-matter-cards-pager"
          />
        )}
      </div>
    );
  }

  const all: ColumnsType<MatterSummary> = [
    {
      key: 'code',
      title: t('matter.code'),
      width: 160,
      render: (_v, m) => (
        <Link to={`/matters/${m.id}`} className="gg-mono gg-nowrap">
          {m.code}
        </Link>
      ),
    },
    {
      key: 'title',
      title: t('matter.title'),
      ellipsis: true,
      render: (_v, m) => (
        <Space size={4}>
          <Link to={`/matters/${m.id}`}>{m.title}</Link>
          <SupervisionBadge count={m.openSupervisions} />
          <ProblemTag problem={m.problem} />
        </Space>
      ),
    },
    {
      key: 'category',
      title: t('matter.category'),
      width: 110,
      ellipsis: true,
      render: (_v, m) => name(m.category.nameZh, m.category.nameEn),
    },
    {
      key: 'state',
      title: t('matter.state'),
      width: 80,
      render: (_v, m) => <StateTag state={m.state as MatterState} />,
    },
    { key: 'grid', title: t('matter.grid'), width: 100, ellipsis: true, render: (_v, m) => m.grid.name },
    { key: 'owner', title: t('matter.owner'), width: 100, ellipsis: true, render: (_v, m) => m.owner.name },
    {
      key: 'assignee',
      title: t('matter.assignee'),
      width: 130,
      ellipsis: true,
      render: (_v, m) => unitOf(m, name),
    },
    {
      key: 'deadline',
      title: t('matter.deadline'),
      width: 136,
      render: (_v, m) => (m.deadline.dueAt ? <DeadlineTag deadline={m.deadline} now={now} /> : '—'),
    },
    {
      key: 'created',
      title: t('matter.createdAt'),
      width: 100,
      render: (_v, m) => <span title={formatDateTime(m.createdAt)}>{formatShort(m.createdAt, now)}</span>,
    },
  ];
  const columns = all.filter((c) => !hide.includes(c.key as 'owner' | 'assignee'));
  const fixedWidth = columns.reduce((sum, c) => sum + (typeof c.width === 'number' ? c.width : 0), 0);
  if (actions) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: actionsWidth ?? 200,
      fixed: 'right',
      render: (_v, m) => actions(m),
    });
  }

  return (
    <Table<MatterSummary>
      data-testid={testId}
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items}
      loading={loading}
      scroll={{ x: fixedWidth + TITLE_MIN }}
      onRow={(m) => ({ 'data-matter-id': m.id }) as HTMLAttributes<HTMLElement>}
      locale={{ emptyText: <Empty description={t('matter.none')} /> }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: false,
        showTotal: (n) => t('common.total', { total: n }),
        onChange: onPage,
      }}
    />
  );
}
