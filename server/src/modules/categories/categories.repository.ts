import { sql } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import type { CategoryRow } from '../../db/schema/types.ts';

/**
 * Every category as a flat list in tree order: each group (sorted by `sort`, then id) followed by its
 * leaves (sorted the same way), so that a parent always comes before its children.
 */
export function listCategories(q: Queryable): Promise<CategoryRow[]> {
  return q
    .selectFrom('category as c')
    .leftJoin('category as p', 'p.id', 'c.parent_id')
    .selectAll('c')
    .orderBy(sql`coalesce(p.sort, c.sort)`)
    .orderBy(sql`coalesce(c.parent_id, c.id)`)
    .orderBy(sql`c.parent_id IS NOT NULL`)
    .orderBy('c.sort')
    .orderBy('c.id')
    .execute();
}

export function findCategory(q: Queryable, id: number): Promise<CategoryRow | undefined> {
  return q.selectFrom('category').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A leaf category with whether its group is active too (a leaf of an inactive group takes no new matters). */
export function findLeafForReport(q: Queryable, id: number) {
  return q
    .selectFrom('category as c')
    .innerJoin('category as p', 'p.id', 'c.parent_id')
    .selectAll('c')
    .select('p.active as parent_active')
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export interface CategoryChanges {
  name_zh?: string;
  name_en?: string;
  default_level?: string;
  default_department_code?: string | null;
  limits?: string;
  required_fields?: string[];
  personal_fields?: string[];
  active?: boolean;
}

export function updateCategory(q: Queryable, id: number, set: CategoryChanges, now: Date) {
  return q
    .updateTable('category')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function departmentCodeExists(q: Queryable, code: string) {
  return q.selectFrom('department').select('id').where('code', '=', code).executeTakeFirst();
}
