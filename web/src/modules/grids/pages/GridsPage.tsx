import { Col, Row } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { usePublicConfig } from '../../../api/config.ts';
import { type GridDetail, useGrid, useGridRoots } from '../../../api/grids.ts';
import { GridDetailPanel } from '../components/GridDetailPanel.tsx';
import { GridFormModal, type GridFormMode } from '../components/GridFormModal.tsx';
import { GridMap } from '../components/GridMap.tsx';
import { GridTree } from '../components/GridTree.tsx';
import { StaffModal } from '../components/StaffModal.tsx';

/** 网格: the tree, the map of the selected node and its children, and the node's details. */
export function GridsPage() {
  const [params, setParams] = useSearchParams();
  const fromUrl = Number(params.get('id'));
  const roots = useGridRoots();
  const selectedId = Number.isInteger(fromUrl) && fromUrl > 0 ? fromUrl : (roots.data?.[0]?.id ?? null);
  const detail = useGrid(selectedId);
  const { data: config } = usePublicConfig();
  const [formMode, setFormMode] = useState<GridFormMode | null>(null);
  const [staffGrid, setStaffGrid] = useState<GridDetail | null>(null);

  const select = (id: number) => setParams({ id: String(id) });

  // Land on the first root without leaving a history entry for it.
  useEffect(() => {
    if (!params.get('id') && selectedId !== null) setParams({ id: String(selectedId) }, { replace: true });
  }, [params, selectedId, setParams]);

  const grid = detail.data;
  const reveal = useMemo(() => (grid ? [...grid.ancestors.map((a) => a.id), grid.id] : []), [grid]);

  return (
    <>
      <Row gutter={[16, 16]} className="gg-grids">
        <Col xs={24} lg={7} xl={6}>
          <GridTree selectedId={selectedId} reveal={reveal} onSelect={select} />
        </Col>
        <Col xs={24} lg={17} xl={11}>
          <GridMap gridId={selectedId} tileUrl={config?.tileUrl ?? null} onSelect={select} />
        </Col>
        <Col xs={24} lg={24} xl={7}>
          <GridDetailPanel
            grid={grid}
            loading={selectedId !== null && detail.isPending}
            error={detail.error}
            onSelect={select}
            onAddChild={() => grid && setFormMode({ kind: 'create', parent: grid })}
            onEdit={() => grid && setFormMode({ kind: 'edit', grid })}
            onStaff={() => grid && setStaffGrid(grid)}
          />
        </Col>
      </Row>
      <GridFormModal
        mode={formMode}
        onClose={() => setFormMode(null)}
        onSaved={(saved) => {
          setFormMode(null);
          select(saved.id);
        }}
      />
      <StaffModal grid={staffGrid} onClose={() => setStaffGrid(null)} onSaved={() => setStaffGrid(null)} />
    </>
  );
}
