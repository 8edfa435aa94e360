import type {
  HolidayOverrides,
  NotificationSettings,
  NotificationSettingsBody,
} from '@gridgov/common/schemas/settings';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export type { HolidayOverrides, NotificationSettings, NotificationSettingsBody };

const NOTIFICATIONS_KEY = ['settings', 'notifications'] as const;
const HOLIDAYS_KEY = ['settings', 'holidays'] as const;

/** The notification channels; the secrets only as `passwordSet` / `webhookSecretSet`. */
export function useNotificationSettings() {
  return useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => api<NotificationSettings>('/settings/notifications'),
  });
}

export function useSaveNotificationSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationSettingsBody) =>
      api<NotificationSettings>('/settings/notifications', { method: 'PUT', body }),
    onSuccess: (settings) => queryClient.setQueryData(NOTIFICATIONS_KEY, settings),
  });
}

/** The deployment's overrides of the built-in holiday schedule. */
export function useHolidayOverrides() {
  return useQuery({
    queryKey: HOLIDAYS_KEY,
    queryFn: () => api<HolidayOverrides>('/settings/holidays'),
  });
}

export function useSaveHolidayOverrides() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: HolidayOverrides) =>
      api<HolidayOverrides>('/settings/holidays', { method: 'PUT', body }),
    onSuccess: (overrides) => queryClient.setQueryData(HOLIDAYS_KEY, overrides),
  });
}
