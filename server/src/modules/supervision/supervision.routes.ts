import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams } from '@gridgov/common/schemas/common';
import {
  Supervision,
  SupervisionBody,
  SupervisionCloseBody,
  SupervisionReplyBody,
} from '@gridgov/common/schemas/matters';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  closeSupervision,
  createSupervisions,
  listSupervisions,
  replySupervision,
} from './supervision.service.ts';

/** Supervision orders (督办): issued by a higher level, answered by the handling level, closed by the issuer. */
export async function supervisionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['supervision'];
  // Who may answer or close is decided per order by the service (see supervision.policy.ts).
  const signedIn = { access: { permission: 'signed-in' as const } };

  app.post(
    '/matters/supervisions',
    {
      schema: { tags, body: SupervisionBody, response: { 200: Type.Array(Supervision) } },
      config: { access: { permission: 'matter.supervise' as const } },
    },
    (req) => createSupervisions(req.ctx, req.body),
  );
  app.get(
    '/matters/:id/supervisions',
    {
      schema: { tags, params: IdParams, response: { 200: Type.Array(Supervision) } },
      config: { access: { permission: 'matter.read' as const } },
    },
    (req) => listSupervisions(req.ctx, req.params.id),
  );
  app.post(
    '/supervisions/:id/reply',
    {
      schema: { tags, params: IdParams, body: SupervisionReplyBody, response: { 200: Supervision } },
      config: signedIn,
    },
    (req) => replySupervision(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/supervisions/:id/close',
    {
      schema: { tags, params: IdParams, body: SupervisionCloseBody, response: { 200: Supervision } },
      config: signedIn,
    },
    (req) => closeSupervision(req.ctx, req.params.id, req.body),
  );
}
