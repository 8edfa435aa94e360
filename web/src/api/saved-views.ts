import type { CreateSavedViewBody, SavedView } from '@gridgov/common/schemas/saved-views';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export type { SavedView };

const KEY = ['saved-views'] as const;

export function useSavedViews() {
  return useQuery({ queryKey: KEY, queryFn: () => api<SavedView[]>('/saved-views') });
}

export function useCreateSavedView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSavedViewBody) => api<SavedView>('/saved-views', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteSavedView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<{ ok: true }>(`/saved-views/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}
