import { EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Descriptions, Empty, List, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { GridDetail } from '../../../api/grids.ts';
import { LoadError } from '../../../components/Results.tsx';
import { useLevelName } from '../levels.ts';

interface Props {
  grid: GridDetail | undefined;
  loading: boolean;
  error: unknown;
  onSelect: (id: number) => void;
  onAddChild: () => void;
  onEdit: () => void;
  onStaff: () => void;
}

const DUTY_COLORS = { leader: 'red', liaison: 'blue', grid_worker: 'green' } as const;

/** Code, name, level, households, staff and the way up, with the actions the caller may take. */
export function GridDetailPanel({ grid, loading, error, onSelect, onAddChild, onEdit, onStaff }: Props) {
  const { t } = useTranslation();
  const levelName = useLevelName();

  if (error) return <LoadError error={error} />;
  if (loading || !grid) {
    return (
      <Card data-testid="grid-detail">
        {loading ? <Skeleton active /> : <Empty description={t('grid.selectHint')} />}
      </Card>
    );
  }

  const actions = [
    grid.abilities.addChild && (
      <Button key="add" icon={<PlusOutlined />} onClick={onAddChild} data-testid="grid-add-child">
        {t('grid.addChild')}
      </Button>
    ),
    grid.abilities.update && (
      <Button key="edit" icon={<EditOutlined />} onClick={onEdit} data-testid="grid-edit">
        {t('common.edit')}
      </Button>
    ),
    grid.abilities.manageStaff && (
      <Button key="staff" icon={<TeamOutlined />} onClick={onStaff} data-testid="grid-staff">
        {t('grid.staff')}
      </Button>
    ),
  ].filter(Boolean);

  return (
    <Card
      data-testid="grid-detail"
      className="gg-grid-detail"
      title={
        <Space size={8} wrap>
          <span>{grid.name}</span>
          <Tag color="blue">{levelName(grid.level)}</Tag>
        </Space>
      }
    >
      <Breadcrumb
        className="gg-grid-breadcrumb"
        data-testid="grid-breadcrumb"
        items={[
          ...grid.ancestors.map((a) => ({
            key: a.id,
            title: (
              <Typography.Link onClick={() => onSelect(a.id)} data-testid={`crumb-${a.id}`}>
                {a.name}
              </Typography.Link>
            ),
          })),
          { key: grid.id, title: grid.name },
        ]}
      />
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          {
            key: 'code',
            label: t('grid.code'),
            children: <Typography.Text copyable>{grid.code}</Typography.Text>,
          },
          { key: 'name', label: t('grid.name'), children: grid.name },
          { key: 'level', label: t('grid.level'), children: levelName(grid.level) },
          { key: 'households', label: t('grid.households'), children: grid.households.toLocaleString() },
          { key: 'children', label: t('grid.childCount'), children: grid.childCount },
        ]}
      />
      <Typography.Title level={5} className="gg-section-title">
        {t('grid.staffTitle')}
      </Typography.Title>
      {grid.staff.length === 0 ? (
        <Typography.Text type="secondary">{t('grid.noStaff')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={grid.staff}
          renderItem={(s) => (
            <List.Item>
              <span>{s.displayName}</span>
              <Tag color={DUTY_COLORS[s.duty]}>{t(`duty.${s.duty}`)}</Tag>
            </List.Item>
          )}
        />
      )}
      {actions.length > 0 && (
        <Space wrap className="gg-detail-actions">
          {actions}
        </Space>
      )}
    </Card>
  );
}
