import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams } from '@gridgov/common/schemas/common';
import { Category, UpdateCategoryBody } from '@gridgov/common/schemas/matters';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listCategories, updateCategory } from './categories.service.ts';

export async function categoryRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['categories'];

  app.get(
    '/categories',
    {
      schema: { tags, response: { 200: Type.Array(Category) } },
      // Staff read the taxonomy to report and file; the system administrator keeps it.
      config: { access: { permission: ['matter.read', 'category.manage'] } },
    },
    (req) => listCategories(req.ctx),
  );

  app.patch(
    '/categories/:id',
    {
      schema: { tags, params: IdParams, body: UpdateCategoryBody, response: { 200: Category } },
      config: { access: { permission: 'category.manage' } },
    },
    (req) => updateCategory(req.ctx, req.params.id, req.body),
  );
}
