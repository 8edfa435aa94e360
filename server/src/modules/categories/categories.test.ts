import type { Category } from '@gridgov/common/schemas/matters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow } from '../../db/schema/types.ts';
import { buildGrid, buildUser, signIn } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
let county: GridRow;
let town: GridRow;
let manager: Client;
let townCentre: Client;
let countyCentre: Client;
let worker: Client;
beforeAll(async () => {
  env = await createTestEnv();
  const db = env.handle.db;
  county = await buildGrid(db);
  town = await buildGrid(db, { parent: county });
  const as = async (grid: GridRow, role: string) =>
    signIn(env.app, await buildUser(db, env.config, { grid, roles: [{ role }] }), env.clock);
  manager = await as(county, '系统管理员');
  townCentre = await as(town, '乡镇（街道）指挥中心');
  countyCentre = await as(county, '区县指挥中心');
  worker = await as(town, '网格员');
});
afterAll(async () => env?.close());

async function byCode(code: string): Promise<Category> {
  const all: Category[] = (await manager.get('/api/categories')).json();
  return all.find((c) => c.code === code)!;
}

const limits = {
  accept: { amount: 2, unit: 'workdays' },
  sign: { amount: 4, unit: 'hours' },
  handle: { amount: 7, unit: 'days' },
  verify: { amount: 30, unit: 'minutes' },
};

describe('categories: refusals', () => {
  it('401 when not signed in', async () => {
    expect((await anonymous(env.app).get('/api/categories')).statusCode).toBe(401);
    expect((await anonymous(env.app).patch('/api/categories/1', { active: false })).statusCode).toBe(401);
  });

  it('403 without category.manage (held nowhere); a business role never holds it, even at the root', async () => {
    const leaf = await byCode('safety.gas');
    expect((await countyCentre.patch(`/api/categories/${leaf.id}`, { nameZh: '燃气' })).statusCode).toBe(403);
    expect((await townCentre.patch(`/api/categories/${leaf.id}`, { nameZh: '燃气' })).statusCode).toBe(403);
    expect((await worker.patch(`/api/categories/${leaf.id}`, { nameZh: '燃气' })).statusCode).toBe(403);
  });

  it('400 naming the field: schema, limits, leaf-only fields on a group, unknown department code', async () => {
    const leaf = await byCode('safety.gas');
    const group = await byCode('safety');
    const petition = await byCode('petition.request');
    const cases: [number, unknown, string][] = [
      [leaf.id, {}, 'body'],
      [leaf.id, { limits: { ...limits, verify: { amount: 0, unit: 'days' } } }, 'body.limits.verify.amount'],
      [leaf.id, { limits: { accept: limits.accept } }, 'body.limits.sign'],
      [
        leaf.id,
        { limits: { ...limits, handle: { amount: 400, unit: 'days' } } },
        'body.limits.handle.amount',
      ],
      [leaf.id, { personalFields: ['name', 'religion'] }, 'body.personalFields.1'],
      [leaf.id, { defaultLevel: 'city' }, 'body.defaultLevel'],
      [leaf.id, { defaultDepartmentCode: 'no-such-department' }, 'body.defaultDepartmentCode'],
      [leaf.id, { nameZh: '  ' }, 'body.nameZh'],
      [group.id, { limits }, 'body.limits'],
      [group.id, { personalFields: ['name'] }, 'body.personalFields'],
      [petition.id, { limits: { ...limits, accept: { amount: 20, unit: 'days' } } }, 'body.limits.accept'],
      [
        petition.id,
        { limits: { ...limits, handle: { amount: 61, unit: 'workdays' } } },
        'body.limits.handle',
      ],
    ];
    for (const [id, body, field] of cases) {
      const res = await manager.patch(`/api/categories/${id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.details[0].field, JSON.stringify(body)).toBe(field);
    }
  });

  it('404 for an absent category', async () => {
    expect((await manager.patch('/api/categories/2000000000', { active: false })).statusCode).toBe(404);
  });
});

describe('categories', () => {
  it('lists the taxonomy for anyone who reads matters, every parent before its children, by sort', async () => {
    const res = await worker.get('/api/categories');
    expect(res.statusCode).toBe(200);
    const all: Category[] = res.json();
    const seen = new Set<number>();
    for (const c of all) {
      if (c.parentId !== null) expect(seen.has(c.parentId), c.code).toBe(true);
      seen.add(c.id);
    }
    const groups = all.filter((c) => c.parentId === null).map((c) => c.code);
    expect(groups.slice(0, 3)).toEqual(['safety', 'construction', 'environment']);
    const safety = all.filter((c) => c.code.startsWith('safety.')).map((c) => c.code);
    expect(safety).toEqual(['safety.fire_lane', 'safety.gas', 'safety.ebike', 'safety.chemicals']);
    const index = (code: string) => all.findIndex((c) => c.code === code);
    expect(index('safety.chemicals')).toBeLessThan(index('construction'));
    expect(all.find((c) => c.code === 'petition.request')).toMatchObject({
      petition: true,
      defaultLevel: 'county',
      personalFields: ['name', 'phone', 'address'],
      limits: { accept: { amount: 15, unit: 'days' } },
    });
  });

  it('a holder of category.manage changes a leaf and a group; each change is audited', async () => {
    const leaf = await byCode('safety.chemicals');
    const dept = await env.handle.db
      .insertInto('department')
      .values({ code: 'huanbao_t', name_zh: '生态环境局', name_en: 'Ecology' })
      .returning('code')
      .executeTakeFirstOrThrow();
    const res = await manager.patch(`/api/categories/${leaf.id}`, {
      nameZh: '危化品违规存放',
      limits,
      defaultLevel: 'village',
      defaultDepartmentCode: dept.code,
      requiredFields: ['location', 'location'],
      personalFields: ['name', 'phone'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      nameZh: '危化品违规存放',
      limits,
      defaultLevel: 'village',
      defaultDepartmentCode: dept.code,
      requiredFields: ['location'],
      personalFields: ['name', 'phone'],
    });
    const group = await byCode('market');
    const off = await manager.patch(`/api/categories/${group.id}`, { active: false, nameEn: 'Markets' });
    expect(off.json()).toMatchObject({ active: false, nameEn: 'Markets' });
    const audits = await env.handle.db
      .selectFrom('audit')
      .select(['object_id', 'detail'])
      .where('action', '=', 'category.update')
      .orderBy('id')
      .execute();
    expect(audits.map((a) => a.object_id)).toEqual([String(leaf.id), String(group.id)]);
    expect(audits[1]?.detail).toMatchObject({ code: 'market', fields: ['active', 'nameEn'] });
    expect((await manager.patch(`/api/categories/${group.id}`, { active: true })).statusCode).toBe(200);
  });
});
