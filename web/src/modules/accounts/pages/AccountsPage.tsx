import { DownOutlined, MailOutlined, PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Dropdown,
  Grid,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ACCOUNT_STATUSES,
  type Account,
  type AccountAction,
  type AccountStatus,
  useAccountAction,
  useAccounts,
  useResetPassword,
} from '../../../api/accounts.ts';
import { useCan } from '../../../app/auth.tsx';
import { useReportError } from '../../../app/errors.ts';
import { formatDateTime } from '../../../components/format.ts';
import { GridTreeSelect } from '../../../components/GridTreeSelect.tsx';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalName } from '../../../components/useLocalName.ts';
import { AssignmentsDrawer } from '../components/AssignmentsDrawer.tsx';
import { CreateAccountModal } from '../components/CreateAccountModal.tsx';
import { DisableModal } from '../components/DisableModal.tsx';
import { EmailModal } from '../components/EmailModal.tsx';
import { InitialPasswordModal } from '../components/InitialPasswordModal.tsx';

const STATUS_COLORS: Record<AccountStatus, string> = {
  active: 'success',
  locked: 'warning',
  disabled: 'default',
};
const PAGE_SIZE = 20;

type RowAction = 'editEmail' | 'disable' | 'enable' | 'unlock' | 'resetPassword' | 'resetTotp';

