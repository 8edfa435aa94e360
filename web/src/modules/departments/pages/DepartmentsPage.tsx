import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Department, useDepartments, useSaveDepartment } from '../../../api/departments.ts';
import { useCan } from '../../../app/auth.tsx';
import { useReportError } from '../../../app/errors.ts';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
}

type Mode = { kind: 'create' } | { kind: 'edit'; department: Department };

function DepartmentModal({ mode, onClose }: { mode: Mode | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = useLocalizedForm<Values>();
  const save = useSaveDepartment();
  const report = useReportError();

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    if (mode.kind === 'edit') {
      const { code, nameZh, nameEn } = mode.department;
      form.setFieldsValue({ code, nameZh, nameEn });
    }
  }, [mode, form]);

  const submit = async (values: Values) => {
    if (!mode) return;
    try {
      if (mode.kind === 'create') {
        await save.mutateAsync({
          code: values.code.trim(),
          nameZh: values.nameZh.trim(),
          nameEn: values.nameEn.trim(),
        });
      } else {
        await save.mutateAsync({
          id: mode.department.id,
          nameZh: values.nameZh.trim(),
          nameEn: values.nameEn.trim(),
        });
      }
      onClose();
    } catch (error) {
      report(error, form);
    }
  };

  return (
    <Modal
      open={mode !== null}
      title={mode?.kind === 'edit' ? t('department.editTitle') : t('department.createTitle')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional">
        <Form.Item
          name="code"
          label={t('department.code')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input disabled={mode?.kind === 'edit'} maxLength={32} data-testid="department-code" />
        </Form.Item>
        <Form.Item
          name="nameZh"
          label={t('department.nameZh')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={64} data-testid="department-name-zh" />
        </Form.Item>
        <Form.Item
          name="nameEn"
          label={t('department.nameEn')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={64} data-testid="department-name-en" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 部门: the functional departments (条) beside the grid tree (块). */
export function DepartmentsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const departments = useDepartments();
  const save = useSaveDepartment();
  const [mode, setMode] = useState<Mode | null>(null);
  const manage = can('department.manage');

  const toggle = (d: Department) =>
    modal.confirm({
      title: t(d.active ? 'department.confirmDeactivate' : 'department.confirmActivate', { name: d.nameZh }),
      okText: t('common.confirm'),
      okButtonProps: { danger: d.active },
      onOk: () =>
        save.mutateAsync({ id: d.id, active: !d.active }).then(
          () => void message.success(t('common.done')),
          (error: unknown) => report(error),
        ),
    });

  const columns: ColumnsType<Department> = [
    {
      key: 'code',
      title: t('department.code'),
      width: 120,
      render: (_v, d) => <span className="gg-mono">{d.code}</span>,
    },
    {
      key: 'nameZh',
      title: t('department.nameZh'),
      render: (_v, d) => <Typography.Text strong>{d.nameZh}</Typography.Text>,
    },
    { key: 'nameEn', title: t('department.nameEn'), render: (_v, d) => d.nameEn },
    {
      key: 'active',
      title: t('department.status'),
      width: 100,
      render: (_v, d) =>
        d.active ? (
          <Tag color="success">{t('department.active')}</Tag>
        ) : (
          <Tag>{t('department.inactive')}</Tag>
        ),
    },
    ...(departments.data?.some((d) => d.abilities.update)
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 170,
            render: (_v: unknown, d: Department) =>
              d.abilities.update && (
                <Space size={4}>
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    onClick={() => setMode({ kind: 'edit', department: d })}
                    data-testid={`department-edit-${d.code}`}
                  >
                    {t('common.edit')}
                  </Button>
                  <Button
                    size="small"
                    danger={d.active}
                    onClick={() => toggle(d)}
                    data-testid={`department-toggle-${d.code}`}
                  >
                    {d.active ? t('department.deactivate') : t('department.activate')}
                  </Button>
                </Space>
              ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('department.title')}
      extra={
        manage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setMode({ kind: 'create' })}
            data-testid="department-create"
          >
            {t('department.create')}
          </Button>
        )
      }
    >
      {departments.isError ? (
        <LoadError error={departments.error} onRetry={() => void departments.refetch()} />
      ) : (
        <Table<Department>
          data-testid="departments-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={departments.data ?? []}
          loading={departments.isFetching}
          pagination={false}
          scroll={{ x: 640 }}
        />
      )}
      <DepartmentModal mode={mode} onClose={() => setMode(null)} />
    </Card>
  );
}
