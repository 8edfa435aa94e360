import { randomInt } from 'node:crypto';
import type { Tx } from '../db/client.ts';
import { writeAudit } from '../lib/audit.ts';
import type { Ctx } from '../lib/context.ts';
import { hashPassword } from '../modules/auth/password.ts';

/** A random password meeting the default policy: 16 characters from all four classes. */
export function generatePassword(length = 16): string {
  const sets = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!@#$%&*-_+=?'];
  const chars = sets.map((s) => s[randomInt(s.length)]!);
  const all = sets.join('');
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

export interface SeedAccount {
  username: string;
  displayName: string;
  gridId: number;
  roles: { role: string; gridId?: number; departmentId?: number }[];
  departmentId?: number;
  staffOf?: { gridId: number; duty: 'grid_worker' | 'liaison' | 'leader' }[];
}

/** Creates accounts with one initial password that each must change at first sign-in. */
export async function createAccounts(
  trx: Tx,
  ctx: Ctx,
  accounts: SeedAccount[],
  password: string,
): Promise<void> {
  const hash = await hashPassword(password);
  const roles = await trx.selectFrom('role').select(['id', 'name']).execute();
  const roleId = new Map(roles.map((r) => [r.name, r.id]));
  const grids = await trx
    .selectFrom('grid')
    .select(['id', 'path'])
    .where('id', 'in', [...new Set(accounts.map((a) => a.gridId))])
    .execute();
  const pathOf = new Map(grids.map((g) => [g.id, g.path]));
  for (const a of accounts) {
    const row = await trx
      .insertInto('account')
      .values({
        username: a.username,
        display_name: a.displayName,
        password_hash: hash,
        must_change_password: true,
        home_grid_id: a.gridId,
        department_id: a.departmentId ?? null,
        last_active_at: ctx.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const r of a.roles) {
      const id = roleId.get(r.role);
      if (!id) throw new Error(`no built-in role ${r.role}`);
      await trx
        .insertInto('role_assignment')
        .values({
          account_id: row.id,
          role_id: id,
          grid_id: r.gridId ?? a.gridId,
          department_id: r.departmentId ?? null,
        })
        .execute();
    }
    for (const s of a.staffOf ?? []) {
      await trx
        .insertInto('grid_staff')
        .values({ grid_id: s.gridId, account_id: row.id, duty: s.duty })
        .execute();
    }
    await writeAudit(trx, ctx, {
      action: 'account.create',
      objectType: 'account',
      objectId: row.id,
      objectPath: pathOf.get(a.gridId) ?? null,
      detail: { roles: a.roles.map((r) => r.role) },
    });
  }
}

/** The three administrators of a new deployment, at its root, with no business permissions. */
export function adminAccounts(rootId: number): SeedAccount[] {
  return [
    { username: 'sysadmin', displayName: '系统管理员', gridId: rootId, roles: [{ role: '系统管理员' }] },
    { username: 'secadmin', displayName: '安全管理员', gridId: rootId, roles: [{ role: '安全管理员' }] },
    { username: 'auditadmin', displayName: '审计管理员', gridId: rootId, roles: [{ role: '审计管理员' }] },
  ];
}

export const DEFAULT_DEPARTMENTS = [
  ['yingji', '应急管理局', 'Emergency Management'],
  ['zhujian', '住房和城乡建设局', 'Housing and Urban-Rural Development'],
  ['ziran', '自然资源和规划局', 'Natural Resources and Planning'],
  ['shichang', '市场监督管理局', 'Market Regulation'],
  ['minzheng', '民政局', 'Civil Affairs'],
  ['chengguan', '综合行政执法局', 'Urban Management and Law Enforcement'],
  ['shengtai', '生态环境分局', 'Ecology and Environment'],
  ['shuili', '水利局', 'Water Resources'],
] as const;

export async function createDepartments(trx: Tx): Promise<Map<string, number>> {
  const rows = await trx
    .insertInto('department')
    .values(DEFAULT_DEPARTMENTS.map(([code, nameZh, nameEn]) => ({ code, name_zh: nameZh, name_en: nameEn })))
    .onConflict((oc) => oc.column('code').doNothing())
    .returning(['id', 'code'])
    .execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}
