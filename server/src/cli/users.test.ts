import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow } from '../db/schema/types.ts';
import { verifyAuditChain } from '../lib/audit.ts';
import { buildGrid } from '../test/factories.ts';
import { createTestEnv, type TestEnv } from '../test/harness.ts';
import { addUser, disableUser, enableUser, unlockUser } from './users.ts';

let env: TestEnv;
let grid: GridRow;
beforeAll(async () => {
  env = await createTestEnv();
  grid = await buildGrid(env.handle.db);
});
afterAll(async () => env?.close());

const login = (username: string, password: string) =>
  env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

const uniq = () => `cli_${Math.random().toString(36).slice(2, 8)}`;

describe('gridgov users', () => {
  it('refuses bad input: username, unknown grid, role or department, and a mix of role kinds', async () => {
    const base = { username: uniq(), displayName: '张三', gridCode: grid.code, roles: ['网格员'] };
    await expect(addUser(env.ctx, { ...base, username: 'a b' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(addUser(env.ctx, { ...base, gridCode: 'nope' })).rejects.toThrow(/no grid/);
    await expect(addUser(env.ctx, { ...base, roles: ['没有'] })).rejects.toThrow(/no role/);
    await expect(addUser(env.ctx, { ...base, departmentCode: 'nope' })).rejects.toThrow(/no department/);
    await expect(addUser(env.ctx, { ...base, roles: ['网格员', '审计管理员'] })).rejects.toThrow(
      /one kind only/,
    );
    await expect(addUser(env.ctx, { ...base, roles: ['系统管理员', '安全管理员'] })).rejects.toThrow(
      /one kind only/,
    );
  });

  it('creates an account whose initial password must be changed at first sign-in, audited at its grid', async () => {
    const username = uniq();
    const created = await addUser(env.ctx, {
      username,
      displayName: '张三',
      gridCode: grid.code,
      roles: ['网格员'],
    });
    const res = await login(username, created.initialPassword);
    expect(res.statusCode).toBe(200);
    expect(res.json().stage).toBe('password');
    await expect(
      addUser(env.ctx, {
        username: username.toUpperCase(),
        displayName: 'x',
        gridCode: grid.code,
        roles: [],
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const audit = await env.handle.db
      .selectFrom('audit')
      .selectAll()
      .where('object_id', '=', String(created.id))
      .where('action', 'in', ['account.create', 'role.assign'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['account.create', 'role.assign']);
    expect(audit.every((a) => a.object_path === grid.path && a.actor_name === 'system')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(created.initialPassword);
  });

  it('disables (with a reason), enables and unlocks, refusing no-op changes', async () => {
    const username = uniq();
    const { initialPassword } = await addUser(env.ctx, {
      username,
      displayName: '李四',
      gridCode: grid.code,
      roles: [],
    });
    await expect(disableUser(env.ctx, username, ' ')).rejects.toMatchObject({ code: 'VALIDATION' });
    await disableUser(env.ctx, username, '离职');
    expect((await login(username, initialPassword)).statusCode).toBe(401);
    await expect(disableUser(env.ctx, username, '离职')).rejects.toMatchObject({ code: 'CONFLICT' });
    await enableUser(env.ctx, username);
    await expect(enableUser(env.ctx, username)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await login(username, initialPassword)).statusCode).toBe(200);

    await expect(unlockUser(env.ctx, username)).rejects.toMatchObject({ code: 'CONFLICT' });
    for (let i = 0; i < 5; i++) await login(username, 'wrong');
    expect((await login(username, initialPassword)).json().error.details.locked).toBe(true);
    await unlockUser(env.ctx, username);
    expect((await login(username, initialPassword)).statusCode).toBe(200);
    await expect(unlockUser(env.ctx, 'nobody-here')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await verifyAuditChain(env.handle.db)).ok).toBe(true);
  });
});
