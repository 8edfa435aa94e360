import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AuditExportQuery,
  AuditPage,
  AuditQuery,
  AuditVerification,
  XlsxFile,
} from '@gridgov/common/schemas/audit';
import type { FastifyInstance } from 'fastify';
import { XLSX_MIME } from '../../lib/spreadsheet.ts';
import { presentAuditEntry } from './audit.presenter.ts';
import { exportAudit, searchAudit, verifyAudit } from './audit.service.ts';

function exportFileName(at: Date): string {
  return `audit-${at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}.xlsx`;
}

export async function auditRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['audit'];

  app.get(
    '/audit',
    {
      schema: { tags, querystring: AuditQuery, response: { 200: AuditPage } },
      config: { access: { permission: 'audit.read' } },
    },
    async (request) => {
      const { limit = 50, offset = 0, ...filters } = request.query;
      const { items, total } = await searchAudit(request.ctx, filters, { limit, offset });
      return { items: items.map(presentAuditEntry), total };
    },
  );

  app.get(
    '/audit/export.xlsx',
    {
      schema: { tags, querystring: AuditExportQuery, response: { 200: XlsxFile } },
      config: { access: { permission: 'audit.export' } },
    },
    async (request, reply) => {
      const result = await exportAudit(request.ctx, request.query);
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', `attachment; filename="${exportFileName(request.ctx.clock.now())}"`)
        .header('x-total-count', String(result.total))
        .header('x-truncated', String(result.truncated))
        .send(result.file);
    },
  );

  app.get(
    '/audit/verify',
    {
      schema: { tags, response: { 200: AuditVerification } },
      config: { access: { permission: 'audit.read' } },
    },
    async (request) => verifyAudit(request.ctx),
  );
}
