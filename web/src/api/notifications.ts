import type { MarkReadBody, MarkReadResult, NotificationPage } from '@gridgov/common/schemas/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export type { Notification, NotificationPage } from '@gridgov/common/schemas/notifications';

export const notificationKeys = {
  all: ['notifications'] as const,
  page: (unread: boolean, limit: number) => ['notifications', 'page', unread, limit] as const,
  unread: () => ['notifications', 'unread'] as const,
};

/** The caller's inbox, newest first. */
export function useNotifications(limit = 20, enabled = true) {
  return useQuery({
    queryKey: notificationKeys.page(false, limit),
    queryFn: ({ signal }) => api<NotificationPage>('/notifications', { query: { limit }, signal }),
    enabled,
  });
}

/**
 * How many entries are unread (the bell). Live events refresh it; there is deliberately no polling, since
 * every API call renews the session and polling would defeat the idle timeout.
 */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread(),
    queryFn: ({ signal }) =>
      api<NotificationPage>('/notifications', { query: { unread: true, limit: 1 }, signal }).then(
        (p) => p.unread,
      ),
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MarkReadBody) => api<MarkReadResult>('/notifications/read', { method: 'POST', body }),
    onSuccess: (result) => {
      queryClient.setQueryData(notificationKeys.unread(), result.unread);
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}
