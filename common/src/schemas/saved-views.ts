import { type Static, Type } from '@sinclair/typebox';
import { Text } from './common.ts';
import { MatterListQuery } from './matters.ts';

/** The filters of the matter list without paging: what an export takes and what a saved view stores. */
export const MatterFilters = Type.Omit(MatterListQuery, ['limit', 'offset'], { additionalProperties: false });
export type MatterFilters = Static<typeof MatterFilters>;

/** The filter names, in the schema's order (for audit rows, which record names and never values). */
export const MATTER_FILTER_NAMES = Object.keys(MatterFilters.properties) as (keyof MatterFilters)[];

/** The most views one account may keep. */
export const SAVED_VIEWS_MAX = 50;

export const SavedView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  filters: MatterFilters,
  createdAt: Type.String({ format: 'date-time' }),
});
export type SavedView = Static<typeof SavedView>;

export const CreateSavedViewBody = Type.Object(
  { name: Text(64), filters: MatterFilters },
  { additionalProperties: false },
);
export type CreateSavedViewBody = Static<typeof CreateSavedViewBody>;
