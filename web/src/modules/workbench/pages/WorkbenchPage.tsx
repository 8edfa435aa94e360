import {
  AlertOutlined,
  AuditOutlined,
  ClockCircleOutlined,
  EditOutlined,
  FieldTimeOutlined,
  InboxOutlined,
  PlusOutlined,
  SendOutlined,
  ToolOutlined,
} from '@ant-design/icons';
import type { Permission } from '@gridgov/common/permissions';
import { Button, Card, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { type TodoCounts, useTodoCounts } from '../../../api/matters.ts';
import { useCan, useSignedInMe } from '../../../app/auth.tsx';
import { LoadError } from '../../../components/Results.tsx';
import { RecentNotifications } from '../../notifications/components/RecentNotifications.tsx';

interface TodoCard {
  key: keyof TodoCounts;
  icon: ReactNode;
  /** Shown only to callers who hold it somewhere. */
  permission?: Permission;
  /** Where the card leads: the list with this query. */
  query: string;
  tone: 'blue' | 'orange' | 'red' | 'volcano';
}

const CARDS: TodoCard[] = [
  { key: 'accept', icon: <InboxOutlined />, permission: 'matter.accept', query: 'todo=accept', tone: 'blue' },
  { key: 'sign', icon: <EditOutlined />, permission: 'matter.sign', query: 'todo=sign', tone: 'blue' },
  { key: 'handle', icon: <ToolOutlined />, permission: 'matter.handle', query: 'todo=handle', tone: 'blue' },
  { key: 'verify', icon: <AuditOutlined />, permission: 'matter.verify', query: 'todo=verify', tone: 'blue' },
  { key: 'overdue', icon: <ClockCircleOutlined />, query: 'todo=overdue', tone: 'red' },
  { key: 'warning', icon: <FieldTimeOutlined />, query: 'deadline=warning', tone: 'orange' },
  { key: 'supervised', icon: <AlertOutlined />, query: 'supervised=true', tone: 'volcano' },
];

/** 工作台: my to-do counts (each opens the filtered list) and my latest notifications. */
export function WorkbenchPage() {
  const { t } = useTranslation();
  const me = useSignedInMe();
  const can = useCan();
  const navigate = useNavigate();
  const counts = useTodoCounts();
  const cards = CARDS.filter((c) => !c.permission || can(c.permission));

  return (
    <Space orientation="vertical" size={16} className="gg-full-width">
      <div className="gg-workbench-head">
        <div>
          <Typography.Title level={4} className="gg-workbench-hello">
            {t('workbench.hello', { name: me.displayName })}
          </Typography.Title>
          <Typography.Text type="secondary">{me.homeGrid.name}</Typography.Text>
        </div>
        <Space wrap>
          {can('matter.report') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/report')}
              data-testid="workbench-report"
            >
              {t('workbench.report')}
            </Button>
          )}
          {can('matter.dispatch') && (
            <Button icon={<SendOutlined />} onClick={() => navigate('/dispatch')}>
              {t('nav.dispatch')}
            </Button>
          )}
        </Space>
      </div>
      {counts.isError ? (
        <LoadError error={counts.error} onRetry={() => void counts.refetch()} />
      ) : (
        <div className="gg-todo-grid" data-testid="todo-cards">
          {cards.map((c) => {
            const n = counts.data?.[c.key];
            return (
              <Link
                key={c.key}
                to={`/matters?${c.query}`}
                data-testid={`todo-${c.key}`}
                className="gg-todo-link"
              >
                <Card
                  size="small"
                  hoverable
                  className={`gg-todo gg-todo-${c.tone}${n ? ' gg-todo-some' : ''}`}
                  loading={counts.isPending}
                >
                  <div className="gg-todo-label">
                    {c.icon} {t(`todo.${c.key}`)}
                  </div>
                  <div className="gg-todo-count" data-count={n ?? ''}>
                    {n ?? '—'}
                  </div>
                </Card>
              </Link>
            );
          })}
        </div>
      )}
      <RecentNotifications />
    </Space>
  );
}
