import { Empty, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { type Notification, useMarkRead } from '../../../api/notifications.ts';
import { formatDateTime } from '../../../components/format.ts';

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
          <span className="gg-notif-title">{n.title}</span>
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
