import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams } from '@gridgov/common/schemas/common';
import { Attachment } from '@gridgov/common/schemas/matters';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validationError } from '../../lib/app-error.ts';
import { idempotencyKeyOf } from '../../lib/idempotency.ts';
import type { FileStorage } from '../../lib/storage.ts';
import { MAX_ATTACHMENT_BYTES, THUMBNAIL_MIME } from './attachments.content.ts';
import { inlineDisposition, thumbnailFileName } from './attachments.presenter.ts';
import { openAttachment, openThumbnail, type Upload, uploadAttachment } from './attachments.service.ts';

/**
 * A thumbnail never changes under its URL (attachments are immutable), so the browser may keep it — in
 * its own cache only — for a week without asking again; a week bounds what a shared phone keeps after
 * access is withdrawn.
 */
const THUMBNAIL_CACHE = 'private, max-age=604800, immutable';

const BinaryFile = Type.Unsafe<Uint8Array>({
  type: 'string',
  format: 'binary',
  description: 'image/jpeg, image/png, image/webp or application/pdf',
});
const ThumbnailFile = Type.Unsafe<Uint8Array>({
  type: 'string',
  format: 'binary',
  description: 'image/webp, at most 320×320; images only (404 for a PDF)',
});

/** The multipart body, for the OpenAPI document; the file itself is read and checked by the handler. */
const UploadBody = {
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        nullable: true,
        properties: { file: { type: 'string', description: 'the file (≤ 10 MB)' } },
      },
    },
  },
};

/** Reads the one `file` part of a multipart request (413 beyond the limit, 400 otherwise). */
async function readFilePart(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) {
    throw validationError([{ field: 'file', message: 'send the file as multipart/form-data' }]);
  }
  try {
    const part = await request.file();
    if (part?.fieldname !== 'file') throw validationError([{ field: 'file', message: 'is required' }]);
    return { bytes: await part.toBuffer(), fileName: part.filename };
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413 || (error as { code?: string }).code === 'VALIDATION') throw error;
    throw validationError([{ field: 'file', message: 'could not be read from the multipart body' }]);
  }
}

export async function attachmentRoutes(
  fastify: FastifyInstance,
  opts: { storage: FileStorage },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['matters'];
  const { storage } = opts;
  await app.register(multipart, {
    limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
  });

  app.post(
    '/matters/:id/attachments',
    {
      schema: { tags, params: IdParams, body: UploadBody, response: { 200: Attachment } },
      config: { access: { permission: 'matter.read' } },
    },
    async (request) =>
      uploadAttachment(
        request.ctx,
        storage,
        request.params.id,
        () => readFilePart(request),
        idempotencyKeyOf(request.headers),
      ),
  );

  app.get(
    '/attachments/:id',
    {
      schema: { tags, params: IdParams, response: { 200: BinaryFile } },
      config: { access: { permission: 'matter.read' } },
    },
    async (request, reply) => {
      const { row, bytes } = await openAttachment(request.ctx, storage, request.params.id);
      return reply
        .header('content-type', row.mime)
        .header('content-disposition', inlineDisposition(row.file_name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  app.get(
    '/attachments/:id/thumbnail',
    {
      schema: { tags, params: IdParams, response: { 200: ThumbnailFile } },
      config: { access: { permission: 'matter.read' } },
    },
    async (request, reply) => {
      const { row, bytes } = await openThumbnail(request.ctx, storage, request.params.id);
      return reply
        .header('content-type', THUMBNAIL_MIME)
        .header('content-disposition', inlineDisposition(thumbnailFileName(row.file_name)))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', THUMBNAIL_CACHE)
        .send(bytes);
    },
  );
}
