import { writeAudit } from '../lib/audit.ts';
import type { Ctx } from '../lib/context.ts';
import { findDemoCounty } from '../modules/grids/geo/division.ts';
import { initRegion } from '../modules/grids/grids.import.ts';
import { adminAccounts, createAccounts, createDepartments, type SeedAccount } from './bootstrap.ts';

export interface DemoResult {
  label: string;
  nodes: number;
  accounts: { username: string; displayName: string; role: string; where: string }[];
}

/**
 * The demo deployment: a real county (余杭区) with its real towns and villages, generated grids,
 * departments, the three administrators and a handful of staff at each level.
 */
export async function seedDemo(ctx: Ctx, password: string): Promise<DemoResult> {
  const { rootId, nodes, label } = await initRegion(ctx, {
    code: findDemoCounty(),
    gridsPerVillage: 2,
    microGridsPerGrid: 0,
    seed: 7,
  });
  const towns = await ctx.db
    .selectFrom('grid')
    .select(['id', 'name'])
    .where('parent_id', '=', rootId)
    .orderBy('code')
    .limit(2)
    .execute();
  const [town1, town2] = towns;
  if (!town1 || !town2) throw new Error('demo county has too few towns');
  const villages = await ctx.db
    .selectFrom('grid')
    .select(['id', 'name'])
    .where('parent_id', '=', town1.id)
    .orderBy('code')
    .limit(2)
    .execute();
  const [village1, village2] = villages;
  if (!village1 || !village2) throw new Error('demo town has too few villages');
  const grids = await ctx.db
    .selectFrom('grid')
    .select(['id', 'name', 'parent_id'])
    .where('parent_id', 'in', [village1.id, village2.id])
    .orderBy('code')
    .execute();
  const g1 = grids.find((g) => g.parent_id === village1.id);
  const g2 = grids.find((g) => g.parent_id === village2.id);
  if (!g1 || !g2) throw new Error('demo villages have no grids');

  const accounts: (SeedAccount & { role: string; where: string })[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    const departments = await createDepartments(trx);
    const dept = (code: string) => departments.get(code) ?? 0;
    const add = (a: SeedAccount, where: string) =>
      accounts.push({ ...a, role: a.roles[0]?.role ?? '', where });
    for (const a of adminAccounts(rootId)) add(a, label);
    add(
      {
        username: 'county',
        displayName: '区指挥中心 王主任',
        gridId: rootId,
        roles: [{ role: '区县指挥中心' }],
      },
      label,
    );
    add(
      {
        username: 'town1',
        displayName: `${town1.name} 李主任`,
        gridId: town1.id,
        roles: [{ role: '乡镇（街道）指挥中心' }],
        staffOf: [{ gridId: town1.id, duty: 'leader' }],
      },
      town1.name,
    );
    add(
      {
        username: 'town2',
        displayName: `${town2.name} 赵主任`,
        gridId: town2.id,
        roles: [{ role: '乡镇（街道）指挥中心' }],
        staffOf: [{ gridId: town2.id, duty: 'leader' }],
      },
      town2.name,
    );
    add(
      {
        username: 'village1',
        displayName: `${village1.name} 陈书记`,
        gridId: village1.id,
        roles: [{ role: '村（社区）工作人员' }],
        staffOf: [
          { gridId: village1.id, duty: 'leader' },
          { gridId: g1.id, duty: 'liaison' },
        ],
      },
      village1.name,
    );
    add(
      {
        username: 'village2',
        displayName: `${village2.name} 周书记`,
        gridId: village2.id,
        roles: [{ role: '村（社区）工作人员' }],
        staffOf: [
          { gridId: village2.id, duty: 'leader' },
          { gridId: g2.id, duty: 'liaison' },
        ],
      },
      village2.name,
    );
    add(
      {
        username: 'gridworker1',
        displayName: '网格员 刘芳',
        gridId: g1.id,
        roles: [{ role: '网格员' }],
        staffOf: [{ gridId: g1.id, duty: 'grid_worker' }],
      },
      `${village1.name} ${g1.name}`,
    );
    add(
      {
        username: 'gridworker2',
        displayName: '网格员 孙强',
        gridId: g2.id,
        roles: [{ role: '网格员' }],
        staffOf: [{ gridId: g2.id, duty: 'grid_worker' }],
      },
      `${village2.name} ${g2.name}`,
    );
    add(
      {
        username: 'dept.yingji',
        displayName: '应急管理局 吴科长',
        gridId: rootId,
        departmentId: dept('yingji'),
        roles: [{ role: '部门处置人员', departmentId: dept('yingji') }],
      },
      `${label} 应急管理局`,
    );
    add(
      {
        username: 'dept.zhujian',
        displayName: '住建局 郑科长',
        gridId: rootId,
        departmentId: dept('zhujian'),
        roles: [{ role: '部门处置人员', departmentId: dept('zhujian') }],
      },
      `${label} 住建局`,
    );
    await createAccounts(trx, ctx, accounts, password);
    await trx
      .insertInto('setting')
      .values({ key: 'demo', value: 'true', updated_at: ctx.clock.now() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: 'true' }))
      .execute();
    await writeAudit(trx, ctx, {
      action: 'demo.seed',
      objectType: 'grid',
      objectId: rootId,
      detail: { accounts: accounts.length },
    });
  });
  return {
    label,
    nodes,
    accounts: accounts.map((a) => ({
      username: a.username,
      displayName: a.displayName,
      role: a.role,
      where: a.where,
    })),
  };
}
