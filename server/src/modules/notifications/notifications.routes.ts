import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  MarkReadBody,
  MarkReadResult,
  NotificationPage,
  NotificationQuery,
} from '@gridgov/common/schemas/notifications';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { DbHandle } from '../../db/client.ts';
import { EventHub, startListener } from './notifications.live.ts';
import { presentNotification } from './notifications.presenter.ts';
import { listNotifications, liveSessions, markNotificationsRead } from './notifications.service.ts';

const EventStream = Type.Unsafe<Readable>({
  type: 'string',
  contentMediaType: 'text/event-stream',
  description:
    'Server-Sent Events: `event: notification` with `{kind, matterId}`; `event: resync` after missed events; ' +
    '`event: end` when the session is over; `: ping` comments as heartbeat',
});

export async function notificationRoutes(
  fastify: FastifyInstance,
  opts: { handle: DbHandle; config: Config },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['notifications'];
  const signedIn = { access: { permission: 'signed-in' as const } };

  const hub = new EventHub({
    heartbeatMs: opts.config.eventsHeartbeatMs,
    checkSessions: liveSessions,
    log: app.log,
  });
  const listener = await startListener(opts.handle, hub, app.log);
  app.addHook('preClose', async () => hub.close());
  app.addHook('onClose', async () => listener.stop());

  app.get(
    '/notifications',
    {
      schema: { tags, querystring: NotificationQuery, response: { 200: NotificationPage } },
      config: signedIn,
    },
    async (request) => {
      const page = await listNotifications(request.ctx, request.query);
      return { ...page, items: page.items.map(presentNotification) };
    },
  );

  app.post(
    '/notifications/read',
    { schema: { tags, body: MarkReadBody, response: { 200: MarkReadResult } }, config: signedIn },
    async (request) => markNotificationsRead(request.ctx, request.body),
  );

  app.get(
    '/events',
    { schema: { tags, response: { 200: EventStream } }, config: signedIn, exposeHeadRoute: false },
    async (request, reply) => {
      const stream = hub.subscribe(request.ctx);
      reply.raw.on('close', () => stream.destroy());
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('connection', 'close')
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  );
}
