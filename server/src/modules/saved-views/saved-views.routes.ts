import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams, OkResponse } from '@gridgov/common/schemas/common';
import { CreateSavedViewBody, SavedView } from '@gridgov/common/schemas/saved-views';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createSavedView, deleteSavedView, listSavedViews } from './saved-views.service.ts';

/** The caller's own saved views of the matter list (mounted by the matters read side). */
export async function savedViewRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['saved-views'];
  const read = { access: { permission: 'matter.read' as const } };

  app.get(
    '/saved-views',
    { schema: { tags, response: { 200: Type.Array(SavedView) } }, config: read },
    (req) => listSavedViews(req.ctx),
  );
  app.post(
    '/saved-views',
    { schema: { tags, body: CreateSavedViewBody, response: { 200: SavedView } }, config: read },
    (req) => createSavedView(req.ctx, req.body),
  );
  app.delete(
    '/saved-views/:id',
    { schema: { tags, params: IdParams, response: { 200: OkResponse } }, config: read },
    (req) => deleteSavedView(req.ctx, req.params.id),
  );
}
