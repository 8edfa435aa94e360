import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams } from '@gridgov/common/schemas/common';
import { CreateMatterBody, MatterDetail, TransitionBody } from '@gridgov/common/schemas/matters';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { idempotencyKeyOf } from '../../lib/idempotency.ts';
import { categoryRoutes } from '../categories/categories.routes.ts';
import { createMatter, getMatterDetail, transitionMatter } from './matters.service.ts';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description: 'A retry with the same key returns the first response (≤ 64 of A–Z a–z 0–9 _ - : .)',
    }),
  ),
});

/** The write side of matters (report, read one, fire a transition) and the taxonomy it reports under. */
export async function matterRoutes(fastify: FastifyInstance): Promise<void> {
  await fastify.register(categoryRoutes);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['matters'];

  app.post(
    '/matters',
    {
      schema: { tags, headers: IdempotencyHeaders, body: CreateMatterBody, response: { 200: MatterDetail } },
      config: { access: { permission: 'matter.report' } },
    },
    (req) => createMatter(req.ctx, req.body, idempotencyKeyOf(req.headers)),
  );

  app.get(
    '/matters/:id',
    {
      schema: { tags, params: IdParams, response: { 200: MatterDetail } },
      config: { access: { permission: 'matter.read' } },
    },
    (req) => getMatterDetail(req.ctx, req.params.id),
  );

  // Each transition has its own permission, checked by the service over the matter's placement.
  app.post(
    '/matters/:id/transitions',
    {
      schema: {
        tags,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: TransitionBody,
        response: { 200: MatterDetail },
      },
      config: { access: { permission: 'matter.read' } },
    },
    (req) => transitionMatter(req.ctx, req.params.id, req.body, idempotencyKeyOf(req.headers)),
  );
}
