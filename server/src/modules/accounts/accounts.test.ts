import type { Account } from '@gridgov/common/schemas/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow } from '../../db/schema/types.ts';
import { verifyAuditChain } from '../../lib/audit.ts';
import { DAY, MINUTE } from '../../lib/clock.ts';
import { buildGrid, buildUser, signIn, TEST_PASSWORD } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { disableInactiveAccounts } from './accounts.service.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

const SYSTEM = '系统管理员';
const SECURITY = '安全管理员';
const AUDIT = '审计管理员';
const WORKER = '网格员';

const user = (grid: GridRow, role?: string, roleGrid?: GridRow) =>
  buildUser(env.handle.db, env.config, { grid, roles: role ? [{ role, grid: roleGrid }] : [] });

async function adminOf(role: string, grid: GridRow): Promise<{ id: number; client: Client }> {
  const u = await user(grid, role);
  return { id: u.id, client: await signIn(env.app, u, env.clock) };
}

async function roleId(name: string): Promise<number> {
  const row = await env.handle.db
    .selectFrom('role')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

const sessionsOf = async (accountId: number) =>
  (await env.handle.db.selectFrom('session').select('id').where('account_id', '=', accountId).execute())
    .length;

const POLICY = {
  passwordMinLength: 10,
  passwordClasses: 3,
  passwordBlocklist: true,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  idleMinutes: 30,
  absoluteHours: 12,
  inactiveDays: 90,
  totpRequiredForStaff: false,
};

const login = (username: string, password: string) =>
  env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('accounts: refusals', () => {
  it('401 without a session', async () => {
    expect((await anonymous(env.app).get('/api/accounts')).statusCode).toBe(401);
    expect((await anonymous(env.app).get('/api/accounts/1')).statusCode).toBe(401);
  });

  it('400 naming the field for bad bodies and queries', async () => {
    const root = await buildGrid(env.handle.db);
    const { client } = await adminOf(SYSTEM, root);
    const badName = await client.post('/api/accounts', {
      username: 'a b',
      displayName: '张三',
      homeGridId: root.id,
    });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.details[0].field).toBe('body.username');
    const missing = await client.post('/api/accounts', { username: 'zhangsan', displayName: '张三' });
    expect(missing.json().error.details[0].field).toBe('body.homeGridId');
    const blank = await client.post('/api/accounts', {
      username: 'zhang_blank',
      displayName: '   ',
      homeGridId: root.id,
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.details[0].field).toBe('displayName');
    const status = await client.get('/api/accounts?status=gone');
    expect(status.statusCode).toBe(400);
    expect(status.json().error.details[0].field).toMatch(/^querystring\.status/);
    const target = await user(root, WORKER);
    const noReason = await client.post(`/api/accounts/${target.id}/disable`, {});
    expect(noReason.json().error.details[0].field).toBe('body.reason');
    const dept = await client.post('/api/accounts', {
      username: `u_${Date.now()}`,
      displayName: '李四',
      homeGridId: root.id,
      departmentId: 2_000_000_000,
    });
    expect(dept.statusCode).toBe(400);
    expect(dept.json().error.details[0].field).toBe('departmentId');
  });

  it('404 for an absent account and for a home grid outside the caller’s scope', async () => {
    const root = await buildGrid(env.handle.db);
    const elsewhere = await buildGrid(env.handle.db);
    const { client } = await adminOf(SYSTEM, root);
    expect((await client.get('/api/accounts/2000000000')).statusCode).toBe(404);
    const res = await client.post('/api/accounts', {
      username: 'outside_1',
      displayName: '王五',
      homeGridId: elsewhere.id,
    });
    expect(res.statusCode).toBe(404);
    const absent = await client.post('/api/accounts', {
      username: 'outside_2',
      displayName: '王五',
      homeGridId: 2_000_000_000,
    });
    expect(absent.statusCode).toBe(404);
    expect(absent.json().error.message).toBe(res.json().error.message);
  });

  it('403 for an administrator acting on their own account', async () => {
    const root = await buildGrid(env.handle.db);
    const system = await adminOf(SYSTEM, root);
    const security = await adminOf(SECURITY, root);
    expect(
      (await system.client.post(`/api/accounts/${system.id}/disable`, { reason: '测试' })).statusCode,
    ).toBe(403);
    expect((await security.client.post(`/api/accounts/${security.id}/unlock`)).statusCode).toBe(403);
    expect((await security.client.post(`/api/accounts/${security.id}/reset-password`)).statusCode).toBe(403);
    const assign = await security.client.post(`/api/accounts/${security.id}/assignments`, {
      roleId: await roleId(SECURITY),
      gridId: root.id,
    });
    expect(assign.statusCode).toBe(403);
    const self = (await security.client.get(`/api/accounts/${security.id}`)).json() as Account;
    expect(self.abilities).toEqual({
      disable: false,
      enable: false,
      unlock: false,
      resetPassword: false,
      resetTotp: false,
      assignRoles: false,
      update: false,
    });
  });

  it('409 for a username taken in any letter case', async () => {
    const root = await buildGrid(env.handle.db);
    const { client } = await adminOf(SYSTEM, root);
    const taken = await user(root, WORKER);
    const res = await client.post('/api/accounts', {
      username: taken.username.toUpperCase(),
      displayName: '赵六',
      homeGridId: root.id,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].field).toBe('username');
  });

  it('409 when the state has already moved (enable an enabled account, unlock an unlocked one)', async () => {
    const root = await buildGrid(env.handle.db);
    const system = await adminOf(SYSTEM, root);
    const security = await adminOf(SECURITY, root);
    const target = await user(root, WORKER);
    expect((await system.client.post(`/api/accounts/${target.id}/enable`)).statusCode).toBe(409);
    expect((await security.client.post(`/api/accounts/${target.id}/unlock`)).statusCode).toBe(409);
    expect((await security.client.post(`/api/accounts/${target.id}/reset-totp`)).statusCode).toBe(409);
  });
});

describe('accounts: lifecycle', () => {
  it('creates an account with a one-time initial password that must be changed', async () => {
    const root = await buildGrid(env.handle.db);
    const town = await buildGrid(env.handle.db, { parent: root });
    const { client } = await adminOf(SYSTEM, root);
    const username = `Li_${Date.now()}`;
    const res = await client.post('/api/accounts', { username, displayName: '李小明', homeGridId: town.id });
    expect(res.statusCode, res.body).toBe(200);
    const { account, initialPassword } = res.json() as { account: Account; initialPassword: string };
    expect(account).toMatchObject({
      username,
      displayName: '李小明',
      homeGrid: { id: town.id, path: town.path },
      department: null,
      assignments: [],
      status: 'active',
      mustChangePassword: true,
      totpEnabled: false,
      abilities: { disable: true, enable: false, unlock: false, resetPassword: false, assignRoles: false },
    });
    expect(initialPassword.length).toBeGreaterThanOrEqual(12);
    for (const re of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(initialPassword).toMatch(re);
    const first = await login(username.toLowerCase(), initialPassword);
    expect(first.statusCode).toBe(200);
    expect(first.json().stage).toBe('password');
    const audit = await env.handle.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'account.create')
      .where('object_id', '=', String(account.id))
      .executeTakeFirstOrThrow();
    expect(audit.object_path).toBe(town.path);
    expect(JSON.stringify(audit)).not.toContain(initialPassword);
    expect(JSON.stringify(audit)).not.toContain('李小明');
  });

  it('lists in-scope accounts with search, grid and status filters', async () => {
    const root = await buildGrid(env.handle.db);
    const a = await buildGrid(env.handle.db, { parent: root });
    const b = await buildGrid(env.handle.db, { parent: root });
    const { client } = await adminOf(SYSTEM, root);
    const inA = await user(a, WORKER);
    const inB = await user(b, WORKER);
    await env.handle.db
      .updateTable('account')
      .set({ disabled_at: env.clock.now() })
      .where('id', '=', inB.id)
      .execute();
    const all = (await client.get(`/api/accounts?gridId=${root.id}&limit=500`)).json();
    expect(all.items.map((x: Account) => x.id)).toEqual(expect.arrayContaining([inA.id, inB.id]));
    const onlyA = (await client.get(`/api/accounts?gridId=${a.id}`)).json();
    expect(onlyA.items.map((x: Account) => x.id)).toEqual([inA.id]);
    expect(onlyA.total).toBe(1);
    expect(onlyA.items[0].assignments[0]).toMatchObject({
      role: { name: WORKER, kind: 'business' },
      grid: { id: a.id },
    });
    const disabled = (await client.get(`/api/accounts?gridId=${root.id}&status=disabled`)).json();
    expect(disabled.items.map((x: Account) => x.id)).toEqual([inB.id]);
    const search = (await client.get(`/api/accounts?q=${inA.username.slice(2)}`)).json();
    expect(search.items.map((x: Account) => x.id)).toEqual([inA.id]);
    const page = (await client.get(`/api/accounts?gridId=${root.id}&limit=1&offset=1`)).json();
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(3);
  });

  it('disables with a reason and ends the sessions; enabling restarts the inactivity clock', async () => {
    const root = await buildGrid(env.handle.db);
    const { client } = await adminOf(SYSTEM, root);
    const target = await user(root, WORKER);
    const targetClient = await signIn(env.app, target, env.clock);
    const res = await client.post(`/api/accounts/${target.id}/disable`, { reason: '调离岗位' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'disabled',
      disabledReason: '调离岗位',
      abilities: { disable: false, enable: true },
    });
    expect((await targetClient.get('/api/auth/me')).statusCode).toBe(401);
    expect(await sessionsOf(target.id)).toBe(0);
    expect((await login(target.username, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await client.post(`/api/accounts/${target.id}/disable`, { reason: '再次' })).statusCode).toBe(
      409,
    );
    env.clock.advance(5 * MINUTE);
    const enabled = await client.post(`/api/accounts/${target.id}/enable`);
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json()).toMatchObject({
      status: 'active',
      disabledReason: null,
      lastActiveAt: env.clock.now().toISOString(),
    });
    expect((await login(target.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('shows a lockout and lets the security administrator lift it', async () => {
    const root = await buildGrid(env.handle.db);
    const security = await adminOf(SECURITY, root);
    const system = await adminOf(SYSTEM, root);
    const target = await user(root, WORKER);
    for (let i = 0; i < 5; i++) await login(target.username, 'wrong-password');
    const seen = (await security.client.get(`/api/accounts/${target.id}`)).json() as Account;
    expect(seen.status).toBe('locked');
    expect(seen.lockedUntil).not.toBeNull();
    expect(seen.abilities.unlock).toBe(true);
    expect(((await system.client.get(`/api/accounts/${target.id}`)).json() as Account).abilities.unlock).toBe(
      false,
    );
    const res = await security.client.post(`/api/accounts/${target.id}/unlock`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'active', lockedUntil: null, abilities: { unlock: false } });
    expect((await login(target.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('resets the password: a new one-time password, the old one and the sessions gone', async () => {
    const root = await buildGrid(env.handle.db);
    const security = await adminOf(SECURITY, root);
    const target = await user(root, WORKER);
    const targetClient = await signIn(env.app, target, env.clock);
    const res = await security.client.post(`/api/accounts/${target.id}/reset-password`);
    expect(res.statusCode, res.body).toBe(200);
    const { initialPassword } = res.json();
    expect(initialPassword.length).toBeGreaterThanOrEqual(12);
    expect((await targetClient.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login(target.username, TEST_PASSWORD)).statusCode).toBe(401);
    const again = await login(target.username, initialPassword);
    expect(again.json().stage).toBe('password');
    const audit = await env.handle.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'account.password.reset')
      .where('object_id', '=', String(target.id))
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit)).not.toContain(initialPassword);
  });

  it('resets the second factor: the account enrols again at its next sign-in', async () => {
    const root = await buildGrid(env.handle.db);
    const security = await adminOf(SECURITY, root);
    const other = await user(root, SYSTEM);
    const otherClient = await signIn(env.app, other, env.clock);
    const before = (await security.client.get(`/api/accounts/${other.id}`)).json() as Account;
    expect(before.totpEnabled).toBe(true);
    expect(before.abilities.resetTotp).toBe(true);
    const res = await security.client.post(`/api/accounts/${other.id}/reset-totp`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ totpEnabled: false, abilities: { resetTotp: false } });
    expect((await otherClient.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login(other.username, TEST_PASSWORD)).json().stage).toBe('enroll');
  });
});

describe('role assignments', () => {
  it('assigns and removes a role inside the scope, audited', async () => {
    const root = await buildGrid(env.handle.db);
    const village = await buildGrid(env.handle.db, { parent: root });
    const security = await adminOf(SECURITY, root);
    const target = await user(village);
    const res = await security.client.post(`/api/accounts/${target.id}/assignments`, {
      roleId: await roleId(WORKER),
      gridId: village.id,
    });
    expect(res.statusCode, res.body).toBe(200);
    const account = res.json() as Account;
    expect(account.assignments).toHaveLength(1);
    expect(account.assignments[0]).toMatchObject({
      role: { name: WORKER, kind: 'business' },
      grid: { id: village.id },
      department: null,
    });
    const twice = await security.client.post(`/api/accounts/${target.id}/assignments`, {
      roleId: await roleId(WORKER),
      gridId: village.id,
    });
    expect(twice.statusCode).toBe(409);
    const removed = await security.client.delete(`/api/assignments/${account.assignments[0]!.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual({ ok: true });
    expect(((await security.client.get(`/api/accounts/${target.id}`)).json() as Account).assignments).toEqual(
      [],
    );
    expect((await security.client.delete(`/api/assignments/${account.assignments[0]!.id}`)).statusCode).toBe(
      404,
    );
    const actions = await env.handle.db
      .selectFrom('audit')
      .select('action')
      .where('object_type', '=', 'account')
      .where('object_id', '=', String(target.id))
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['role.assign', 'role.unassign']);
  });

  it('409 when a role of another kind would be added (no super-administrator)', async () => {
    const root = await buildGrid(env.handle.db);
    const security = await adminOf(SECURITY, root);
    const worker = await user(root, WORKER);
    const admin = await user(root, SYSTEM);
    const a = await security.client.post(`/api/accounts/${worker.id}/assignments`, {
      roleId: await roleId(SYSTEM),
      gridId: root.id,
    });
    expect(a.statusCode).toBe(409);
    expect(a.json().error.message).toMatch(/one kind only.*business.*system/);
    const b = await security.client.post(`/api/accounts/${admin.id}/assignments`, {
      roleId: await roleId(AUDIT),
      gridId: root.id,
    });
    expect(b.statusCode).toBe(409);
    const same = await security.client.post(`/api/accounts/${worker.id}/assignments`, {
      roleId: await roleId('村（社区）工作人员'),
      gridId: root.id,
    });
    expect(same.statusCode, same.body).toBe(200);
  });

  it('400 for an unknown role, 404 for a grid outside the scope, 400 for a department on an admin role', async () => {
    const root = await buildGrid(env.handle.db);
    const elsewhere = await buildGrid(env.handle.db);
    const security = await adminOf(SECURITY, root);
    const target = await user(root);
    const unknown = await security.client.post(`/api/accounts/${target.id}/assignments`, {
      roleId: 2_000_000_000,
      gridId: root.id,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].field).toBe('roleId');
    const outside = await security.client.post(`/api/accounts/${target.id}/assignments`, {
      roleId: await roleId(WORKER),
      gridId: elsewhere.id,
    });
    expect(outside.statusCode).toBe(404);
    const dept = await env.handle.db
      .insertInto('department')
      .values({ code: `D${Date.now()}`, name_zh: '城管', name_en: 'Urban management' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const adminDept = await security.client.post(`/api/accounts/${target.id}/assignments`, {
      roleId: await roleId(AUDIT),
      gridId: root.id,
      departmentId: dept.id,
    });
    expect(adminDept.statusCode).toBe(400);
    expect(adminDept.json().error.details[0].field).toBe('departmentId');
    const handler = await security.client.post(`/api/accounts/${target.id}/assignments`, {
      roleId: await roleId('部门处置人员'),
      gridId: root.id,
      departmentId: dept.id,
    });
    expect(handler.statusCode, handler.body).toBe(200);
    expect(handler.json().assignments[0].department).toEqual({
      id: dept.id,
      nameZh: '城管',
      nameEn: 'Urban management',
    });
  });

  it('403 for removing an assignment made above the caller’s scope', async () => {
    const root = await buildGrid(env.handle.db);
    const town = await buildGrid(env.handle.db, { parent: root });
    const security = await adminOf(SECURITY, town);
    const target = await user(town, WORKER, root);
    const account = (await security.client.get(`/api/accounts/${target.id}`)).json() as Account;
    expect(account.assignments[0]!.grid.id).toBe(root.id);
    expect((await security.client.delete(`/api/assignments/${account.assignments[0]!.id}`)).statusCode).toBe(
      403,
    );
  });

  it('gaining an administrator role ends the account’s sessions (the second factor is asked next time)', async () => {
    const root = await buildGrid(env.handle.db);
    const security = await adminOf(SECURITY, root);
    const target = await user(root);
    const targetClient = await signIn(env.app, target, env.clock);
    const res = await security.client.post(`/api/accounts/${target.id}/assignments`, {
      roleId: await roleId(AUDIT),
      gridId: root.id,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await targetClient.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login(target.username, TEST_PASSWORD)).json().stage).toBe('enroll');
  });
});

describe('access suite', () => {
  it('sibling administrators see only their own subtree’s accounts (404 for the other’s)', async () => {
    const parent = await buildGrid(env.handle.db);
    const a = await buildGrid(env.handle.db, { parent });
    const b = await buildGrid(env.handle.db, { parent });
    const side = async (grid: GridRow) => ({
      system: await adminOf(SYSTEM, grid),
      security: await adminOf(SECURITY, grid),
      worker: await user(grid, WORKER),
    });
    const A = await side(a);
    const B = await side(b);
    for (const [me, other, grid] of [
      [A, B, a],
      [B, A, b],
    ] as const) {
      const other_ = (await other.security.client.get(`/api/accounts/${other.worker.id}`)).json() as Account;
      const assignmentId = other_.assignments[0]!.id;
      const id = other.worker.id;
      const routes: [Client, 'get' | 'post' | 'delete', string, unknown?][] = [
        [me.system.client, 'get', `/api/accounts/${id}`],
        [me.system.client, 'post', `/api/accounts/${id}/disable`, { reason: '测试' }],
        [me.system.client, 'post', `/api/accounts/${id}/enable`],
        [me.security.client, 'get', `/api/accounts/${id}`],
        [me.security.client, 'post', `/api/accounts/${id}/unlock`],
        [me.security.client, 'post', `/api/accounts/${id}/reset-password`],
        [me.security.client, 'post', `/api/accounts/${id}/reset-totp`],
        [
          me.security.client,
          'post',
          `/api/accounts/${id}/assignments`,
          { roleId: await roleId(WORKER), gridId: grid.id },
        ],
        [me.security.client, 'delete', `/api/assignments/${assignmentId}`],
      ];
      for (const [client, method, url, body] of routes) {
        const res = method === 'post' ? await client.post(url, body) : await client[method](url);
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
      }
      const other2 = await me.security.client.post(`/api/accounts/${me.worker.id}/assignments`, {
        roleId: await roleId(WORKER),
        gridId: other === A ? a.id : b.id,
      });
      expect(other2.statusCode, 'assigning at the sibling grid').toBe(404);
      for (const client of [me.system.client, me.security.client]) {
        const list = (await client.get(`/api/accounts?gridId=${parent.id}&limit=500`)).json();
        const ids = list.items.map((x: Account) => x.id);
        expect(ids).toEqual(expect.arrayContaining([me.system.id, me.security.id, me.worker.id]));
        expect(ids).not.toContain(other.worker.id);
        expect(ids).not.toContain(other.system.id);
        expect(list.items.every((x: Account) => x.homeGrid.path.startsWith(grid.path))).toBe(true);
        expect(list.total).toBe(3);
        const byOtherGrid = (await client.get(`/api/accounts?gridId=${other === A ? a.id : b.id}`)).json();
        expect(byOtherGrid).toEqual({ items: [], total: 0 });
      }
    }
  });

  it('each administrator kind is refused the other kinds’ routes; staff are refused all of them', async () => {
    const root = await buildGrid(env.handle.db);
    const system = await adminOf(SYSTEM, root);
    const security = await adminOf(SECURITY, root);
    const audit = await adminOf(AUDIT, root);
    const worker = await signIn(env.app, await user(root, WORKER), env.clock);
    const target = await user(root, WORKER);
    const t = target.id;
    type Route = ['get' | 'post' | 'patch' | 'put' | 'delete', string, unknown?];
    const systemRoutes: Route[] = [
      ['post', '/api/accounts', { username: 'refused_x', displayName: '某', homeGridId: root.id }],
      ['post', `/api/accounts/${t}/disable`, { reason: '测试' }],
      ['post', `/api/accounts/${t}/enable`],
      ['post', '/api/departments', { code: 'REFUSED', nameZh: '某', nameEn: 'X' }],
      ['patch', '/api/departments/1', { nameZh: '某' }],
    ];
    const securityRoutes: Route[] = [
      ['post', `/api/accounts/${t}/unlock`],
      ['post', `/api/accounts/${t}/reset-password`],
      ['post', `/api/accounts/${t}/reset-totp`],
      ['post', `/api/accounts/${t}/assignments`, { roleId: await roleId(WORKER), gridId: root.id }],
      ['delete', '/api/assignments/1'],
      ['get', '/api/roles'],
      ['post', '/api/roles', { name: 'refused', permissions: ['matter.read'] }],
      ['patch', '/api/roles/1', { name: 'refused' }],
      ['get', '/api/permissions'],
      ['get', '/api/security-policy'],
      ['put', '/api/security-policy', POLICY],
    ];
    const auditRoutes: Route[] = [['get', '/api/audit']];
    const sharedReads: Route[] = [
      ['get', '/api/accounts'],
      ['get', `/api/accounts/${t}`],
    ];
    const expectRefused = async (client: Client, routes: Route[]) => {
      for (const [method, url, body] of routes) {
        const res =
          method === 'get' || method === 'delete'
            ? await client[method](url)
            : await client[method](url, body);
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403);
      }
    };
    await expectRefused(system.client, [...securityRoutes, ...auditRoutes]);
    await expectRefused(security.client, [...systemRoutes, ...auditRoutes]);
    await expectRefused(audit.client, [
      ...systemRoutes,
      ...securityRoutes,
      ...sharedReads,
      ['get', '/api/departments'],
    ]);
    await expectRefused(worker, [...systemRoutes, ...securityRoutes, ...auditRoutes, ...sharedReads]);
    expect((await worker.get('/api/departments')).statusCode).toBe(200);
  });
});

describe('inactivity sweep', () => {
  it('disables accounts idle for longer than the policy allows, ends their sessions and audits each', async () => {
    const root = await buildGrid(env.handle.db);
    const active = await user(root, WORKER);
    const idle = await user(root, WORKER);
    const never = await user(root, WORKER);
    await env.handle.db
      .updateTable('account')
      .set({ created_at: env.clock.now() })
      .where('id', '=', never.id)
      .execute();
    await signIn(env.app, idle, env.clock);
    expect(await sessionsOf(idle.id)).toBe(1);
    env.clock.advance(89 * DAY);
    await signIn(env.app, active, env.clock);
    await disableInactiveAccounts(env.ctx);
    const status = async (id: number) =>
      await env.handle.db
        .selectFrom('account')
        .select(['disabled_at', 'disabled_reason'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect((await status(idle.id)).disabled_at).toBeNull();
    expect((await status(never.id)).disabled_at).toBeNull();
    env.clock.advance(2 * DAY);
    const n = await disableInactiveAccounts(env.ctx);
    expect(n).toBeGreaterThanOrEqual(2);
    expect(await status(idle.id)).toMatchObject({ disabled_reason: 'inactive' });
    expect(await status(never.id)).toMatchObject({ disabled_reason: 'inactive' });
    expect((await status(active.id)).disabled_at).toBeNull();
    expect(await sessionsOf(idle.id)).toBe(0);
    const audits = await env.handle.db
      .selectFrom('audit')
      .select(['actor_name', 'reason', 'object_path'])
      .where('action', '=', 'account.disable')
      .where('object_id', '=', String(idle.id))
      .execute();
    expect(audits).toEqual([{ actor_name: 'system', reason: 'inactive', object_path: root.path }]);
    expect(await disableInactiveAccounts(env.ctx)).toBe(0);
    expect((await verifyAuditChain(env.handle.db)).ok).toBe(true);
  });
});
