import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { DbHandle } from '../db/client.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { gridRoutes } from './grids/grids.routes.ts';
import { systemRoutes } from './system/system.routes.ts';

/** Every domain's routes, mounted under /api. */
export async function apiRoutes(
  app: FastifyInstance,
  opts: { handle: DbHandle; config: Config },
): Promise<void> {
  await app.register(systemRoutes);
  await app.register(authRoutes, { loginRateLimit: opts.config.loginRateLimit });
  await app.register(gridRoutes);
}
