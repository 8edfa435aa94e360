import { randomBytes } from 'node:crypto';
import type { Role } from '@gridgov/common/schemas/roles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow } from '../../db/schema/types.ts';
import { buildGrid, buildUser, signIn } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

const SECURITY = '安全管理员';
const SYSTEM = '系统管理员';
const name = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

async function securityAdmin(grid: GridRow): Promise<Client> {
  const u = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: SECURITY }] });
  return signIn(env.app, u, env.clock);
}

const roleByName = async (client: Client, n: string) =>
  ((await client.get('/api/roles')).json() as Role[]).find((r) => r.name === n);

describe('roles: refusals', () => {
  it('401 without a session', async () => {
    expect((await anonymous(env.app).get('/api/roles')).statusCode).toBe(401);
    expect((await anonymous(env.app).get('/api/permissions')).statusCode).toBe(401);
  });

  it('400 naming the field: missing name, unknown or mixed permissions', async () => {
    const client = await securityAdmin(await buildGrid(env.handle.db));
    const noName = await client.post('/api/roles', { permissions: ['matter.read'] });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().error.details[0].field).toBe('body.name');
    for (const permissions of [
      ['matter.read', 'no.such'],
      ['account.manage', 'role.manage'],
      ['audit.read', 'matter.read'],
    ]) {
      const res = await client.post('/api/roles', { name: name('bad'), permissions });
      expect(res.statusCode, JSON.stringify(permissions)).toBe(400);
      expect(res.json().error.details[0].field).toBe('permissions');
    }
    const empty = await client.post('/api/roles', { name: name('bad'), permissions: [] });
    expect(empty.json().error.details[0].field).toBe('body.permissions');
  });

  it('403 for editing a built-in role; 404 for an absent one; 409 for a taken name', async () => {
    const client = await securityAdmin(await buildGrid(env.handle.db));
    const builtin = await roleByName(client, '网格员');
    expect(builtin).toMatchObject({ builtin: true, kind: 'business', abilities: { update: false } });
    expect((await client.patch(`/api/roles/${builtin!.id}`, { description: '改' })).statusCode).toBe(403);
    expect((await client.patch('/api/roles/2000000000', { description: '改' })).statusCode).toBe(404);
    const taken = await client.post('/api/roles', { name: '网格员', permissions: ['matter.read'] });
    expect(taken.statusCode).toBe(409);
  });

  it('403 for editing a role that is assigned outside the caller’s scope', async () => {
    const root = await buildGrid(env.handle.db);
    const town = await buildGrid(env.handle.db, { parent: root });
    const top = await securityAdmin(root);
    const local = await securityAdmin(town);
    const created = (
      await top.post('/api/roles', { name: name('巡查'), permissions: ['grid.read', 'matter.read'] })
    ).json();
    const worker = await buildUser(env.handle.db, env.config, { grid: town });
    const assigned = await top.post(`/api/accounts/${worker.id}/assignments`, {
      roleId: created.id,
      gridId: root.id,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect((await roleByName(local, created.name))?.abilities.update).toBe(false);
    expect((await roleByName(top, created.name))?.abilities.update).toBe(true);
    expect((await local.patch(`/api/roles/${created.id}`, { description: '改' })).statusCode).toBe(403);
    expect((await top.patch(`/api/roles/${created.id}`, { description: '改' })).statusCode).toBe(200);
  });

  it('409 for a change of kind while the role is assigned', async () => {
    const root = await buildGrid(env.handle.db);
    const client = await securityAdmin(root);
    const created = (
      await client.post('/api/roles', { name: name('只读'), permissions: ['matter.read'] })
    ).json();
    const worker = await buildUser(env.handle.db, env.config, { grid: root });
    await client.post(`/api/accounts/${worker.id}/assignments`, { roleId: created.id, gridId: root.id });
    const res = await client.patch(`/api/roles/${created.id}`, { permissions: ['audit.read'] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].field).toBe('permissions');
  });

  it('a system administrator is refused the role routes', async () => {
    const grid = await buildGrid(env.handle.db);
    const u = await buildUser(env.handle.db, env.config, { grid, roles: [{ role: SYSTEM }] });
    const client = await signIn(env.app, u, env.clock);
    expect((await client.get('/api/roles')).statusCode).toBe(403);
    expect(
      (await client.post('/api/roles', { name: name('x'), permissions: ['matter.read'] })).statusCode,
    ).toBe(403);
  });
});

describe('roles: happy paths', () => {
  it('lists the built-in roles and every permission with its kind', async () => {
    const client = await securityAdmin(await buildGrid(env.handle.db));
    const roles = (await client.get('/api/roles')).json() as Role[];
    expect(roles.filter((r) => r.builtin).map((r) => r.name)).toEqual(
      expect.arrayContaining(['系统管理员', '安全管理员', '审计管理员', '网格员', '部门处置人员']),
    );
    expect(roles.find((r) => r.name === '审计管理员')).toMatchObject({
      kind: 'audit',
      permissions: ['audit.read', 'audit.export', 'grid.read'],
    });
    const perms = (await client.get('/api/permissions')).json() as { permission: string; kind: string }[];
    const kind = (p: string) => perms.find((x) => x.permission === p)?.kind;
    expect(kind('account.manage')).toBe('system');
    expect(kind('role.manage')).toBe('security');
    expect(kind('audit.export')).toBe('audit');
    expect(kind('matter.dispatch')).toBe('business');
    expect(kind('grid.read')).toBe('shared');
    expect(kind('account.read')).toBe('shared');
  });

  it('creates and edits custom roles, each of one kind, audited', async () => {
    const client = await securityAdmin(await buildGrid(env.handle.db));
    const n = name('督查员');
    const res = await client.post('/api/roles', {
      name: n,
      nameEn: 'Inspector',
      description: '只读督查',
      permissions: ['matter.supervise', 'grid.read', 'matter.read'],
    });
    expect(res.statusCode, res.body).toBe(200);
    const role = res.json() as Role;
    expect(role).toMatchObject({
      name: n,
      nameEn: 'Inspector',
      kind: 'business',
      builtin: false,
      permissions: ['grid.read', 'matter.read', 'matter.supervise'],
      abilities: { update: true },
    });
    const patched = await client.patch(`/api/roles/${role.id}`, {
      permissions: ['account.read', 'account.unlock'],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      kind: 'security',
      permissions: ['account.read', 'account.unlock'],
      nameEn: 'Inspector',
    });
    const actions = await env.handle.db
      .selectFrom('audit')
      .select('action')
      .where('object_type', '=', 'role')
      .where('object_id', '=', String(role.id))
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['role.create', 'role.update']);
  });
});
