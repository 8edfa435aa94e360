import type { ErrorCode, FieldError } from '@gridgov/common/errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../lib/app-error.ts';
import { writeAudit } from '../lib/audit.ts';

function send(reply: FastifyReply, status: number, code: ErrorCode, message: string, details?: unknown) {
  return reply
    .status(status)
    .send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

function fieldErrors(error: FastifyError): FieldError[] {
  return (error.validation ?? []).map((v) => {
    const base = `${error.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`;
    const missing = (v.params as { missingProperty?: string; additionalProperty?: string } | undefined) ?? {};
    const field = missing.missingProperty
      ? `${base}.${missing.missingProperty}`
      : missing.additionalProperty
        ? `${base}.${missing.additionalProperty}`
        : base;
    return { field, message: v.message ?? 'is invalid' };
  });
}

/** Audits denials in a transaction of their own: the request's transaction has been rolled back. */
async function auditDenial(request: FastifyRequest, error: AppError): Promise<void> {
  if (!request.ctx || !request.url.startsWith('/api/')) return;
  await writeAudit(request.ctx.db, request.ctx, {
    action: 'access.denied',
    objectType: 'route',
    objectId: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
    result: 'denied',
    reason: error.code,
  });
}

/** Maps every error to `{ error: { code, message, details } }` with one status convention. */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
      if (error instanceof AppError) {
        if (error.denial || error.code === 'UNAUTHENTICATED') {
          await auditDenial(request, error).catch((e) =>
            request.log.error({ err: e }, 'audit of denial failed'),
          );
        }
        return send(reply, error.status, error.code, error.message, error.details);
      }
      if (error.validation) {
        const details = fieldErrors(error);
        return send(
          reply,
          400,
          'VALIDATION',
          details[0] ? `${details[0].field}: ${details[0].message}` : error.message,
          details,
        );
      }
      const status = error.statusCode ?? 500;
      if (status === 429) return send(reply, 429, 'RATE_LIMITED', 'Too many requests; slow down');
      if (status === 413) return send(reply, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
      if (status === 404) return send(reply, 404, 'NOT_FOUND', 'Not found');
      if (status >= 400 && status < 500) return send(reply, 400, 'VALIDATION', error.message);
      request.log.error({ err: error }, 'unexpected error');
      return send(reply, 500, 'INTERNAL', `Internal error (request ${request.id})`);
    });
    app.setNotFoundHandler((request, reply) =>
      send(reply, 404, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`),
    );
  },
  { name: 'gridgov-errors' },
);
