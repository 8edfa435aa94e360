import type { MatterFilters, SavedView } from '@gridgov/common/schemas/saved-views';
import type { Selectable } from 'kysely';
import type { SavedViewTable } from '../../db/schema/types.ts';

export function presentView(row: Selectable<SavedViewTable>): SavedView {
  return {
    id: row.id,
    name: row.name,
    filters: (row.filters ?? {}) as MatterFilters,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
