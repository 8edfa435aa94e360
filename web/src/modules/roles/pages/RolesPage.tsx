import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Grid, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Role, useRoles } from '../../../api/roles.ts';
import { useCan } from '../../../app/auth.tsx';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalName } from '../../../components/useLocalName.ts';
import { RoleFormModal, type RoleFormMode } from '../components/RoleFormModal.tsx';
import { ROLE_KIND_COLORS } from '../kinds.ts';
import { permissionLabel } from '../permissionLabel.ts';

type Column = ColumnsType<Role>[number];

/** 角色与授权: built-in and custom roles with their permissions. */
export function RolesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const localName = useLocalName();
  const roles = useRoles();
  const isMobile = !Grid.useBreakpoint().md;
  const anyEditable = roles.data?.some((r) => r.abilities.update) ?? false;
  const [mode, setMode] = useState<RoleFormMode | null>(null);

  const all: (Column | false)[] = [
    {
      key: 'name',
      title: t('role.name'),
      width: isMobile ? 150 : 180,
      fixed: 'left',
      render: (_v, r) => (
        <div className="gg-cell-stack">
          <Typography.Text strong>{localName(r.name, r.nameEn)}</Typography.Text>
          {r.builtin && <Typography.Text type="secondary">{t('role.builtin')}</Typography.Text>}
          {isMobile && (
            <span>
              <Tag color={ROLE_KIND_COLORS[r.kind]}>{t(`roleKind.${r.kind}`)}</Tag>
            </span>
          )}
        </div>
      ),
    },
    !isMobile && {
      key: 'kind',
      title: t('role.kind'),
      width: 110,
      render: (_v, r) => <Tag color={ROLE_KIND_COLORS[r.kind]}>{t(`roleKind.${r.kind}`)}</Tag>,
    },
    {
      key: 'permissions',
      title: t('role.permissions'),
      render: (_v, r) => (
        <Space size={[4, 4]} wrap>
          {r.permissions.map((p) => (
            <Tooltip key={p} title={p}>
              <Tag>{permissionLabel(t, p)}</Tag>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    {
      key: 'description',
      title: t('role.description'),
      width: 220,
      render: (_v, r) => r.description || '—',
    },
    anyEditable && {
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      fixed: isMobile ? undefined : 'right',
      render: (_v, r) =>
        r.abilities.update ? (
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => setMode({ kind: 'edit', role: r })}
            data-testid={`role-edit-${r.id}`}
          >
            {t('common.edit')}
          </Button>
        ) : null,
    },
  ];
  const columns = all.filter((c): c is Column => c !== false);

  return (
    <Card
      title={t('role.title')}
      extra={
        can('role.manage') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setMode({ kind: 'create' })}
            data-testid="role-create"
          >
            {t('role.create')}
          </Button>
        )
      }
    >
      {roles.isError ? (
        <LoadError error={roles.error} onRetry={() => void roles.refetch()} />
      ) : (
        <Table<Role>
          data-testid="roles-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={roles.data ?? []}
          loading={roles.isFetching}
          pagination={false}
          scroll={{ x: 960 }}
        />
      )}
      <RoleFormModal mode={mode} onClose={() => setMode(null)} />
    </Card>
  );
}
