import type { GridPolygon } from '@gridgov/common/schemas/grids';
import { Form, Input, InputNumber, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type GridDetail, useCreateGrid, useUpdateGrid } from '../../../api/grids.ts';
import { useReportError } from '../../../app/errors.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

interface Values {
  code?: string;
  name: string;
  households?: number | null;
  polygon?: string;
}

export type GridFormMode = { kind: 'create'; parent: GridDetail } | { kind: 'edit'; grid: GridDetail };

/** Accepts a GeoJSON Polygon/MultiPolygon, or a Feature holding one. */
function parsePolygon(text: string): GridPolygon {
  const value = JSON.parse(text) as { type?: string; geometry?: { type?: string } };
  const geometry = value.type === 'Feature' ? value.geometry : value;
  if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon') throw new Error('not a polygon');
  return geometry as GridPolygon;
}

/** Add a child node under `parent`, or edit a node's name, households and boundary. */
export function GridFormModal({
  mode,
  onClose,
  onSaved,
}: {
  mode: GridFormMode | null;
  onClose: () => void;
  onSaved: (grid: GridDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = useLocalizedForm<Values>();
  const create = useCreateGrid();
  const update = useUpdateGrid();
  const report = useReportError();

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    if (mode.kind === 'edit') form.setFieldsValue({ name: mode.grid.name, households: mode.grid.households });
  }, [mode, form]);

  const submit = async (values: Values) => {
    if (!mode) return;
    const polygon = values.polygon?.trim() ? parsePolygon(values.polygon) : undefined;
    try {
      const grid =
        mode.kind === 'create'
          ? await create.mutateAsync({
              parentId: mode.parent.id,
              code: (values.code ?? '').trim(),
              name: values.name.trim(),
              households: values.households ?? undefined,
              polygon,
            })
          : await update.mutateAsync({
              id: mode.grid.id,
              name: values.name.trim(),
              households: values.households ?? undefined,
              polygon,
            });
      onSaved(grid);
    } catch (error) {
      report(error, form);
    }
  };

  return (
    <Modal
      open={mode !== null}
      title={
        mode?.kind === 'create'
          ? t('grid.addChildTitle', { parent: mode.parent.name })
          : t('grid.editTitle', { name: mode?.grid.name ?? '' })
      }
      okText={t('common.save')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional">
        {mode?.kind === 'create' && (
          <Form.Item
            name="code"
            label={t('grid.code')}
            extra={t('grid.codeHint', { parent: mode.parent.code })}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input data-testid="grid-form-code" maxLength={32} />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t('grid.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="grid-form-name" maxLength={64} />
        </Form.Item>
        <Form.Item name="households" label={t('grid.households')}>
          <InputNumber min={0} max={10_000_000} precision={0} className="gg-full-width" />
        </Form.Item>
        <Form.Item
          name="polygon"
          label={t('grid.polygon')}
          extra={mode?.kind === 'edit' ? t('grid.polygonKeep') : t('grid.polygonHint')}
          rules={[
            {
              validator: (_r, value: string | undefined) => {
                if (!value?.trim()) return Promise.resolve();
                try {
                  parsePolygon(value);
                  return Promise.resolve();
                } catch {
                  return Promise.reject(new Error(t('grid.polygonInvalid')));
                }
              },
            },
          ]}
        >
          <Input.TextArea rows={4} placeholder={t('grid.polygonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
