import type { SecurityPolicy } from '@gridgov/common/schemas/policy';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export type { SecurityPolicy };

export function useSecurityPolicy() {
  return useQuery({ queryKey: ['security-policy'], queryFn: () => api<SecurityPolicy>('/security-policy') });
}

export function useSaveSecurityPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SecurityPolicy) => api<SecurityPolicy>('/security-policy', { method: 'PUT', body }),
    onSuccess: (policy) => {
      queryClient.setQueryData(['security-policy'], policy);
      void queryClient.invalidateQueries({ queryKey: ['auth', 'me'] });
    },
  });
}
