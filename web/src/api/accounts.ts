import type {
  Account,
  AccountListQuery,
  AccountPage,
  AccountStatus,
  Assignment,
  AssignRoleBody,
  CreateAccountBody,
  CreatedAccount,
  InitialPassword,
} from '@gridgov/common/schemas/accounts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export type { Account, AccountStatus, Assignment };

/** ACCOUNT_STATUSES of common/, without pulling the schema builder into the bundle. */
export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['active', 'locked', 'disabled'];

export type AccountFilter = Omit<AccountListQuery, 'limit' | 'offset'> & { limit: number; offset: number };
export type NewAccountBody = CreateAccountBody;

export const accountKeys = {
  all: ['accounts'] as const,
  list: (f: AccountFilter) => ['accounts', 'list', f] as const,
  detail: (id: number) => ['accounts', 'detail', id] as const,
};

export function useAccounts(filter: AccountFilter, enabled = true) {
  return useQuery({
    queryKey: accountKeys.list(filter),
    queryFn: ({ signal }) => api<AccountPage>('/accounts', { query: { ...filter }, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useAccount(id: number | null) {
  return useQuery({
    queryKey: accountKeys.detail(id ?? 0),
    queryFn: () => api<Account>(`/accounts/${id}`),
    enabled: id !== null,
  });
}

function useAccountWrite<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.all }),
  });
}

export const useCreateAccount = () =>
  useAccountWrite((body: NewAccountBody) => api<CreatedAccount>('/accounts', { method: 'POST', body }));

/** The system administrator sets (or, with null, clears) another account's e-mail address. */
export const useUpdateAccountEmail = () =>
  useAccountWrite(({ id, email }: { id: number; email: string | null }) =>
    api<Account>(`/accounts/${id}`, { method: 'PATCH', body: { email } }),
  );

export type AccountAction = 'enable' | 'unlock' | 'reset-totp';
export const useAccountAction = () =>
  useAccountWrite(({ id, action }: { id: number; action: AccountAction }) =>
    api<Account>(`/accounts/${id}/${action}`, { method: 'POST' }),
  );
export const useDisableAccount = () =>
  useAccountWrite(({ id, reason }: { id: number; reason: string }) =>
    api<Account>(`/accounts/${id}/disable`, { method: 'POST', body: { reason } }),
  );
export const useResetPassword = () =>
  useAccountWrite((id: number) => api<InitialPassword>(`/accounts/${id}/reset-password`, { method: 'POST' }));
export const useAddAssignment = () =>
  useAccountWrite(({ accountId, ...body }: AssignRoleBody & { accountId: number }) =>
    api<Account>(`/accounts/${accountId}/assignments`, { method: 'POST', body }),
  );
export const useRemoveAssignment = () =>
  useAccountWrite((id: number) => api<{ ok: true }>(`/assignments/${id}`, { method: 'DELETE' }));
