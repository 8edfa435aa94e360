import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PublicConfig } from '@gridgov/common/schemas/grids';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

/** Public, personal-data-free facts the web app needs before sign-in, and a health probe. */
export async function systemRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const config = { access: { public: true as const } };
  app.get(
    '/config',
    { schema: { tags: ['system'], response: { 200: PublicConfig } }, config },
    async (req) => {
      const rows = await req.ctx.db
        .selectFrom('setting')
        .select(['key', 'value'])
        .where('key', 'in', ['tile_url', 'demo'])
        .execute();
      const value = (key: string) => rows.find((r) => r.key === key)?.value;
      const tileUrl = value('tile_url');
      return {
        tileUrl: typeof tileUrl === 'string' && tileUrl ? tileUrl : null,
        demo: value('demo') === true,
      };
    },
  );
  app.get(
    '/health',
    { schema: { tags: ['system'], response: { 200: Type.Object({ ok: Type.Boolean() }) } }, config },
    async (req) => {
      await sql`SELECT 1`.execute(req.ctx.db);
      return { ok: true };
    },
  );
}
