import type { Selectable } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import type { DepartmentTable } from '../../db/schema/types.ts';

export type DepartmentRow = Selectable<DepartmentTable>;

export function listDepartments(q: Queryable) {
  return q.selectFrom('department').selectAll().orderBy('code').execute();
}

export function findDepartment(q: Queryable, id: number) {
  return q.selectFrom('department').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findDepartmentByCode(q: Queryable, code: string) {
  return q.selectFrom('department').select('id').where('code', '=', code).executeTakeFirst();
}

export function insertDepartment(
  q: Queryable,
  d: { code: string; nameZh: string; nameEn: string; now: Date },
) {
  return q
    .insertInto('department')
    .values({ code: d.code, name_zh: d.nameZh, name_en: d.nameEn, created_at: d.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateDepartment(
  q: Queryable,
  id: number,
  set: { name_zh?: string; name_en?: string; active?: boolean },
) {
  return q.updateTable('department').set(set).where('id', '=', id).returningAll().executeTakeFirst();
}
