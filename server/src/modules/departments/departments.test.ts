import { randomBytes } from 'node:crypto';
import type { Department } from '@gridgov/common/schemas/departments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow } from '../../db/schema/types.ts';
import { buildGrid, buildUser, signIn } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

const code = () => `D${randomBytes(3).toString('hex')}`;

async function as(role: string, grid?: GridRow): Promise<Client> {
  const g = grid ?? (await buildGrid(env.handle.db));
  const u = await buildUser(env.handle.db, env.config, { grid: g, roles: [{ role }] });
  return signIn(env.app, u, env.clock);
}

describe('departments: refusals', () => {
  it('401 without a session', async () => {
    expect((await anonymous(env.app).get('/api/departments')).statusCode).toBe(401);
  });

  it('400 naming the field', async () => {
    const client = await as('系统管理员');
    const bad = await client.post('/api/departments', { code: 'has space', nameZh: '城管', nameEn: 'Urban' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('body.code');
    const empty = await client.patch('/api/departments/1', {});
    expect(empty.statusCode).toBe(400);
    const blank = await client.post('/api/departments', { code: code(), nameZh: '  ', nameEn: 'Urban' });
    expect(blank.json().error.details[0].field).toBe('nameZh');
  });

  it('404 for an absent department, 409 for a taken code', async () => {
    const client = await as('系统管理员');
    expect((await client.patch('/api/departments/2000000000', { nameZh: '某' })).statusCode).toBe(404);
    const c = code();
    expect(
      (await client.post('/api/departments', { code: c, nameZh: '住建', nameEn: 'Housing' })).statusCode,
    ).toBe(200);
    const again = await client.post('/api/departments', { code: c, nameZh: '住建二', nameEn: 'Housing 2' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details[0].field).toBe('code');
  });

  it('403 for the security and audit administrators and for staff', async () => {
    for (const role of ['安全管理员', '审计管理员', '网格员']) {
      const client = await as(role);
      const res = await client.post('/api/departments', { code: code(), nameZh: '某', nameEn: 'X' });
      expect(res.statusCode, role).toBe(403);
      expect((await client.patch('/api/departments/1', { active: false })).statusCode, role).toBe(403);
    }
    expect((await (await as('审计管理员')).get('/api/departments')).statusCode).toBe(403);
  });
});

describe('departments: happy paths', () => {
  it('creates, lists and updates departments; abilities follow department.manage', async () => {
    const system = await as('系统管理员');
    const staff = await as('网格员');
    const c = code();
    const res = await system.post('/api/departments', {
      code: c,
      nameZh: '市场监管',
      nameEn: 'Market regulation',
    });
    expect(res.statusCode, res.body).toBe(200);
    const dept = res.json() as Department;
    expect(dept).toMatchObject({ code: c, nameZh: '市场监管', active: true, abilities: { update: true } });
    const seen = ((await staff.get('/api/departments')).json() as Department[]).find((d) => d.id === dept.id);
    expect(seen).toMatchObject({ code: c, abilities: { update: false } });
    const patched = await system.patch(`/api/departments/${dept.id}`, {
      nameEn: 'Market supervision',
      active: false,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ nameZh: '市场监管', nameEn: 'Market supervision', active: false });
    const audit = await env.handle.db
      .selectFrom('audit')
      .select('action')
      .where('object_type', '=', 'department')
      .where('object_id', '=', String(dept.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['department.create', 'department.update']);
  });

  it('an inactive department cannot be given to a new account', async () => {
    const grid = await buildGrid(env.handle.db);
    const system = await as('系统管理员', grid);
    const dept = (
      await system.post('/api/departments', { code: code(), nameZh: '水务', nameEn: 'Water' })
    ).json();
    const ok = await system.post('/api/accounts', {
      username: `w_${randomBytes(3).toString('hex')}`,
      displayName: '周七',
      homeGridId: grid.id,
      departmentId: dept.id,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().account.department).toEqual({ id: dept.id, nameZh: '水务', nameEn: 'Water' });
    await system.patch(`/api/departments/${dept.id}`, { active: false });
    const refused = await system.post('/api/accounts', {
      username: `w_${randomBytes(3).toString('hex')}`,
      displayName: '吴八',
      homeGridId: grid.id,
      departmentId: dept.id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0].field).toBe('departmentId');
  });
});
