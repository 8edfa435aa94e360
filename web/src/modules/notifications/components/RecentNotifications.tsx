import { Button, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMarkRead, useNotifications } from '../../../api/notifications.ts';
import { LoadError } from '../../../components/Results.tsx';
import { NotificationList } from './NotificationList.tsx';

/** The workbench's latest notifications. */
export function RecentNotifications() {
  const { t } = useTranslation();
  const page = useNotifications(10);
  const markRead = useMarkRead();
  return (
    <Card
      size="small"
      title={t('notification.recent')}
      data-testid="workbench-notifications"
      extra={
        (page.data?.unread ?? 0) > 0 && (
          <Button
            size="small"
            type="link"
            loading={markRead.isPending}
            onClick={() => markRead.mutate({ all: true })}
          >
            {t('notification.markAll')}
          </Button>
        )
      }
    >
      {page.isError ? (
        <LoadError error={page.error} onRetry={() => void page.refetch()} />
      ) : (
        <NotificationList
          items={page.data?.items ?? []}
          loading={page.isPending}
          testId="workbench-notif-list"
        />
      )}
    </Card>
  );
}
