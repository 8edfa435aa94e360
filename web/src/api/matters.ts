import type {
  Attachment,
  CreateMatterBody,
  MatterDetail,
  MatterEvent,
  MatterSummary,
  PersonalField,
  Supervision,
  TodoCounts as TodoCountsSchema,
  TransitionBody,
} from '@gridgov/common/schemas/matters';
import type { MatterFilters } from '@gridgov/common/schemas/saved-views';
import type { Static } from '@sinclair/typebox';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiBlob, type Query } from './client.ts';

export type {
  Attachment,
  CreateMatterBody,
  MatterDetail,
  MatterEvent,
  MatterFilters,
  MatterSummary,
  PersonalField,
  Supervision,
  TransitionBody,
};
export type TodoCounts = Static<typeof TodoCountsSchema>;
export type TodoKind = 'accept' | 'sign' | 'handle' | 'verify' | 'overdue';
export type MatterPage = { items: MatterSummary[]; total: number };
// The schema builder widens its literal unions to string; the literal types are spelled out here.
export type DeadlineStatus = 'none' | 'ok' | 'warning' | 'overdue' | 'paused';
export type DeadlineStep = 'accept' | 'sign' | 'handle' | 'verify';
export type SupervisionPriority = 'normal' | 'high' | 'urgent';
export type SupervisionState = 'open' | 'replied' | 'closed';
export type PartyRole = 'requester' | 'party';
export type MatterSource = 'grid_worker' | 'desk' | 'hotline' | 'portal' | 'open311' | 'screening';

/** PERSONAL_FIELDS and the to-do kinds of common/, kept here so the bundle does not pull in the schema builder. */
export const PERSONAL_FIELDS: readonly PersonalField[] = ['name', 'phone', 'id_number', 'address'];
export const TODO_KINDS: readonly TodoKind[] = ['accept', 'sign', 'handle', 'verify', 'overdue'];
export const SUPERVISION_PRIORITIES: readonly SupervisionPriority[] = ['normal', 'high', 'urgent'];

export const matterKeys = {
  all: ['matters'] as const,
  lists: () => ['matters', 'list'] as const,
  list: (filters: MatterFilters, page: { limit: number; offset: number }) =>
    ['matters', 'list', filters, page] as const,
  detail: (id: number) => ['matters', 'detail', id] as const,
  todo: () => ['matters', 'todo-counts'] as const,
  duplicates: (categoryId: number, lng: number, lat: number) =>
    ['matters', 'duplicates', categoryId, lng, lat] as const,
};

/** The filters as query parameters (the state list repeats its key). */
export function filterQuery(filters: MatterFilters): Query {
  return { ...filters };
}

export function useMatters(filters: MatterFilters, page: { limit: number; offset: number }, enabled = true) {
  return useQuery({
    queryKey: matterKeys.list(filters, page),
    queryFn: ({ signal }) =>
      api<MatterPage>('/matters', { query: { ...filterQuery(filters), ...page }, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useMatter(id: number | null) {
  return useQuery({
    queryKey: matterKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api<MatterDetail>(`/matters/${id}`, { signal }),
    enabled: id !== null,
  });
}

export function useTodoCounts(enabled = true) {
  return useQuery({
    queryKey: matterKeys.todo(),
    queryFn: ({ signal }) => api<TodoCounts>('/matters/todo-counts', { signal }),
    enabled,
  });
}

/** Open matters of the same category within 200 m, reported in the last 7 days. */
export function useDuplicates(categoryId: number | undefined, location: [number, number] | null) {
  const [lng, lat] = location ?? [0, 0];
  return useQuery({
    queryKey: matterKeys.duplicates(categoryId ?? 0, lng, lat),
    queryFn: ({ signal }) =>
      api<MatterSummary[]>('/matters/duplicates', { query: { categoryId, lng, lat }, signal }),
    enabled: categoryId !== undefined && location !== null,
    staleTime: 60_000,
    retry: false,
  });
}

/** Forgets what is known about one matter and about every list and count it may appear in. */
export function invalidateMatter(queryClient: ReturnType<typeof useQueryClient>, id?: number | null) {
  void queryClient.invalidateQueries({ queryKey: matterKeys.lists() });
  void queryClient.invalidateQueries({ queryKey: matterKeys.todo() });
  if (id) void queryClient.invalidateQueries({ queryKey: matterKeys.detail(id) });
}

export function useTransition(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TransitionBody) =>
      api<MatterDetail>(`/matters/${id}/transitions`, { method: 'POST', body }),
    onSuccess: (detail) => {
      queryClient.setQueryData(matterKeys.detail(detail.id), detail);
      invalidateMatter(queryClient);
    },
  });
}

/** Fires a transition on any matter (the dispatch desk works on rows, not on an open detail). */
export function useTransitionAny() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: TransitionBody & { id: number }) =>
      api<MatterDetail>(`/matters/${id}/transitions`, { method: 'POST', body }),
    onSuccess: (detail) => {
      queryClient.setQueryData(matterKeys.detail(detail.id), detail);
      invalidateMatter(queryClient);
    },
  });
}

/**
 * The full value of one masked field. Deliberately not a query or a stored mutation: the value lives in
 * the component that asked for it and nowhere else.
 */
export const unmaskField = (id: number, body: { partyId: number; field: PersonalField; reason: string }) =>
  api<{ value: string }>(`/matters/${id}/unmask`, { method: 'POST', body });

export const createMatter = (body: CreateMatterBody, idempotencyKey: string) =>
  api<MatterDetail>('/matters', { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey } });

/** Uploads one file to a matter; a retry with the same key gives back the first attachment. */
export function uploadAttachment(matterId: number, file: Blob, fileName: string, idempotencyKey?: string) {
  const form = new FormData();
  form.append('file', file, fileName);
  return api<Attachment>(`/matters/${matterId}/attachments`, {
    method: 'POST',
    form,
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined,
  });
}

export const attachmentUrl = (id: number) => `/api/attachments/${id}`;

export const useExportMatters = () =>
  useMutation({
    mutationFn: (filters: MatterFilters) => apiBlob('/matters/export.xlsx', { query: filterQuery(filters) }),
  });

function useSupervisionWrite<TVars>(matterId: number, fn: (vars: TVars) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => invalidateMatter(queryClient, matterId),
  });
}

export const useSupervise = (matterId: number) =>
  useSupervisionWrite(matterId, (body: { priority: SupervisionPriority; reason: string; deadline: string }) =>
    api<Supervision[]>('/matters/supervisions', { method: 'POST', body: { ...body, matterIds: [matterId] } }),
  );

export const useReplySupervision = (matterId: number) =>
  useSupervisionWrite(matterId, ({ id, reply }: { id: number; reply: string }) =>
    api<Supervision>(`/supervisions/${id}/reply`, { method: 'POST', body: { reply } }),
  );

export const useCloseSupervision = (matterId: number) =>
  useSupervisionWrite(matterId, ({ id, note }: { id: number; note?: string }) =>
    api<Supervision>(`/supervisions/${id}/close`, { method: 'POST', body: note ? { note } : {} }),
  );

/** A random key for `Idempotency-Key`; `crypto.randomUUID` exists only on https and localhost. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
