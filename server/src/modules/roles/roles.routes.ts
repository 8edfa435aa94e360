import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams } from '@gridgov/common/schemas/common';
import { CreateRoleBody, PermissionInfo, Role, UpdateRoleBody } from '@gridgov/common/schemas/roles';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { presentRole } from './roles.presenter.ts';
import { createRole, listPermissions, listRoles, updateRole } from './roles.service.ts';

export async function roleRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['roles'];
  const read = { access: { permission: 'role.read' as const } };
  const manage = { access: { permission: 'role.manage' as const } };

  app.get('/roles', { schema: { tags, response: { 200: Type.Array(Role) } }, config: read }, async (req) =>
    (await listRoles(req.ctx)).map((v) => presentRole(req.ctx, v)),
  );

  app.post(
    '/roles',
    { schema: { tags, body: CreateRoleBody, response: { 200: Role } }, config: manage },
    async (req) => presentRole(req.ctx, await createRole(req.ctx, req.body)),
  );

  app.patch(
    '/roles/:id',
    { schema: { tags, params: IdParams, body: UpdateRoleBody, response: { 200: Role } }, config: manage },
    async (req) => presentRole(req.ctx, await updateRole(req.ctx, req.params.id, req.body)),
  );

  app.get(
    '/permissions',
    { schema: { tags, response: { 200: Type.Array(PermissionInfo) } }, config: read },
    async () => listPermissions(),
  );
}
