import { DeleteOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Drawer,
  Empty,
  Form,
  Grid,
  List,
  Popconfirm,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useAccount, useAddAssignment, useRemoveAssignment } from '../../../api/accounts.ts';
import { useDepartments } from '../../../api/departments.ts';
import { useRoles } from '../../../api/roles.ts';
import { useReportError } from '../../../app/errors.ts';
import { GridTreeSelect } from '../../../components/GridTreeSelect.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { useLocalName } from '../../../components/useLocalName.ts';
import { ROLE_KIND_COLORS } from '../../roles/kinds.ts';

interface Values {
  roleId: number;
  gridId: number;
  departmentId?: number;
}

/** An account's role assignments (role × grid × optional department): list, add, remove. */
export function AssignmentsDrawer({ accountId, onClose }: { accountId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const [form] = useLocalizedForm<Values>();
  const { data: account } = useAccount(accountId);
  const canAssign = account?.abilities.assignRoles ?? false;
  const roles = useRoles(canAssign);
  const departments = useDepartments(canAssign);
  const add = useAddAssignment();
  const remove = useRemoveAssignment();
  const localName = useLocalName();
  const report = useReportError();

  const submit = async (values: Values) => {
    if (!account) return;
    try {
      await add.mutateAsync({ accountId: account.id, ...values });
      form.resetFields();
      void message.success(t('account.assignDone'));
    } catch (error) {
      report(error, form);
    }
  };

  const roleName = (id: number) => {
    const role = roles.data?.find((r) => r.id === id);
    return role ? localName(role.name, role.nameEn) : undefined;
  };

  return (
    <Drawer
      open={accountId !== null}
      onClose={onClose}
      size={screens.md ? 520 : '100%'}
      title={
        account ? t('account.assignmentsTitle', { name: account.displayName }) : t('account.assignments')
      }
      data-testid="assignments-drawer"
    >
      <List
        data-testid="assignments-list"
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('account.noRoles')} />,
        }}
        dataSource={account?.assignments ?? []}
        renderItem={(a) => (
          <List.Item
            actions={
              canAssign
                ? [
                    <Popconfirm
                      key="remove"
                      title={t('account.removeAssignmentConfirm')}
                      okText={t('common.remove')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() =>
                        remove.mutateAsync(a.id).then(
                          () => void message.success(t('account.removeDone')),
                          (error: unknown) => report(error),
                        )
                      }
                    >
                      <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.remove')} />
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space size={6} wrap>
                  <span>{roleName(a.role.id) ?? a.role.name}</span>
                  <Tag color={ROLE_KIND_COLORS[a.role.kind]}>{t(`roleKind.${a.role.kind}`)}</Tag>
                </Space>
              }
              description={
                <span>
                  {t('account.atGrid', { grid: a.grid.name })}
                  {a.department ? ` · ${localName(a.department.nameZh, a.department.nameEn)}` : ''}
                </span>
              }
            />
          </List.Item>
        )}
      />
      {canAssign && (
        <Card size="small" title={t('account.addAssignment')} className="gg-assign-card">
          <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional">
            <Form.Item
              name="roleId"
              label={t('account.role')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select
                data-testid="assign-role"
                loading={roles.isPending}
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('account.pickRole')}
                options={(roles.data ?? []).map((r) => ({
                  value: r.id,
                  label: `${localName(r.name, r.nameEn)} · ${t(`roleKind.${r.kind}`)}`,
                }))}
              />
            </Form.Item>
            <Form.Item
              name="gridId"
              label={t('account.grid')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <GridTreeSelect testId="assign-grid" />
            </Form.Item>
            <Form.Item
              name="departmentId"
              label={t('account.department')}
              extra={t('account.departmentHint')}
            >
              <Select
                data-testid="assign-department"
                allowClear
                placeholder={t('account.noDepartment')}
                options={(departments.data ?? [])
                  .filter((d) => d.active)
                  .map((d) => ({ value: d.id, label: localName(d.nameZh, d.nameEn) }))}
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              loading={add.isPending}
              data-testid="assign-submit"
              block
            >
              {t('account.assign')}
            </Button>
          </Form>
        </Card>
      )}
      {account && !canAssign && (
        <Typography.Paragraph type="secondary" className="gg-muted-note">
          {t('account.assignNotAllowed')}
        </Typography.Paragraph>
      )}
    </Drawer>
  );
}
