import type { Permission } from '@gridgov/common/permissions';
import type { SessionStage } from '@gridgov/common/schemas/auth';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { holdsPermission } from '../lib/access.ts';
import { AppError } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { MINUTE } from '../lib/clock.ts';
import type { Actor, Ctx } from '../lib/context.ts';
import { deleteSession, findSessionWithAccount, loadGrants } from '../modules/auth/auth.repository.ts';
import { sessionIdOf } from '../modules/auth/auth.service.ts';
import { loadPolicy } from '../modules/auth/policy.ts';

export const SESSION_COOKIE = 'gg_sid';

/**
 * Every route says who may call it: `public`, any signed-in session (`signed-in`), or a permission
 * the caller must hold somewhere (a list: any one of them). Object-level scope is then checked by the service.
 */
export type RouteAccess =
  | { public: true }
  | {
      permission: Permission | readonly Permission[] | 'signed-in';
      stages?: readonly SessionStage[];
      csrf?: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    ctx: Ctx;
    session: { id: string; stage: SessionStage; csrfToken: string } | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOUCH_EVERY_MS = MINUTE;

export interface AuthPluginOptions {
  db: Database;
  clock: Clock;
  config: Config;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: AuthPluginOptions,
): Promise<void> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return;
  const id = sessionIdOf(token);
  const row = await findSessionWithAccount(opts.db, id);
  if (!row) {
    clearSessionCookie(reply);
    return;
  }
  const now = opts.clock.now();
  const policy = await loadPolicy(opts.db);
  const idleExpired = now.getTime() - row.last_seen_at.getTime() > policy.idleMinutes * MINUTE;
  if (idleExpired || row.expires_at <= now || row.disabled_at) {
    await deleteSession(opts.db, id);
    clearSessionCookie(reply);
    return;
  }
  const stage = row.stage as SessionStage;
  const loaded = stage === 'active' ? await loadGrants(opts.db, row.id) : null;
  const kinds = loaded ? [...loaded.kinds] : [];
  const actor: Actor = {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    homeGridId: row.home_grid_id,
    homePath: row.home_path,
    departmentId: row.department_id,
    kind: kinds.length === 1 ? (kinds[0] ?? null) : null,
    roles: loaded?.roles ?? [],
    grants: loaded?.grants ?? new Map(),
    sessionId: id,
  };
  request.ctx.actor = actor;
  request.session = { id, stage, csrfToken: row.csrf_token };
  if (now.getTime() - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
    await opts.db.updateTable('session').set({ last_seen_at: now }).where('id', '=', id).execute();
    await opts.db.updateTable('account').set({ last_active_at: now }).where('id', '=', row.id).execute();
  }
}

/** Builds the request context, resolves the session, and enforces each route's declared access. */
export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, opts) => {
    app.decorateRequest('ctx', null as unknown as Ctx);
    app.decorateRequest('session', null);
    app.addHook('onRequest', async (request, reply) => {
      request.ctx = {
        db: opts.db,
        clock: opts.clock,
        config: opts.config,
        requestId: request.id,
        ip: request.ip ?? null,
        actor: null,
      };
      const access = request.routeOptions.config.access;
      if (!access || 'public' in access) {
        if (request.url.startsWith('/api/auth/login')) await authenticate(request, reply, opts);
        return;
      }
      await authenticate(request, reply, opts);
    });
    app.addHook('preValidation', async (request) => {
      const access = request.routeOptions.config.access;
      if (!access) {
        // A route that declares nothing is closed: only the OpenAPI viewer and the web app are exempt.
        if (!request.is404 && request.url.startsWith('/api/') && !request.url.startsWith('/api/docs')) {
          throw new AppError('FORBIDDEN', 'Route declares no access', undefined, { denial: true });
        }
        return;
      }
      if ('public' in access) return;
      const session = request.session;
      if (!session || !request.ctx.actor)
        throw new AppError('UNAUTHENTICATED', undefined, undefined, { denial: true });
      const stages = access.stages ?? ['active'];
      if (!stages.includes(session.stage)) {
        throw new AppError(
          'FORBIDDEN',
          `Finish signing in first (${session.stage})`,
          { stage: session.stage },
          { denial: true },
        );
      }
      if (access.csrf !== false && !SAFE_METHODS.has(request.method)) {
        if (request.headers['x-csrf-token'] !== session.csrfToken) {
          throw new AppError('FORBIDDEN', 'Missing or wrong CSRF token', { csrf: true }, { denial: true });
        }
      }
      const wanted = access.permission;
      const allowed =
        wanted === 'signed-in' ||
        (typeof wanted === 'string'
          ? holdsPermission(request.ctx, wanted)
          : wanted.some((p) => holdsPermission(request.ctx, p)));
      if (!allowed) {
        throw new AppError('FORBIDDEN', undefined, { permission: access.permission }, { denial: true });
      }
    });
  },
  { name: 'gridgov-auth' },
);
