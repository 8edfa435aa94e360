import type { Notification } from '@gridgov/common/schemas/notifications';
import type { NotificationRow } from './notifications.repository.ts';

export function presentNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    matterId: row.matter_id,
    matter:
      row.matter_code !== null && row.matter_title !== null
        ? { code: row.matter_code, title: row.matter_title }
        : null,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}
