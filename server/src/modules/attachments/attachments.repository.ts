import type { Selectable } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import type { AttachmentTable } from '../../db/schema/types.ts';
import type { MatterPlacement } from '../matters/matters.scope.ts';

export type AttachmentRow = Selectable<AttachmentTable>;

export interface PlacedMatter extends MatterPlacement {
  id: number;
}

/** The columns that decide who may see and act on a matter; callers check scope on the result. */
export function findMatterPlacement(q: Queryable, id: number): Promise<PlacedMatter | undefined> {
  return q
    .selectFrom('matter')
    .select(['id', 'grid_path', 'owner_path', 'assignee_path', 'department_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An attachment with its matter's placement; callers check scope on the result. */
export function findAttachmentWithMatter(
  q: Queryable,
  id: number,
): Promise<(AttachmentRow & { matter: MatterPlacement }) | undefined> {
  return q
    .selectFrom('attachment as a')
    .innerJoin('matter as m', 'm.id', 'a.matter_id')
    .selectAll('a')
    .select(['m.grid_path', 'm.owner_path', 'm.assignee_path', 'm.department_id'])
    .where('a.id', '=', id)
    .executeTakeFirst()
    .then((row) => {
      if (!row) return undefined;
      const { grid_path, owner_path, assignee_path, department_id, ...attachment } = row;
      return { ...attachment, matter: { grid_path, owner_path, assignee_path, department_id } };
    });
}

export function insertAttachment(q: Queryable, a: Omit<AttachmentRow, 'id'>): Promise<AttachmentRow> {
  return q.insertInto('attachment').values(a).returningAll().executeTakeFirstOrThrow();
}

/** A matter's attachments in upload order (for the matter detail; the matter's scope is checked by the caller). */
export function listMatterAttachments(q: Queryable, matterId: number): Promise<AttachmentRow[]> {
  return q.selectFrom('attachment').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();
}

/**
 * Which of these storage keys an attachment row names (for the orphan-file sweep: a system read across
 * every matter, by the unique index on `storage_key`).
 */
export async function findStorageKeys(q: Queryable, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await q
    .selectFrom('attachment')
    .select('storage_key')
    .where('storage_key', 'in', keys)
    .execute();
  return new Set(rows.map((r) => r.storage_key));
}
