import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import type { MatterFilters } from '../../../api/matters.ts';
import {
  type SavedView,
  useCreateSavedView,
  useDeleteSavedView,
  useSavedViews,
} from '../../../api/saved-views.ts';
import { useReportError } from '../../../app/errors.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { compact } from '../filters.ts';

const same = (a: MatterFilters, b: MatterFilters) =>
  JSON.stringify(compact(a)) === JSON.stringify(compact(b));

/** The caller's saved filter sets: pick one, save the current filters under a name, delete one. */
export function SavedViews({
  filters,
  onPick,
}: {
  filters: MatterFilters;
  onPick: (f: MatterFilters) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const views = useSavedViews();
  const create = useCreateSavedView();
  const remove = useDeleteSavedView();
  const [saving, setSaving] = useState(false);
  const [form] = useLocalizedForm<{ name: string }>();
  const [selected, setSelected] = useState<number | undefined>();

  // The picked view stays selected only while the filters are still its filters.
  const current = views.data?.find((v) => v.id === selected);
  useEffect(() => {
    if (current && !same(current.filters, filters)) setSelected(undefined);
  }, [current, filters]);

  const submit = async ({ name }: { name: string }) => {
    try {
      const view = await create.mutateAsync({ name: name.trim(), filters: compact(filters) });
      setSelected(view.id);
      setSaving(false);
      void message.success(t('savedView.saved'));
    } catch (error) {
      if (isApiError(error) && error.code === 'CONFLICT') {
        const nameTaken = (error.details as { field?: string } | undefined)?.field === 'body.name';
        form.setFields([
          { name: 'name', errors: [nameTaken ? t('savedView.nameTaken') : t('savedView.tooMany')] },
        ]);
        return;
      }
      report(error, form);
    }
  };

  const pick = (id: number | undefined) => {
    setSelected(id);
    const view = views.data?.find((v) => v.id === id);
    if (view) onPick(view.filters);
  };

  return (
    <Space wrap size={8} className="gg-saved-views">
      <Select<number>
        data-testid="saved-view-select"
        value={current?.id}
        onChange={pick}
        allowClear
        onClear={() => setSelected(undefined)}
        loading={views.isPending}
        placeholder={t('savedView.pick')}
        className="gg-saved-view-select"
        notFoundContent={t('savedView.none')}
        options={(views.data ?? []).map((v: SavedView) => ({ value: v.id, label: v.name }))}
      />
      {current && (
        <Popconfirm
          title={t('savedView.deleteConfirm', { name: current.name })}
          onConfirm={async () => {
            try {
              await remove.mutateAsync(current.id);
              setSelected(undefined);
            } catch (error) {
              report(error);
            }
          }}
        >
          <Button
            icon={<DeleteOutlined />}
            aria-label={t('savedView.delete')}
            data-testid="saved-view-delete"
          />
        </Popconfirm>
      )}
      <Button
        icon={<SaveOutlined />}
        onClick={() => {
          form.resetFields();
          setSaving(true);
        }}
        data-testid="saved-view-save"
      >
        {t('savedView.save')}
      </Button>
      <Modal
        open={saving}
        title={t('savedView.saveTitle')}
        onCancel={() => setSaving(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        okButtonProps={{ 'data-testid': 'saved-view-submit' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            name="name"
            label={t('savedView.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={64} data-testid="saved-view-name" autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
