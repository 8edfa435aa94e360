import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SecurityPolicy } from '@gridgov/common/schemas/policy';
import type { FastifyInstance } from 'fastify';
import { getPolicy, updatePolicy } from './policy.service.ts';

export async function policyRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['policy'];
  const manage = { access: { permission: 'policy.manage' as const } };

  app.get(
    '/security-policy',
    { schema: { tags, response: { 200: SecurityPolicy } }, config: manage },
    async (req) => getPolicy(req.ctx),
  );

  app.put(
    '/security-policy',
    { schema: { tags, body: SecurityPolicy, response: { 200: SecurityPolicy } }, config: manage },
    async (req) => updatePolicy(req.ctx, req.body),
  );
}
