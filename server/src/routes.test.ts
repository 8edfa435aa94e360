import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from './test/harness.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

/** The route inventory: no route can be added without a schema and a declared access rule. */
describe('route inventory', () => {
  const apiRoutes = () =>
    env.app.routeInventory.filter(
      (r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD',
    );

  it('has routes to check', () => {
    expect(apiRoutes().length).toBeGreaterThan(15);
  });

  it('every API route declares access, a response schema, and schemas for its params, query and body', () => {
    const problems: string[] = [];
    for (const r of apiRoutes()) {
      const name = `${String(r.method)} ${r.url}`;
      const access = r.config?.access;
      if (!access) problems.push(`${name}: no access`);
      const schema = r.schema ?? {};
      if (!schema.response) problems.push(`${name}: no response schema`);
      if (r.url.includes('/:') && !schema.params) problems.push(`${name}: no params schema`);
      if (
        ['POST', 'PUT', 'PATCH'].includes(String(r.method)) &&
        r.url !== '/api/auth/logout' &&
        !schema.body
      ) {
        const bodyless = ['enrol', 'enable', 'unlock', 'reset-password', 'reset-totp', 'verify'].some((w) =>
          r.url.endsWith(w),
        );
        if (!bodyless) problems.push(`${name}: no body schema`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('only sign-in, the public config and the health probe are public', () => {
    const open = apiRoutes()
      .filter((r) => r.config?.access && 'public' in r.config.access)
      .map((r) => `${String(r.method)} ${r.url}`)
      .sort();
    expect(open).toEqual(['GET /api/config', 'GET /api/health', 'POST /api/auth/login']);
  });

  it('an unknown API route is a 404 in the error format', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('security headers are set', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('serves the OpenAPI document generated from the route schemas', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/grids/{id}', '/api/auth/login']));
  });
});
