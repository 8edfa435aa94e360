import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams } from '@gridgov/common/schemas/common';
import { CreateDepartmentBody, Department, UpdateDepartmentBody } from '@gridgov/common/schemas/departments';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { presentDepartment } from './departments.presenter.ts';
import { createDepartment, listDepartments, updateDepartment } from './departments.service.ts';

export async function departmentRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['departments'];
  const read = { access: { permission: 'department.read' as const } };
  const manage = { access: { permission: 'department.manage' as const } };

  app.get(
    '/departments',
    { schema: { tags, response: { 200: Type.Array(Department) } }, config: read },
    async (req) => (await listDepartments(req.ctx)).map((row) => presentDepartment(req.ctx, row)),
  );

  app.post(
    '/departments',
    { schema: { tags, body: CreateDepartmentBody, response: { 200: Department } }, config: manage },
    async (req) => presentDepartment(req.ctx, await createDepartment(req.ctx, req.body)),
  );

  app.patch(
    '/departments/:id',
    {
      schema: { tags, params: IdParams, body: UpdateDepartmentBody, response: { 200: Department } },
      config: manage,
    },
    async (req) => presentDepartment(req.ctx, await updateDepartment(req.ctx, req.params.id, req.body)),
  );
}
