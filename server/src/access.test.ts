import type { Permission } from '@gridgov/common/permissions';
import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess } from './plugins/auth.ts';
import { buildGrid, buildUser, signIn } from './test/factories.ts';
import { type Client, createTestEnv, type TestEnv } from './test/harness.ts';

/**
 * Separation of duties, from the route inventory: for EVERY API route that needs a permission, each of the
 * three administrators and a grid worker who holds none of the route's permissions is refused with 403
 * before anything else happens. A new route is covered the moment it is registered.
 */
let env: TestEnv;
const callers: Record<string, { client: Client; permissions: Set<string> }> = {};
beforeAll(async () => {
  env = await createTestEnv();
  const db = env.handle.db;
  const root = await buildGrid(db);
  const town = await buildGrid(db, { parent: root });
  for (const [name, role, grid] of [
    ['system administrator', '系统管理员', root],
    ['security administrator', '安全管理员', root],
    ['audit administrator', '审计管理员', root],
    ['grid worker', '网格员', town],
  ] as const) {
    const user = await buildUser(db, env.config, { grid, roles: [{ role }] });
    const row = await db
      .selectFrom('role')
      .select('permissions')
      .where('name', '=', role)
      .executeTakeFirstOrThrow();
    callers[name] = { client: await signIn(env.app, user, env.clock), permissions: new Set(row.permissions) };
  }
});
afterAll(async () => env?.close());

function guardedRoutes() {
  return env.app.routeInventory
    .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD')
    .flatMap((r) => {
      const access = r.config?.access as RouteAccess | undefined;
      if (!access || 'public' in access || access.permission === 'signed-in') return [];
      const wanted: readonly Permission[] =
        typeof access.permission === 'string' ? [access.permission] : access.permission;
      const methods = (Array.isArray(r.method) ? r.method : [r.method]) as HTTPMethods[];
      return methods.map((method) => ({ method, url: r.url.replace(/:[A-Za-z]+/g, '1'), wanted }));
    });
}

describe('separation of duties over every route', () => {
  it('covers the administrative and the business routes', () => {
    const routes = guardedRoutes();
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.some((r) => r.wanted.includes('audit.read'))).toBe(true);
    expect(routes.some((r) => r.wanted.includes('role.manage'))).toBe(true);
    expect(routes.some((r) => r.wanted.includes('matter.supervise'))).toBe(true);
  });

  it('403 for each caller on every route whose permissions it holds none of', async () => {
    const wrong: string[] = [];
    let refused = 0;
    for (const route of guardedRoutes()) {
      for (const [name, caller] of Object.entries(callers)) {
        if (route.wanted.some((p) => caller.permissions.has(p))) continue;
        const res = await caller.client.request({
          method: route.method,
          url: route.url,
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
        });
        if (res.statusCode !== 403) wrong.push(`${name}: ${route.method} ${route.url} → ${res.statusCode}`);
        else refused++;
      }
    }
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(100);
  });

  it('every refusal is audited as a denial', async () => {
    const denials = await env.handle.db
      .selectFrom('audit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('result', '=', 'denied')
      .executeTakeFirstOrThrow();
    expect(Number(denials.n)).toBeGreaterThan(100);
  });
});
