import type { Permission } from '@gridgov/common/permissions';
import type { Me } from '@gridgov/common/schemas/auth';
import { useQueryClient } from '@tanstack/react-query';
import { App, Spin } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { ME_KEY, useMe } from '../api/auth.ts';
import { lastApiActivity, onUnauthorized, setCsrfToken } from '../api/client.ts';

export { useMe };

export function hasPermission(me: Me | null | undefined, permission: Permission): boolean {
  return !!me && me.permissions.includes(permission);
}

/** The signed-in caller; only for components rendered under `RequireAuth`. */
export function useSignedInMe(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useSignedInMe outside RequireAuth');
  return data;
}

export function useCan(): (permission: Permission) => boolean {
  const me = useSignedInMe();
  return (permission) => hasPermission(me, permission);
}

export interface LoginLocationState {
  from?: string;
}

/**
 * Set when a session ends under the user's feet, so the sign-in page can say why; cleared by the next
 * sign-in. Kept outside the router state because the redirect to /login races with the one of RequireAuth.
 */
let sessionExpired = false;
export const wasSessionExpired = (): boolean => sessionExpired;
export const clearSessionExpired = (): void => {
  sessionExpired = false;
};

export function FullPageSpin() {
  return (
    <div className="gg-full-center">
      <Spin size="large" />
    </div>
  );
}

/** Renders its children for an active session; anything else goes to the sign-in page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, isPending } = useMe();
  const location = useLocation();
  if (isPending) return <FullPageSpin />;
  if (me?.stage !== 'active') {
    const state: LoginLocationState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  return <>{children}</>;
}

/**
 * Ends the local session when the server answers 401 (idle or absolute timeout, signed out elsewhere),
 * and asks the server once the idle period has passed without any call, so a quiet screen does not
 * linger after its session has gone.
 */
export function SessionWatcher() {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { t } = useTranslation();

  useEffect(() => {
    onUnauthorized(() => {
      const me = queryClient.getQueryData<Me | null>(ME_KEY);
      if (!me) return;
      sessionExpired = true;
      setCsrfToken(null);
      queryClient.setQueryData(ME_KEY, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      void message.warning({ content: t('auth.sessionExpired'), key: 'session-expired' });
      // RequireAuth now sends the user to /login, remembering where they were.
    });
    return () => onUnauthorized(null);
  }, [queryClient, message, t]);

  useEffect(() => {
    const timer = window.setInterval(() => {
      const me = queryClient.getQueryData<Me | null>(ME_KEY);
      if (me?.stage !== 'active') return;
      const idleMs = me.idleMinutes * 60_000;
      if (idleMs > 0 && Date.now() - lastApiActivity() > idleMs + 15_000) {
        void queryClient.invalidateQueries({ queryKey: ME_KEY });
      }
    }, 30_000);
    return () => window.clearInterval(timer);
  }, [queryClient]);

  return null;
}
