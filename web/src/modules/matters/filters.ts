import {
  MATTER_STATES,
  MATTER_TYPES,
  type MatterState,
  type MatterType,
} from '@gridgov/common/workflow/matter';
import dayjs, { type Dayjs } from 'dayjs';
import { type MatterFilters, TODO_KINDS, type TodoKind } from '../../api/matters.ts';

export type TriState = 'yes' | 'no';

/** The filter form; the created range is by day (from the start of the first, to the end of the last). */
export interface FilterValues {
  q?: string;
  type?: MatterType;
  categoryId?: number;
  state?: MatterState[];
  gridId?: number;
  range?: [Dayjs | null, Dayjs | null] | null;
  deadline?: 'warning' | 'overdue';
  supervised?: TriState;
  problem?: TriState;
  todo?: TodoKind;
}

const DEADLINES = ['warning', 'overdue'] as const;
const positiveInt = (v: string | null) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};
const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined =>
  v !== null && (values as readonly string[]).includes(v) ? (v as T) : undefined;
const bool = (v: string | null) => (v === 'true' ? true : v === 'false' ? false : undefined);
const isoDate = (v: string | null) => (v && dayjs(v).isValid() ? dayjs(v).toISOString() : undefined);

/** Drops empty filters, so that equal filters compare (and cache) equal. */
export function compact(filters: MatterFilters): MatterFilters {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as MatterFilters;
}

export function filtersFromParams(params: URLSearchParams): MatterFilters {
  return compact({
    q: params.get('q')?.trim().slice(0, 64) || undefined,
    type: oneOf(MATTER_TYPES, params.get('type')),
    categoryId: positiveInt(params.get('categoryId')),
    state: params.getAll('state').filter((s): s is MatterState => oneOf(MATTER_STATES, s) !== undefined),
    gridId: positiveInt(params.get('gridId')),
    from: isoDate(params.get('from')),
    to: isoDate(params.get('to')),
    deadline: oneOf(DEADLINES, params.get('deadline')),
    supervised: bool(params.get('supervised')),
    problem: bool(params.get('problem')),
    todo: oneOf(TODO_KINDS, params.get('todo')),
  });
}

export function filtersToParams(filters: MatterFilters, page = 1): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(compact(filters))) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  if (page > 1) params.set('page', String(page));
  return params;
}

const tri = (v: boolean | undefined): TriState | undefined =>
  v === undefined ? undefined : v ? 'yes' : 'no';
const fromTri = (v: TriState | undefined) => (v === undefined ? undefined : v === 'yes');

export function filtersToValues(f: MatterFilters): FilterValues {
  return {
    q: f.q,
    type: f.type as MatterType | undefined,
    categoryId: f.categoryId,
    state: (f.state ?? []) as MatterState[],
    gridId: f.gridId,
    range:
      f.from || f.to ? [f.from ? dayjs(f.from) : null, f.to ? dayjs(f.to).subtract(1, 'day') : null] : null,
    deadline: f.deadline as FilterValues['deadline'],
    supervised: tri(f.supervised),
    problem: tri(f.problem),
    todo: f.todo as TodoKind | undefined,
  };
}

export function valuesToFilters(v: FilterValues): MatterFilters {
  const [from, to] = v.range ?? [null, null];
  return compact({
    q: v.q?.trim() || undefined,
    type: v.type,
    categoryId: v.categoryId,
    state: v.state,
    gridId: v.gridId,
    from: from ? from.startOf('day').toISOString() : undefined,
    to: to ? to.add(1, 'day').startOf('day').toISOString() : undefined,
    deadline: v.deadline,
    supervised: fromTri(v.supervised),
    problem: fromTri(v.problem),
    todo: v.todo,
  });
}
