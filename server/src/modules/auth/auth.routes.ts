import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CodeBody,
  LoginBody,
  Me,
  PasswordChangeBody,
  SESSION_STAGES,
  StageResponse,
  TotpEnrolment,
  UpdateMeBody,
} from '@gridgov/common/schemas/auth';
import { OkResponse } from '@gridgov/common/schemas/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/app-error.ts';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../../plugins/auth.ts';
import { updateOwnEmailSettings } from '../accounts/email.service.ts';
import { presentMe } from './auth.presenter.ts';
import {
  beginTotpEnrolment,
  changePassword,
  confirmTotpEnrolment,
  signIn,
  signOut,
  verifySecondFactor,
} from './auth.service.ts';

function currentSession(request: FastifyRequest) {
  if (!request.session) throw new AppError('UNAUTHENTICATED');
  return request.session;
}

export async function authRoutes(fastify: FastifyInstance, opts: { loginRateLimit: number }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const rateLimit = { max: opts.loginRateLimit, timeWindow: '1 minute' };
  const tags = ['auth'];

  app.post(
    '/auth/login',
    {
      schema: { tags, body: LoginBody, response: { 200: StageResponse } },
      config: { access: { public: true }, rateLimit },
    },
    async (request, reply) => {
      const result = await signIn(request.ctx, {
        ...request.body,
        userAgent: request.headers['user-agent'] ?? null,
        previousToken: request.cookies[SESSION_COOKIE],
      });
      setSessionCookie(request, reply, result.token);
      return { stage: result.stage, csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/auth/totp',
    {
      schema: { tags, body: CodeBody, response: { 200: StageResponse } },
      config: { access: { permission: 'signed-in', stages: ['totp'] }, rateLimit },
    },
    async (request) => {
      const session = currentSession(request);
      const stage = await verifySecondFactor(request.ctx, session.stage, request.body.code);
      return { stage, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/auth/password',
    {
      schema: { tags, body: PasswordChangeBody, response: { 200: StageResponse } },
      config: { access: { permission: 'signed-in', stages: ['password', 'active'] } },
    },
    async (request) => {
      const session = currentSession(request);
      const stage = await changePassword(request.ctx, session.stage, request.body);
      return { stage, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/auth/totp/enrol',
    {
      schema: { tags, response: { 200: TotpEnrolment } },
      config: { access: { permission: 'signed-in', stages: ['enroll', 'active'] } },
    },
    async (request) => beginTotpEnrolment(request.ctx),
  );

  app.post(
    '/auth/totp/confirm',
    {
      schema: { tags, body: CodeBody, response: { 200: StageResponse } },
      config: { access: { permission: 'signed-in', stages: ['enroll', 'active'] } },
    },
    async (request) => {
      const session = currentSession(request);
      const stage = await confirmTotpEnrolment(request.ctx, session.stage, request.body.code);
      return { stage, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: { tags, response: { 200: OkResponse } },
      config: { access: { permission: 'signed-in', stages: SESSION_STAGES } },
    },
    async (request, reply) => {
      await signOut(request.ctx);
      clearSessionCookie(reply);
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/me',
    {
      schema: { tags, response: { 200: Me } },
      config: { access: { permission: 'signed-in', stages: SESSION_STAGES } },
    },
    async (request) => presentMe(request.ctx, currentSession(request)),
  );

  app.patch(
    '/auth/me',
    {
      schema: { tags, body: UpdateMeBody, response: { 200: Me } },
      config: { access: { permission: 'signed-in' } },
    },
    async (request) => {
      await updateOwnEmailSettings(request.ctx, request.body);
      return presentMe(request.ctx, currentSession(request));
    },
  );
}
