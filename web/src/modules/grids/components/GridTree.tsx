import { SearchOutlined } from '@ant-design/icons';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { AutoComplete, Empty, Input, Spin, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { type Key, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fetchGridChildren,
  type GridNode,
  gridKeys,
  useGridRoots,
  useGridSearch,
} from '../../../api/grids.ts';
import { LoadError } from '../../../components/Results.tsx';
import { useDebounced } from '../../../components/useDebounced.ts';
import { useLevelName } from '../levels.ts';

interface Props {
  selectedId: number | null;
  /** Ids from the top ancestor down to the selected node: these get expanded and scrolled to. */
  reveal: readonly number[];
  onSelect: (id: number) => void;
}

/** The caller's grid tree, loaded a level at a time, with a search box over the whole scope. */
export function GridTree({ selectedId, reveal, onSelect }: Props) {
  const { t } = useTranslation();
  const levelName = useLevelName();
  const queryClient = useQueryClient();
  const roots = useGridRoots();
  const [loadedIds, setLoadedIds] = useState<number[]>([]);
  const loaded = useRef(new Set<number>());
  // Children live in the query cache, so that an edit elsewhere (a new child) refreshes the tree.
  const childQueries = useQueries({
    queries: loadedIds.map((id) => ({
      queryKey: gridKeys.children(id),
      queryFn: () => fetchGridChildren(id),
    })),
  });
  const children = useMemo(() => {
    const map: Record<number, GridNode[]> = {};
    loadedIds.forEach((id, i) => {
      const data = childQueries[i]?.data;
      if (data) map[id] = data;
    });
    return map;
  }, [loadedIds, childQueries]);
  const [expanded, setExpanded] = useState<Key[]>([]);
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search.trim(), 300);
  const results = useGridSearch(debounced);
  const scroller = useRef<HTMLDivElement>(null);

  const loadChildren = useCallback(
    async (id: number) => {
      if (loaded.current.has(id)) return;
      await queryClient.fetchQuery({ queryKey: gridKeys.children(id), queryFn: () => fetchGridChildren(id) });
      loaded.current.add(id);
      setLoadedIds((prev) => (prev.includes(id) ? prev : [...prev, id]));
    },
    [queryClient],
  );

  const revealKey = reveal.join('/');
  useEffect(() => {
    const reveal = revealKey ? revealKey.split('/').map(Number) : [];
    const rootIds = new Set((roots.data ?? []).map((r) => r.id));
    const start = reveal.findIndex((id) => rootIds.has(id));
    if (start < 0) return;
    // The ancestors, and the selected node itself so that its children show.
    const chain = reveal.slice(start);
    let cancelled = false;
    void (async () => {
      for (const id of chain) await loadChildren(id).catch(() => undefined);
      if (cancelled) return;
      setExpanded((prev) => [...new Set([...prev, ...chain.map(String)])]);
      requestAnimationFrame(() => {
        const box = scroller.current;
        const el = box?.querySelector(`[data-grid-id="${reveal[reveal.length - 1]}"]`);
        if (!box || !el) return;
        const b = box.getBoundingClientRect();
        const e = el.getBoundingClientRect();
        if (e.top < b.top || e.bottom > b.bottom) box.scrollTop += e.top - b.top - b.height / 3;
      });
    })();
    return () => {
      cancelled = true;
    };
  }, [revealKey, roots.data, loadChildren]);

  const treeData = useMemo(() => {
    const build = (nodes: GridNode[]): DataNode[] =>
      nodes.map((n) => {
        const kids = children[n.id];
        return {
          key: String(n.id),
          title: (
            <span data-grid-id={n.id} className="gg-tree-title">
              {n.name}
            </span>
          ),
          isLeaf: n.childCount === 0,
          children: kids ? build(kids) : undefined,
        };
      });
    return build(roots.data ?? []);
  }, [roots.data, children]);

  const options = (results.data ?? []).map((g) => ({
    value: String(g.id),
    label: (
      <div className="gg-search-option">
        <span>{g.name}</span>
        <Typography.Text type="secondary" className="gg-search-meta">
          {levelName(g.level)} · {g.code}
        </Typography.Text>
      </div>
    ),
  }));

  return (
    <div className="gg-grid-tree" data-testid="grid-tree">
      <AutoComplete
        className="gg-full-width"
        value={search}
        options={options}
        onSearch={setSearch}
        onSelect={(value: string) => {
          setSearch('');
          onSelect(Number(value));
        }}
        notFoundContent={
          debounced && !results.isFetching ? (
            t('grid.searchEmpty')
          ) : results.isFetching ? (
            <Spin size="small" />
          ) : null
        }
      >
        <Input
          data-testid="grid-search"
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('grid.searchPlaceholder')}
        />
      </AutoComplete>
      <div className="gg-grid-tree-scroll" ref={scroller}>
        {roots.isPending ? (
          <Spin className="gg-block-spin" />
        ) : roots.isError ? (
          <LoadError error={roots.error} onRetry={() => void roots.refetch()} />
        ) : treeData.length === 0 ? (
          <Empty description={t('grid.noScope')} />
        ) : (
          <Tree
            blockNode
            treeData={treeData}
            selectedKeys={selectedId === null ? [] : [String(selectedId)]}
            expandedKeys={expanded}
            loadedKeys={loadedIds.map(String)}
            onExpand={(keys) => setExpanded(keys)}
            loadData={(node) => loadChildren(Number(node.key))}
            onSelect={(_keys, info) => onSelect(Number(info.node.key))}
          />
        )}
      </div>
    </div>
  );
}
