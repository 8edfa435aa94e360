import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  HolidayOverrides,
  NotificationSettings,
  NotificationSettingsBody,
} from '@gridgov/common/schemas/settings';
import type { FastifyInstance } from 'fastify';
import {
  getHolidayOverrides,
  getNotificationSettings,
  updateHolidayOverrides,
  updateNotificationSettings,
} from './settings.service.ts';

/** Deployment-wide settings of the system administrator: notification channels, holiday overrides. */
export async function settingsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['settings'];
  // Settings are deployment-wide: `settings.manage` held anywhere suffices (like category.manage).
  const manage = { access: { permission: 'settings.manage' as const } };

  app.get(
    '/settings/notifications',
    { schema: { tags, response: { 200: NotificationSettings } }, config: manage },
    (req) => getNotificationSettings(req.ctx),
  );
  app.put(
    '/settings/notifications',
    {
      schema: { tags, body: NotificationSettingsBody, response: { 200: NotificationSettings } },
      config: manage,
    },
    (req) => updateNotificationSettings(req.ctx, req.body),
  );
  app.get(
    '/settings/holidays',
    { schema: { tags, response: { 200: HolidayOverrides } }, config: manage },
    (req) => getHolidayOverrides(req.ctx.db),
  );
  app.put(
    '/settings/holidays',
    { schema: { tags, body: HolidayOverrides, response: { 200: HolidayOverrides } }, config: manage },
    (req) => updateHolidayOverrides(req.ctx, req.body),
  );
}
