import type {
  LoginBody,
  Me,
  PasswordChangeBody,
  StageResponse,
  UpdateMeBody,
} from '@gridgov/common/schemas/auth';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, reportUnauthorized, setCsrfToken } from './client.ts';

export const ME_KEY = ['auth', 'me'] as const;

export interface TotpEnrolment {
  secret: string;
  uri: string;
}

/** Whether this page has seen an active session, so that a later 401 reads as "the session timed out". */
let hadActiveSession = false;

/** The signed-in caller, `null` when there is no session (401). */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api<Me>('/auth/me', { ignoreUnauthorized: true });
    setCsrfToken(me.csrfToken);
    hadActiveSession = me.stage === 'active';
    return me;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      if (hadActiveSession) reportUnauthorized(error);
      hadActiveSession = false;
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

function stageCall(path: string, body?: unknown) {
  return api<StageResponse>(path, { method: 'POST', body, ignoreUnauthorized: true }).then((r) => {
    setCsrfToken(r.csrfToken);
    return r;
  });
}

export const signIn = (body: LoginBody) => stageCall('/auth/login', body);
export const verifyTotp = (code: string) => stageCall('/auth/totp', { code });
export const changePassword = (body: PasswordChangeBody) => stageCall('/auth/password', body);
export const confirmTotp = (code: string) => stageCall('/auth/totp/confirm', { code });
export const beginTotpEnrolment = () => api<TotpEnrolment>('/auth/totp/enrol', { method: 'POST' });

/** The caller's own e-mail address and e-mail notification switch (`PATCH /auth/me`). */
export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateMeBody) => api<Me>('/auth/me', { method: 'PATCH', body }),
    onSuccess: (me) => queryClient.setQueryData(ME_KEY, me),
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ ok: true }>('/auth/logout', { method: 'POST', ignoreUnauthorized: true }),
    onSettled: () => {
      hadActiveSession = false;
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(ME_KEY, null);
    },
  });
}
