import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { XlsxFile } from '@gridgov/common/schemas/audit';
import { IdParams, Page } from '@gridgov/common/schemas/common';
import {
  DuplicateQuery,
  MatterListQuery,
  MatterSummary,
  TodoCounts,
  UnmaskBody,
} from '@gridgov/common/schemas/matters';
import { MatterFilters } from '@gridgov/common/schemas/saved-views';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { XLSX_MIME } from '../../lib/spreadsheet.ts';
import { savedViewRoutes } from '../saved-views/saved-views.routes.ts';
import { exportMatters } from './matters.export.ts';
import { findDuplicates, listMatters, todoCounts } from './matters.list.ts';
import { unmaskParty } from './matters.unmask.ts';

function exportFileName(at: Date): string {
  return `matters-${at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}.xlsx`;
}

/** The read side of matters: list, to-do counts, duplicates, export, unmasking; and the saved list views. */
export async function matterQueryRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['matters'];
  const read = { access: { permission: 'matter.read' as const } };

  app.get(
    '/matters',
    { schema: { tags, querystring: MatterListQuery, response: { 200: Page(MatterSummary) } }, config: read },
    (req) => listMatters(req.ctx, req.query),
  );

  app.get('/matters/todo-counts', { schema: { tags, response: { 200: TodoCounts } }, config: read }, (req) =>
    todoCounts(req.ctx),
  );

  app.get(
    '/matters/duplicates',
    {
      schema: { tags, querystring: DuplicateQuery, response: { 200: Type.Array(MatterSummary) } },
      config: read,
    },
    (req) => findDuplicates(req.ctx, req.query),
  );

  app.get(
    '/matters/export.xlsx',
    {
      schema: { tags, querystring: MatterFilters, response: { 200: XlsxFile } },
      config: { access: { permission: 'matter.export' } },
    },
    async (req, reply) => {
      const result = await exportMatters(req.ctx, req.query);
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', `attachment; filename="${exportFileName(req.ctx.clock.now())}"`)
        .header('x-total-count', String(result.total))
        .header('x-truncated', String(result.truncated))
        .send(result.file);
    },
  );

  app.post(
    '/matters/:id/unmask',
    {
      schema: {
        tags,
        params: IdParams,
        body: UnmaskBody,
        response: { 200: Type.Object({ value: Type.String() }) },
      },
      config: { access: { permission: 'matter.unmask' } },
    },
    async (req, reply) => {
      const result = await unmaskParty(req.ctx, req.params.id, req.body);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  await app.register(savedViewRoutes);
}
