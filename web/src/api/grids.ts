import type {
  CreateGridBody,
  GeometryCollection,
  GridDetail,
  GridDuty,
  GridLevelInfo,
  GridNode,
  UpdateGridBody,
} from '@gridgov/common/schemas/grids';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export type { GridLevel } from '@gridgov/common/schemas/grids';
export type { GridDetail, GridLevelInfo, GridNode };
export type StaffDuty = GridDuty;
/** The same list as GRID_DUTIES in common/, kept here so the bundle does not pull in the schema builder. */
export const STAFF_DUTIES: readonly StaffDuty[] = ['grid_worker', 'liaison', 'leader'];
export type GridFeatureProps = GeometryCollection['features'][number]['properties'];
export type GridGeometry = GeometryCollection;

export type NewGridBody = CreateGridBody;
export type GridPatch = UpdateGridBody;

export const gridKeys = {
  all: ['grids'] as const,
  roots: () => ['grids', 'roots'] as const,
  children: (id: number) => ['grids', 'children', id] as const,
  detail: (id: number) => ['grids', 'detail', id] as const,
  geometry: (id: number) => ['grids', 'geometry', id] as const,
  search: (q: string) => ['grids', 'search', q] as const,
};

export const fetchGridRoots = () => api<GridNode[]>('/grids/roots');
export const fetchGridChildren = (id: number) => api<GridNode[]>(`/grids/${id}/children`);

export function useGridLevels() {
  return useQuery({
    queryKey: ['grid-levels'],
    queryFn: () => api<GridLevelInfo[]>('/grid-levels'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useGridRoots() {
  return useQuery({ queryKey: gridKeys.roots(), queryFn: fetchGridRoots });
}

export function useGridSearch(q: string) {
  return useQuery({
    queryKey: gridKeys.search(q),
    queryFn: ({ signal }) => api<GridNode[]>('/grids/search', { query: { q }, signal }),
    enabled: q.trim().length > 0,
  });
}

export function useGrid(id: number | null) {
  return useQuery({
    queryKey: gridKeys.detail(id ?? 0),
    queryFn: () => api<GridDetail>(`/grids/${id}`),
    enabled: id !== null,
  });
}

export function useGridGeometry(id: number | null) {
  return useQuery({
    queryKey: gridKeys.geometry(id ?? 0),
    queryFn: () => api<GridGeometry>(`/grids/${id}/geometry`),
    enabled: id !== null,
    staleTime: 5 * 60_000,
  });
}

function useGridWrite<TVars>(fn: (vars: TVars) => Promise<GridDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (grid) => {
      queryClient.setQueryData(gridKeys.detail(grid.id), grid);
      void queryClient.invalidateQueries({ queryKey: gridKeys.all });
    },
  });
}

export const useCreateGrid = () =>
  useGridWrite((body: NewGridBody) => api<GridDetail>('/grids', { method: 'POST', body }));
export const useUpdateGrid = () =>
  useGridWrite(({ id, ...body }: GridPatch & { id: number }) =>
    api<GridDetail>(`/grids/${id}`, { method: 'PATCH', body }),
  );
export const useSetGridStaff = () =>
  useGridWrite(({ id, staff }: { id: number; staff: { accountId: number; duty: StaffDuty }[] }) =>
    api<GridDetail>(`/grids/${id}/staff`, { method: 'PUT', body: { staff } }),
  );

/** The grid under a point, among those the caller may see (`null` outside all of them). */
export function useGridLookup(location: [number, number] | null) {
  const [lng, lat] = location ?? [0, 0];
  return useQuery({
    queryKey: ['grids', 'lookup', lng, lat] as const,
    queryFn: ({ signal }) =>
      api<{ grid: GridNode | null }>('/grids/lookup', { query: { lng, lat }, signal }).then((r) => r.grid),
    enabled: location !== null,
    staleTime: 5 * 60_000,
  });
}
