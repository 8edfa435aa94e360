import type { CreateRoleBody, PermissionInfo, Role, RoleKind } from '@gridgov/common/schemas/roles';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export type { PermissionInfo, Role, RoleKind };
export type RoleBody = CreateRoleBody;

export function useRoles(enabled = true) {
  return useQuery({ queryKey: ['roles'], queryFn: () => api<Role[]>('/roles'), enabled });
}

export function usePermissionCatalogue() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => api<PermissionInfo[]>('/permissions'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSaveRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: RoleBody & { id?: number }) =>
      id === undefined
        ? api<Role>('/roles', { method: 'POST', body })
        : api<Role>(`/roles/${id}`, { method: 'PATCH', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['roles'] }),
  });
}
