import type {
  CreateDepartmentBody,
  Department,
  UpdateDepartmentBody,
} from '@gridgov/common/schemas/departments';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export type { Department };

export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: ['departments'],
    queryFn: () => api<Department[]>('/departments'),
    enabled,
  });
}

export function useSaveDepartment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      ...body
    }: (CreateDepartmentBody & { id?: undefined }) | (UpdateDepartmentBody & { id: number })) =>
      id === undefined
        ? api<Department>('/departments', { method: 'POST', body })
        : api<Department>(`/departments/${id}`, { method: 'PATCH', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['departments'] }),
  });
}
