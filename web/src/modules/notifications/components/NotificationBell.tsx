import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Grid, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMarkRead, useNotifications, useUnreadCount } from '../../../api/notifications.ts';
import { NotificationList } from './NotificationList.tsx';

/** The header bell: unread count, and the inbox in a popover (a drawer on a phone). */
export function NotificationBell() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount();
  const page = useNotifications(20, open);
  const markRead = useMarkRead();
  const count = unread.data ?? 0;

  const head = (
    <div className="gg-notif-head">
      <Typography.Text strong>{t('notification.title')}</Typography.Text>
      {count > 0 && (
        <Button
          size="small"
          type="link"
          loading={markRead.isPending}
          onClick={() => markRead.mutate({ all: true })}
          data-testid="notif-read-all"
        >
          {t('notification.markAll')}
        </Button>
      )}
    </div>
  );
  const body = (
    <NotificationList items={page.data?.items ?? []} loading={page.isPending} onOpen={() => setOpen(false)} />
  );

  const bell = (
    <Button
      type="text"
      aria-label={t('notification.bell', { n: count })}
      data-testid="notif-bell"
      data-unread={count}
      onClick={phone ? () => setOpen(true) : undefined}
      className="gg-bell"
    >
      <Badge
        size="small"
        offset={[2, -2]}
        count={
          count > 0 ? (
            <span className="gg-notif-count" data-testid="notif-count">
              {count > 99 ? '99+' : count}
            </span>
          ) : (
            0
          )
        }
      >
        <BellOutlined className="gg-bell-icon" />
      </Badge>
    </Button>
  );

  if (phone) {
    return (
      <>
        {bell}
        <Drawer
          open={open}
          onClose={() => setOpen(false)}
          placement="right"
          size={320}
          title={head}
          styles={{ body: { padding: 0 } }}
        >
          {body}
        </Drawer>
      </>
    );
  }
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={head}
      content={<div className="gg-notif-pop">{body}</div>}
      arrow={false}
    >
      {bell}
    </Popover>
  );
}