/** 账号: search, status, per-account actions the caller's abilities allow, role assignments. */
export function AccountsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const isMobile = !Grid.useBreakpoint().md;
  const { modal, message } = App.useApp();
  const localName = useLocalName();
  const report = useReportError();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<AccountStatus | undefined>(undefined);
  const [gridId, setGridId] = useState<number | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [initial, setInitial] = useState<{ username: string; password: string } | null>(null);
  const [disabling, setDisabling] = useState<Account | null>(null);
  const [editingEmail, setEditingEmail] = useState<Account | null>(null);
  const [assigningId, setAssigningId] = useState<number | null>(null);
  const action = useAccountAction();
  const resetPassword = useResetPassword();

  const filter = { q: q || undefined, status, gridId, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const list = useAccounts(filter);

  const simple = (account: Account, act: AccountAction, confirmKey: 'enable' | 'unlock' | 'resetTotp') =>
    modal.confirm({
      title: t(`account.confirm.${confirmKey}`, { name: account.displayName }),
      okText: t('common.confirm'),
      onOk: () =>
        action.mutateAsync({ id: account.id, action: act }).then(
          () => void message.success(t('common.done')),
          (error: unknown) => report(error),
        ),
    });

  const run = (account: Account, key: RowAction) => {
    switch (key) {
      case 'editEmail':
        setEditingEmail(account);
        return;
      case 'disable':
        setDisabling(account);
        return;
      case 'enable':
        simple(account, 'enable', 'enable');
        return;
      case 'unlock':
        simple(account, 'unlock', 'unlock');
        return;
      case 'resetTotp':
        simple(account, 'reset-totp', 'resetTotp');
        return;
      case 'resetPassword':
        modal.confirm({
          title: t('account.confirm.resetPassword', { name: account.displayName }),
          okText: t('common.confirm'),
          onOk: () =>
            resetPassword.mutateAsync(account.id).then(
              (r) => setInitial({ username: account.username, password: r.initialPassword }),
              (error: unknown) => report(error),
            ),
        });
    }
  };

  const columns: ColumnsType<Account> = [
    {
      key: 'name',
      title: t('account.displayName'),
      fixed: 'left',
      width: 150,
      render: (_v, a) => (
        <div className="gg-cell-stack">
          <Typography.Text strong>{a.displayName}</Typography.Text>
          <Typography.Text type="secondary" className="gg-mono">
            {a.username}
          </Typography.Text>
          {isMobile && (
            <span>
              <Tag color={STATUS_COLORS[a.status]}>{t(`account.statusName.${a.status}`)}</Tag>
            </span>
          )}
        </div>
      ),
    },
    { key: 'grid', title: t('account.homeGrid'), width: 160, render: (_v, a) => a.homeGrid.name },
    {
      key: 'department',
      title: t('account.department'),
      width: 120,
      render: (_v, a) => (a.department ? localName(a.department.nameZh, a.department.nameEn) : '—'),
    },
    {
      key: 'email',
      title: t('account.email'),
      width: 200,
      render: (_v, a) =>
        a.email ? (
          <span data-testid={`account-email-${a.username}`}>
            <span className="gg-mono gg-break">{a.email}</span>
            {a.emailNotifications && (
              <Tooltip title={t('account.emailNotificationsOn')}>
                <MailOutlined
                  className="gg-ok-icon gg-email-on"
                  data-testid={`account-email-on-${a.username}`}
                />
              </Tooltip>
            )}
          </span>
        ) : (
          <span data-testid={`account-email-${a.username}`}>—</span>
        ),
    },
    {
      key: 'roles',
      title: t('account.roles'),
      width: 220,
      render: (_v, a) =>
        a.assignments.length === 0 ? (
          <Typography.Text type="secondary">{t('account.noRoles')}</Typography.Text>
        ) : (
          <Space size={[4, 4]} wrap>
            {a.assignments.map((as) => (
              <Tooltip key={as.id} title={t('account.atGrid', { grid: as.grid.name })}>
                <Tag>{as.role.name}</Tag>
              </Tooltip>
            ))}
          </Space>
        ),
    },
    {
      key: 'status',
      title: t('account.status'),
      width: 110,
      render: (_v, a) => (
        <Space size={4} wrap>
          <Tooltip
            title={
              a.status === 'locked' && a.lockedUntil
                ? t('account.lockedUntil', { at: formatDateTime(a.lockedUntil) })
                : a.status === 'disabled'
                  ? a.disabledReason
                  : undefined
            }
          >
            <Tag color={STATUS_COLORS[a.status]} data-testid={`status-${a.username}`}>
              {t(`account.statusName.${a.status}`)}
            </Tag>
          </Tooltip>
          {a.totpEnabled && (
            <Tooltip title={t('account.totpOn')}>
              <SafetyCertificateOutlined className="gg-ok-icon" />
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      key: 'lastActiveAt',
      title: t('account.lastActive'),
      width: 150,
      render: (_v, a) => formatDateTime(a.lastActiveAt),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: isMobile ? undefined : 'right',
      width: 170,
      render: (_v, a) => {
        const items = (
          [
            ['editEmail', a.abilities.update],
            ['disable', a.abilities.disable],
            ['enable', a.abilities.enable],
            ['unlock', a.abilities.unlock],
            ['resetPassword', a.abilities.resetPassword],
            ['resetTotp', a.abilities.resetTotp],
          ] as const
        )
          .filter(([, allowed]) => allowed)
          .map(([key]) => ({
            key,
            danger: key === 'disable',
            label: <span data-testid={`account-${key}`}>{t(`account.action.${key}`)}</span>,
          }));
        return (
          <Space size={4}>
            <Button
              size="small"
              onClick={() => setAssigningId(a.id)}
              data-testid={`account-roles-${a.username}`}
            >
              {t('account.roles')}
            </Button>
            {items.length > 0 && (
              <Dropdown trigger={['click']} menu={{ items, onClick: ({ key }) => run(a, key as RowAction) }}>
                <Button size="small" data-testid={`account-more-${a.username}`}>
                  {t('common.more')} <DownOutlined />
                </Button>
              </Dropdown>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <Card
      title={t('account.title')}
      extra={
        can('account.manage') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="account-create"
          >
            {t('account.create')}
          </Button>
        )
      }
    >
      <div className="gg-filters">
        <Input.Search
          allowClear
          placeholder={t('account.searchPlaceholder')}
          onSearch={(value) => {
            setQ(value.trim());
            setPage(1);
          }}
          data-testid="accounts-search"
          className="gg-filter-wide"
        />
        <Select<AccountStatus>
          allowClear
          placeholder={t('account.status')}
          value={status}
          onChange={(value) => {
            setStatus(value);
            setPage(1);
          }}
          options={ACCOUNT_STATUSES.map((s) => ({ value: s, label: t(`account.statusName.${s}`) }))}
          className="gg-filter"
        />
        <div className="gg-filter-wide">
          <GridTreeSelect
            allowClear
            placeholder={t('account.filterGrid')}
            value={gridId}
            onChange={(value) => {
              setGridId(value);
              setPage(1);
            }}
          />
        </div>
      </div>
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<Account>
          data-testid="accounts-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 1280 }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('common.total', { total }),
            onChange: setPage,
          }}
        />
      )}
      <CreateAccountModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(account, password) => {
          setCreating(false);
          setInitial({ username: account.username, password });
        }}
      />
      <InitialPasswordModal value={initial} onClose={() => setInitial(null)} />
      <DisableModal account={disabling} onClose={() => setDisabling(null)} />
      <EmailModal account={editingEmail} onClose={() => setEditingEmail(null)} />
      <AssignmentsDrawer accountId={assigningId} onClose={() => setAssigningId(null)} />
    </Card>
  );
}
