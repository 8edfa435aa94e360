import { existsSync } from 'node:fs';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { Config } from './config.ts';
import type { DbHandle } from './db/client.ts';
import type { Clock } from './lib/clock.ts';
import { systemClock } from './lib/clock.ts';
import { apiRoutes } from './modules/index.ts';
import { authPlugin } from './plugins/auth.ts';
import { errorsPlugin } from './plugins/errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered, for the inventory test. */
    routeInventory: RouteOptions[];
  }
}

export interface AppOptions {
  handle: DbHandle;
  config: Config;
  clock?: Clock;
  /** pino options, or false for no logging (tests). */
  logger?: boolean | Record<string, unknown>;
}

/** Personal values never reach the logs: bodies are not logged and these headers are redacted. */
const REDACT = ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { handle, config } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: config.logLevel, redact: REDACT, ...(options.logger === true ? {} : options.logger) },
    trustProxy: config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  });
  const inventory: RouteOptions[] = [];
  app.decorate('routeInventory', inventory);
  app.addHook('onRoute', (route) => {
    inventory.push(route);
    const url = route.url ?? '';
    if (url.startsWith('/api/') && !url.startsWith('/api/docs') && !route.config?.access) {
      throw new Error(`route ${route.method} ${url} declares no access (config.access)`);
    }
  });
  await app.register(errorsPlugin);
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        // County intranets often serve plain HTTP by address; upgrading would break every asset there.
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: false,
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'gridgov API', version: '0.1.0', description: '网格治理平台 API' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'gg_sid' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  await app.register(authPlugin, { db: handle.db, clock, config });
  await app.register(apiRoutes, { prefix: '/api', handle, config });

  if (existsSync(config.webDist)) {
    await app.register(fastifyStatic, { root: config.webDist, wildcard: false });
    app.get('/*', { config: { access: { public: true } }, schema: { hide: true } }, (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  }
  return app;
}
