import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { DbHandle } from '../db/client.ts';
import { localStorageFor } from '../lib/storage.ts';
import { accountRoutes } from './accounts/accounts.routes.ts';
import { attachmentRoutes } from './attachments/attachments.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { departmentRoutes } from './departments/departments.routes.ts';
import { gridRoutes } from './grids/grids.routes.ts';
import { matterQueryRoutes } from './matters/matters.query.routes.ts';
import { matterRoutes } from './matters/matters.routes.ts';
import { notificationRoutes } from './notifications/notifications.routes.ts';
import { policyRoutes } from './policy/policy.routes.ts';
import { roleRoutes } from './roles/roles.routes.ts';
import { settingsRoutes } from './settings/settings.routes.ts';
import { supervisionRoutes } from './supervision/supervision.routes.ts';
import { systemRoutes } from './system/system.routes.ts';

/** Every domain's routes, mounted under /api. */
export async function apiRoutes(
  app: FastifyInstance,
  opts: { handle: DbHandle; config: Config },
): Promise<void> {
  await app.register(systemRoutes);
  await app.register(authRoutes, { loginRateLimit: opts.config.loginRateLimit });
  await app.register(gridRoutes);
  await app.register(auditRoutes);
  await app.register(accountRoutes);
  await app.register(roleRoutes);
  await app.register(departmentRoutes);
  await app.register(policyRoutes);
  await app.register(settingsRoutes);
  await app.register(matterQueryRoutes);
  await app.register(attachmentRoutes, { storage: localStorageFor(opts.config.dataDir) });
  await app.register(supervisionRoutes);
  await app.register(notificationRoutes, { handle: opts.handle, config: opts.config });
  await app.register(matterRoutes);
}
