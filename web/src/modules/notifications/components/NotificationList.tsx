import { Empty, Spin, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { type Notification, useMarkRead } from '../../../api/notifications.ts';
import { formatDateTime } from '../../../components/format.ts';
import { i18n } from '../../../i18n/index.ts';
import type zhCN from '../../../i18n/zh-CN.json';

type NotificationKind = keyof (typeof zhCN)['notification']['kinds'];

/**
 * The entry's line in the reader's language: the label of its kind before the matter's code and title, else
 * the server's (zh-CN) title, for kinds this client does not know.
 */
export function notificationLine(n: Notification, t: TFunction): string {
  const kind = n.kind.replace('.', '_') as NotificationKind;
  if (!n.matter || !i18n.exists(`notification.kinds.${kind}`)) return n.title;
  const label = t(`notification.kinds.${kind}`);
  return t('notification.line', { label, code: n.matter.code, title: n.matter.title });
}

/** Inbox entries; opening one marks it read and goes to its matter. */
export function NotificationList({
  items,
  loading,
  onOpen,
  testId = 'notif-list',
}: {
  items: Notification[];
  loading: boolean;
  onOpen?: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const markRead = useMarkRead();

  const open = (n: Notification) => {
    if (!n.readAt) markRead.mutate({ ids: [n.id] });
    onOpen?.();
    if (n.matterId) navigate(`/matters/${n.matterId}`);
  };

  if (loading && items.length === 0) return <Spin className="gg-block-spin" />;
  if (items.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notification.none')} />;
  return (
    <div className="gg-notifs" data-testid={testId}>
      {items.map((n) => (
        <button
          type="button"
          key={n.id}
          className={`gg-notif${n.readAt ? '' : ' gg-notif-unread'}`}
          onClick={() => open(n)}
          data-testid={`notif-${n.id}`}
        >
          <span className="gg-notif-title">{notificationLine(n, t)}</span>
          {n.body && (
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} className="gg-notif-body">
              {n.body}
            </Typography.Paragraph>
          )}
          <span className="gg-notif-time">{formatDateTime(n.createdAt)}</span>
        </button>
      ))}
    </div>
  );
}
