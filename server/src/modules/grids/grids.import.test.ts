import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../bootstrap/demo.ts';
import { verifyAuditChain } from '../../lib/audit.ts';
import { clientFor, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { totpCode } from '../auth/totp.ts';
import { importGridFile, initRegion } from './grids.import.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

describe('demo deployment and grid import', () => {
  it('seeds the real county with its real towns and villages, generated grids, and staff', async () => {
    const demo = await seedDemo(env.ctx, 'Demo-Pass-2026!');
    expect(demo.label).toBe('浙江省 杭州市 余杭区');
    const db = env.handle.db;
    const count = async (level: string) =>
      Number(
        (
          await db
            .selectFrom('grid')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('level', '=', level)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('county')).toBe(1);
    expect(await count('town')).toBe(12);
    expect(await count('village')).toBe(223);
    expect(await count('grid')).toBe(446);
    const town = await db
      .selectFrom('grid')
      .select(['name', 'code'])
      .where('level', '=', 'town')
      .orderBy('code')
      .executeTakeFirstOrThrow();
    expect(town.name).toBe('五常街道');
    expect(town.code).toMatch(/^330110\d{3}$/);
    const unlinked = await db.selectFrom('grid').select('id').where('path', 'like', 'tmp:%').execute();
    expect(unlinked).toEqual([]);
    expect(demo.accounts.map((a) => a.username)).toEqual(
      expect.arrayContaining([
        'sysadmin',
        'secadmin',
        'auditadmin',
        'county',
        'town1',
        'village1',
        'gridworker1',
        'dept.yingji',
      ]),
    );
    expect((await verifyAuditChain(db)).ok).toBe(true);
    await expect(initRegion(env.ctx, { code: '330110' })).rejects.toThrow(/already has a grid tree/);
  });

  it('a demo grid worker, after the forced password change, sees only their grid', async () => {
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gridworker1', password: 'Demo-Pass-2026!' },
    });
    expect(login.json().stage).toBe('password');
    const c = clientFor(env.app, String(login.headers['set-cookie']).split(';')[0], login.json().csrfToken);
    expect(
      (
        await c.post('/api/auth/password', {
          currentPassword: 'Demo-Pass-2026!',
          newPassword: 'Wangge-Liufang-88',
        })
      ).json().stage,
    ).toBe('active');
    const roots = (await c.get('/api/grids/roots')).json();
    expect(roots).toHaveLength(1);
    expect(roots[0].level).toBe('grid');
    const [lng, lat] = roots[0].centroid;
    expect((await c.get(`/api/grids/lookup?lng=${lng}&lat=${lat}`)).json().grid.id).toBe(roots[0].id);
  });

  it('a demo administrator must change the password and enrol TOTP before anything else', async () => {
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'secadmin', password: 'Demo-Pass-2026!' },
    });
    const c = clientFor(env.app, String(login.headers['set-cookie']).split(';')[0], login.json().csrfToken);
    expect((await c.get('/api/grids/roots')).statusCode).toBe(403);
    expect(
      (
        await c.post('/api/auth/password', {
          currentPassword: 'Demo-Pass-2026!',
          newPassword: 'Anquan-Guanli-77',
        })
      ).json().stage,
    ).toBe('enroll');
    expect((await c.get('/api/grids/roots')).statusCode).toBe(403);
    const { secret } = (await c.post('/api/auth/totp/enrol')).json();
    const done = await c.post('/api/auth/totp/confirm', { code: totpCode(secret, env.clock.now()) });
    expect(done.json().stage).toBe('active');
    expect((await c.get('/api/grids/roots')).statusCode).toBe(200);
  });

  it('imports GeoJSON grids below existing villages, all or nothing, naming each bad row', async () => {
    const village = await env.handle.db
      .selectFrom('grid')
      .select(['code', 'id'])
      .where('level', '=', 'village')
      .orderBy('code')
      .executeTakeFirstOrThrow();
    const feature = (code: string, parent: string, x: number) => ({
      type: 'Feature',
      properties: { code, name: `导入网格${code}`, parent_code: parent, households: 120 },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [x, 0],
            [x + 1, 0],
            [x + 1, 1],
            [x, 1],
            [x, 0],
          ],
        ],
      },
    });
    const bad = JSON.stringify({
      type: 'FeatureCollection',
      features: [feature('IMP1', village.code, 0), feature('IMP2', 'NOPE', 1)],
    });
    const refused = await importGridFile(env.ctx, 'grids.geojson', bad);
    expect(refused.imported).toBe(0);
    expect(refused.errors).toEqual([expect.objectContaining({ where: 'features[1]', field: 'parent_code' })]);
    expect(
      await env.handle.db.selectFrom('grid').select('id').where('code', '=', 'IMP1').executeTakeFirst(),
    ).toBeUndefined();
    const good = JSON.stringify({
      type: 'FeatureCollection',
      features: [feature('IMP1', village.code, 0), feature('IMP1-1', 'IMP1', 0)],
    });
    const ok = await importGridFile(env.ctx, 'grids.geojson', good);
    expect(ok).toEqual({ imported: 2, errors: [] });
    const rows = await env.handle.db
      .selectFrom('grid')
      .select(['code', 'level', 'path', 'synthetic'])
      .where('code', 'like', 'IMP%')
      .orderBy('code')
      .execute();
    expect(rows.map((r) => [r.code, r.level, r.synthetic])).toEqual([
      ['IMP1', 'grid', false],
      ['IMP1-1', 'micro_grid', false],
    ]);
    expect(rows[1]!.path.startsWith(rows[0]!.path)).toBe(true);
    const csv = `code,name,parent_code,households\nIMP1,重复,${village.code},1\n`;
    expect((await importGridFile(env.ctx, 'grids.csv', csv)).errors[0]).toMatchObject({ field: 'code' });
  });
});
