import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Form, Modal, Select, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type GridDetail, STAFF_DUTIES, type StaffDuty, useSetGridStaff } from '../../../api/grids.ts';
import { useReportError } from '../../../app/errors.ts';
import { AccountSelect } from '../../../components/AccountSelect.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

interface Values {
  staff: { accountId?: number; duty: StaffDuty }[];
}

/** Replaces the node's responsible staff (who, with which duty). */
export function StaffModal({
  grid,
  onClose,
  onSaved,
}: {
  grid: GridDetail | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [form] = useLocalizedForm<Values>();
  const save = useSetGridStaff();
  const report = useReportError();

  useEffect(() => {
    if (!grid) return;
    form.setFieldsValue({ staff: grid.staff.map((s) => ({ accountId: s.accountId, duty: s.duty })) });
  }, [grid, form]);

  const known = (grid?.staff ?? []).map((s) => ({ id: s.accountId, label: s.displayName }));

  const submit = async (values: Values) => {
    if (!grid) return;
    try {
      await save.mutateAsync({
        id: grid.id,
        staff: values.staff
          .filter((s): s is { accountId: number; duty: StaffDuty } => s.accountId !== undefined)
          .map((s) => ({ accountId: s.accountId, duty: s.duty })),
      });
      onSaved();
    } catch (error) {
      report(error, form);
    }
  };

  return (
    <Modal
      open={grid !== null}
      title={t('grid.staffEditTitle', { name: grid?.name ?? '' })}
      okText={t('common.save')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      width={560}
    >
      <Form form={form} onFinish={submit} layout="vertical">
        <Form.List name="staff">
          {(fields, { add, remove }) => (
            <>
              {fields.length === 0 && (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('grid.noStaff')} />
              )}
              {fields.map((field) => (
                <Space key={field.key} align="start" className="gg-staff-row">
                  <Form.Item
                    name={[field.name, 'accountId']}
                    rules={[{ required: true, message: t('common.required') }]}
                    className="gg-staff-account"
                  >
                    <AccountSelect known={known} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'duty']}
                    rules={[{ required: true, message: t('common.required') }]}
                  >
                    <Select
                      className="gg-staff-duty"
                      options={STAFF_DUTIES.map((d) => ({ value: d, label: t(`duty.${d}`) }))}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('common.remove')}
                    onClick={() => remove(field.name)}
                  />
                </Space>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                onClick={() => add({ duty: 'grid_worker' })}
              >
                {t('grid.addStaff')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
