import { Flex } from 'antd';
import { HolidaysCard } from '../components/HolidaysCard.tsx';
import { NotificationsCard } from '../components/NotificationsCard.tsx';

/** 系统设置 (settings.manage): the notification channels and the holiday overrides, each saved on its own. */
export function SystemSettingsPage() {
  return (
    <Flex vertical gap={16}>
      <NotificationsCard />
      <HolidaysCard />
    </Flex>
  );
}
