import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams } from '@gridgov/common/schemas/common';
import {
  CreateGridBody,
  GeometryCollection,
  GridDetail,
  GridLevelInfo,
  GridNode,
  LookupQuery,
  SearchQuery,
  StaffBody,
  UpdateGridBody,
} from '@gridgov/common/schemas/grids';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  createGrid,
  geometryOf,
  getGrid,
  listChildren,
  listLevels,
  listRoots,
  lookupPoint,
  searchGrids,
  setStaff,
  updateGrid,
} from './grids.service.ts';

export async function gridRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['grids'];
  const read = { access: { permission: 'grid.read' as const } };
  const manage = { access: { permission: 'grid.manage' as const } };

  app.get(
    '/grid-levels',
    { schema: { tags, response: { 200: Type.Array(GridLevelInfo) } }, config: read },
    (req) => listLevels(req.ctx),
  );
  app.get(
    '/grids/roots',
    { schema: { tags, response: { 200: Type.Array(GridNode) } }, config: read },
    (req) => listRoots(req.ctx),
  );
  app.get(
    '/grids/search',
    { schema: { tags, querystring: SearchQuery, response: { 200: Type.Array(GridNode) } }, config: read },
    (req) => searchGrids(req.ctx, req.query.q),
  );
  app.get(
    '/grids/lookup',
    {
      schema: {
        tags,
        querystring: LookupQuery,
        response: { 200: Type.Object({ grid: Type.Union([GridNode, Type.Null()]) }) },
      },
      config: read,
    },
    async (req) => ({ grid: await lookupPoint(req.ctx, req.query.lng, req.query.lat) }),
  );
  app.get(
    '/grids/:id',
    { schema: { tags, params: IdParams, response: { 200: GridDetail } }, config: read },
    (req) => getGrid(req.ctx, req.params.id),
  );
  app.get(
    '/grids/:id/children',
    { schema: { tags, params: IdParams, response: { 200: Type.Array(GridNode) } }, config: read },
    (req) => listChildren(req.ctx, req.params.id),
  );
  app.get(
    '/grids/:id/geometry',
    { schema: { tags, params: IdParams, response: { 200: GeometryCollection } }, config: read },
    (req) => geometryOf(req.ctx, req.params.id),
  );
  app.post(
    '/grids',
    { schema: { tags, body: CreateGridBody, response: { 200: GridDetail } }, config: manage },
    (req) => createGrid(req.ctx, req.body),
  );
  app.patch(
    '/grids/:id',
    {
      schema: { tags, params: IdParams, body: UpdateGridBody, response: { 200: GridDetail } },
      config: manage,
    },
    (req) => updateGrid(req.ctx, req.params.id, req.body),
  );
  app.put(
    '/grids/:id/staff',
    { schema: { tags, params: IdParams, body: StaffBody, response: { 200: GridDetail } }, config: manage },
    (req) => setStaff(req.ctx, req.params.id, req.body),
  );
}
