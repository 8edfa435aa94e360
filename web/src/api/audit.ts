import type {
  AuditEntry,
  AuditFilters,
  AuditPage,
  AuditResult,
  AuditVerification,
} from '@gridgov/common/schemas/audit';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, apiBlob } from './client.ts';

export type { AuditEntry, AuditResult, AuditVerification };
export type AuditFilter = AuditFilters;

/** AUDIT_RESULTS of common/, without pulling the schema builder into the bundle. */
export const AUDIT_RESULTS: readonly AuditResult[] = ['success', 'failure', 'denied'];

export function useAuditLog(filter: AuditFilter, page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ['audit', filter, page],
    queryFn: ({ signal }) => api<AuditPage>('/audit', { query: { ...filter, ...page }, signal }),
    placeholderData: keepPreviousData,
  });
}

export const useVerifyAudit = () =>
  useMutation({ mutationFn: () => api<AuditVerification>('/audit/verify') });

export const useExportAudit = () =>
  useMutation({
    mutationFn: (filter: AuditFilter) => apiBlob('/audit/export.xlsx', { query: { ...filter } }),
  });
