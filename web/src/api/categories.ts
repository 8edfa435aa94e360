import type { Category, UpdateCategoryBody } from '@gridgov/common/schemas/matters';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export type { Category, UpdateCategoryBody };
// The schema builder widens its literal unions to string; the literal types are spelled out here.
export type TimeUnit = 'minutes' | 'hours' | 'days' | 'workdays';
export type CategoryStep = 'accept' | 'sign' | 'handle' | 'verify';
export type CategoryLevel = 'village' | 'town' | 'county';
export type RequiredField = 'location' | 'photos';

/** The value lists of common/, kept here so the bundle does not pull in the schema builder. */
export const TIME_UNITS: readonly TimeUnit[] = ['minutes', 'hours', 'days', 'workdays'];
export const CATEGORY_STEPS: readonly CategoryStep[] = ['accept', 'sign', 'handle', 'verify'];
export const CATEGORY_LEVELS: readonly CategoryLevel[] = ['village', 'town', 'county'];
export const REQUIRED_FIELDS: readonly RequiredField[] = ['location', 'photos'];

export const categoryKeys = { all: ['categories'] as const };

/** The taxonomy, parents first (a flat list). */
export function useCategories(enabled = true) {
  return useQuery({
    queryKey: categoryKeys.all,
    queryFn: () => api<Category[]>('/categories'),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useUpdateCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateCategoryBody & { id: number }) =>
      api<Category>(`/categories/${id}`, { method: 'PATCH', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: categoryKeys.all }),
  });
}

export interface CategoryGroup {
  group: Category;
  children: Category[];
}

/** The two levels: each group with its categories, in the server's order; orphans form their own groups. */
export function groupCategories(list: readonly Category[]): CategoryGroup[] {
  const groups = new Map<number, CategoryGroup>();
  for (const c of list) if (c.parentId === null) groups.set(c.id, { group: c, children: [] });
  for (const c of list) {
    if (c.parentId === null) continue;
    const parent = groups.get(c.parentId);
    if (parent) parent.children.push(c);
    else groups.set(c.id, { group: c, children: [] });
  }
  return [...groups.values()];
}
