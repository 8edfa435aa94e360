import { useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchGridChildren, type GridNode, gridKeys, useGridRoots } from '../api/grids.ts';

interface FlatNode {
  id: number;
  pId: number | 0;
  value: number;
  title: string;
  isLeaf: boolean;
}

const flat = (g: GridNode, parent: number | 0): FlatNode => ({
  id: g.id,
  pId: parent,
  value: g.id,
  title: g.name,
  isLeaf: g.childCount === 0,
});

/** Picks a grid node from the caller's scope, loading the tree a level at a time. */
export function GridTreeSelect({
  value,
  onChange,
  placeholder,
  allowClear,
  known,
  testId,
}: {
  value?: number;
  onChange?: (value: number | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** A label for a value that may not be loaded yet (e.g. an account's home grid). */
  known?: { id: number; name: string };
  testId?: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roots = useGridRoots();
  const [loaded, setLoaded] = useState<FlatNode[]>([]);

  const treeData = useMemo(() => {
    const nodes = new Map<number, FlatNode>();
    for (const r of roots.data ?? []) nodes.set(r.id, flat(r, 0));
    for (const n of loaded) if (!nodes.has(n.id)) nodes.set(n.id, n);
    if (known && !nodes.has(known.id)) {
      nodes.set(known.id, { id: known.id, pId: 0, value: known.id, title: known.name, isLeaf: true });
    }
    return [...nodes.values()];
  }, [roots.data, loaded, known]);

  const loadData = async (node: { id?: number; value?: unknown }) => {
    const id = Number(node.value);
    const children = await queryClient.fetchQuery({
      queryKey: gridKeys.children(id),
      queryFn: () => fetchGridChildren(id),
    });
    setLoaded((prev) => [...prev, ...children.map((c) => flat(c, id))]);
  };

  return (
    <TreeSelect<number>
      data-testid={testId}
      treeDataSimpleMode
      treeData={treeData}
      loadData={loadData}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      placeholder={placeholder ?? t('grid.pick')}
      allowClear={allowClear}
      loading={roots.isPending}
      showSearch={{ treeNodeFilterProp: 'title' }}
      popupMatchSelectWidth={false}
      className="gg-full-width"
      styles={{ popup: { root: { maxHeight: 400, overflow: 'auto', minWidth: 240 } } }}
    />
  );
}
