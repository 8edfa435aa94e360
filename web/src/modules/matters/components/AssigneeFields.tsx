import { BulbOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Form, type FormInstance, Select, Space, Tag, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCategories } from '../../../api/categories.ts';
import { useDepartments } from '../../../api/departments.ts';
import { fetchGridChildren, type GridNode, gridKeys, useGrid } from '../../../api/grids.ts';
import type { MatterDetail } from '../../../api/matters.ts';
import { useLocalName } from '../../../components/useLocalName.ts';
import { useLevelName } from '../../grids/levels.ts';

export interface AssigneeValues {
  gridId?: number;
  departmentId?: number;
}

interface Suggestion {
  key: string;
  label: string;
  kind: 'department' | 'grid';
  values: AssigneeValues;
}

type MatterRefs = Pick<MatterDetail, 'owner' | 'grid' | 'category'>;

/**
 * Where a matter would usually go: the category's default department, and the place's village and
 * grid when they lie below the owning level (a grid target must be the owner or below it).
 */
export function useDispatchSuggestions(matter: MatterRefs | undefined): Suggestion[] {
  const name = useLocalName();
  const levelName = useLevelName();
  const categories = useCategories(matter !== undefined);
  const departments = useDepartments(matter !== undefined);
  const place = useGrid(matter?.grid.id ?? null);
  if (!matter) return [];
  const out: Suggestion[] = [];
  const code = categories.data?.find((c) => c.id === matter.category.id)?.defaultDepartmentCode;
  const department = code ? departments.data?.find((d) => d.code === code && d.active) : undefined;
  if (department) {
    out.push({
      key: `d${department.id}`,
      kind: 'department',
      label: name(department.nameZh, department.nameEn),
      values: { departmentId: department.id },
    });
  }
  const grid = place.data;
  if (grid) {
    const chain = [...grid.ancestors, { id: grid.id, name: grid.name, level: grid.level }];
    const ownerAt = chain.findIndex((g) => g.id === matter.owner.id);
    if (ownerAt >= 0) {
      for (const g of chain.slice(ownerAt + 1)) {
        if (g.level !== 'village' && g.level !== 'grid' && g.level !== 'micro_grid') continue;
        out.push({
          key: `g${g.id}`,
          kind: 'grid',
          label: `${g.name} · ${levelName(g.level)}`,
          values: { gridId: g.id },
        });
      }
    }
  }
  return out;
}

interface TreeNode {
  id: number;
  pId: number;
  value: number;
  title: string;
  isLeaf: boolean;
}

/** A grid at or below the owning level, loaded a level at a time from the owner down. */
function OwnerGridSelect({
  owner,
  value,
  onChange,
  extra,
}: {
  owner: { id: number; name: string };
  value?: number;
  onChange?: (v: number | undefined) => void;
  extra: { id: number; name: string }[];
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [loaded, setLoaded] = useState<TreeNode[]>([]);
  const nodes = new Map<number, TreeNode>();
  nodes.set(owner.id, { id: owner.id, pId: 0, value: owner.id, title: owner.name, isLeaf: false });
  for (const n of loaded) nodes.set(n.id, n);
  for (const e of extra) {
    if (!nodes.has(e.id))
      nodes.set(e.id, { id: e.id, pId: owner.id, value: e.id, title: e.name, isLeaf: true });
  }
  const loadData = async (node: { value?: unknown }) => {
    const id = Number(node.value);
    const children = await queryClient.fetchQuery({
      queryKey: gridKeys.children(id),
      queryFn: () => fetchGridChildren(id),
    });
    setLoaded((prev) => [
      ...prev.filter((p) => !children.some((c) => c.id === p.id)),
      ...children.map((c: GridNode) => ({
        id: c.id,
        pId: id,
        value: c.id,
        title: c.name,
        isLeaf: c.childCount === 0,
      })),
    ]);
  };
  return (
    <TreeSelect<number>
      data-testid="dispatch-grid"
      treeDataSimpleMode
      treeData={[...nodes.values()]}
      loadData={loadData}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      placeholder={t('dispatch.pickGrid')}
      popupMatchSelectWidth={false}
      className="gg-full-width"
    />
  );
}

/**
 * The dispatch target: a grid below the owning level and/or a department, with one-tap suggestions.
 * Lives inside a Form; the fields are `assignee.gridId` and `assignee.departmentId`.
 */
export function AssigneeFields({ matter, form }: { matter: MatterRefs; form: FormInstance }) {
  const { t } = useTranslation();
  const name = useLocalName();
  const departments = useDepartments();
  const suggestions = useDispatchSuggestions(matter);
  const gridId = Form.useWatch(['assignee', 'gridId'], form) as number | undefined;
  const departmentId = Form.useWatch(['assignee', 'departmentId'], form) as number | undefined;
  const gridExtras = suggestions
    .filter((s) => s.kind === 'grid' && s.values.gridId)
    .map((s) => ({ id: s.values.gridId ?? 0, name: s.label }));

  return (
    <>
      {suggestions.length > 0 && (
        <div className="gg-suggestions" data-testid="dispatch-suggestions">
          <Typography.Text type="secondary" className="gg-small">
            <BulbOutlined /> {t('dispatch.suggested')}
          </Typography.Text>
          <Space size={[6, 6]} wrap>
            {suggestions.map((s) => {
              const on =
                s.kind === 'department' ? departmentId === s.values.departmentId : gridId === s.values.gridId;
              return (
                <Tag.CheckableTag
                  key={s.key}
                  checked={on}
                  data-testid={`dispatch-suggestion-${s.key}`}
                  onChange={(checked) =>
                    form.setFieldValue(
                      ['assignee', s.kind === 'department' ? 'departmentId' : 'gridId'],
                      checked ? (s.values.departmentId ?? s.values.gridId) : undefined,
                    )
                  }
                  className="gg-suggestion"
                >
                  {s.label}
                </Tag.CheckableTag>
              );
            })}
          </Space>
        </div>
      )}
      <Form.Item
        name={['assignee', 'departmentId']}
        label={t('dispatch.department')}
        dependencies={[['assignee', 'gridId']]}
        rules={[
          {
            validator: (_r, v) =>
              v || form.getFieldValue(['assignee', 'gridId'])
                ? Promise.resolve()
                : Promise.reject(new Error(t('dispatch.targetRequired'))),
          },
        ]}
      >
        <Select<number>
          data-testid="dispatch-department"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          loading={departments.isPending}
          placeholder={t('dispatch.pickDepartment')}
          options={(departments.data ?? [])
            .filter((d) => d.active)
            .map((d) => ({ value: d.id, label: name(d.nameZh, d.nameEn) }))}
        />
      </Form.Item>
      <Form.Item
        name={['assignee', 'gridId']}
        label={t('dispatch.grid')}
        extra={t('dispatch.gridHint', { owner: matter.owner.name })}
      >
        <OwnerGridSelect owner={matter.owner} extra={gridExtras} />
      </Form.Item>
    </>
  );
}
