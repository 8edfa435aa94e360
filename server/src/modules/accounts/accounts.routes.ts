import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  Account,
  AccountListQuery,
  AccountPage,
  AssignRoleBody,
  CreateAccountBody,
  CreatedAccount,
  DisableAccountBody,
  InitialPassword,
  UpdateAccountBody,
} from '@gridgov/common/schemas/accounts';
import { IdParams, OkResponse } from '@gridgov/common/schemas/common';
import type { FastifyInstance } from 'fastify';
import { presentAccount } from './accounts.presenter.ts';
import {
  createAccount,
  disableAccount,
  enableAccount,
  getAccount,
  listAccounts,
  resetPassword,
  resetTotp,
  unlockAccount,
} from './accounts.service.ts';
import { assignRole, unassignRole } from './assignments.service.ts';
import { updateAccountEmail } from './email.service.ts';

export async function accountRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['accounts'];
  const read = { access: { permission: 'account.read' as const } };
  const manage = { access: { permission: 'account.manage' as const } };
  const unlock = { access: { permission: 'account.unlock' as const } };
  const roles = { access: { permission: 'role.manage' as const } };
  const one = { tags, params: IdParams, response: { 200: Account } };

  app.get(
    '/accounts',
    { schema: { tags, querystring: AccountListQuery, response: { 200: AccountPage } }, config: read },
    async (req) => {
      const page = await listAccounts(req.ctx, req.query);
      return { items: page.items.map((v) => presentAccount(req.ctx, v)), total: page.total };
    },
  );

  app.get('/accounts/:id', { schema: one, config: read }, async (req) =>
    presentAccount(req.ctx, await getAccount(req.ctx, req.params.id)),
  );

  app.post(
    '/accounts',
    { schema: { tags, body: CreateAccountBody, response: { 200: CreatedAccount } }, config: manage },
    async (req) => {
      const { view, initialPassword } = await createAccount(req.ctx, req.body);
      return { account: presentAccount(req.ctx, view), initialPassword };
    },
  );

  app.patch('/accounts/:id', { schema: { ...one, body: UpdateAccountBody }, config: manage }, async (req) =>
    presentAccount(req.ctx, await updateAccountEmail(req.ctx, req.params.id, req.body.email)),
  );

  app.post(
    '/accounts/:id/disable',
    { schema: { ...one, body: DisableAccountBody }, config: manage },
    async (req) => presentAccount(req.ctx, await disableAccount(req.ctx, req.params.id, req.body.reason)),
  );

  app.post('/accounts/:id/enable', { schema: one, config: manage }, async (req) =>
    presentAccount(req.ctx, await enableAccount(req.ctx, req.params.id)),
  );

  app.post('/accounts/:id/unlock', { schema: one, config: unlock }, async (req) =>
    presentAccount(req.ctx, await unlockAccount(req.ctx, req.params.id)),
  );

  app.post(
    '/accounts/:id/reset-password',
    { schema: { tags, params: IdParams, response: { 200: InitialPassword } }, config: unlock },
    async (req) => ({ initialPassword: await resetPassword(req.ctx, req.params.id) }),
  );

  app.post('/accounts/:id/reset-totp', { schema: one, config: unlock }, async (req) =>
    presentAccount(req.ctx, await resetTotp(req.ctx, req.params.id)),
  );

  app.post(
    '/accounts/:id/assignments',
    { schema: { ...one, body: AssignRoleBody }, config: roles },
    async (req) => presentAccount(req.ctx, await assignRole(req.ctx, req.params.id, req.body)),
  );

  app.delete(
    '/assignments/:id',
    { schema: { tags, params: IdParams, response: { 200: OkResponse } }, config: roles },
    async (req) => {
      await unassignRole(req.ctx, req.params.id);
      return { ok: true as const };
    },
  );
}
