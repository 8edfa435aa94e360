import type { Me, SessionStage } from '@gridgov/common/schemas/auth';
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/context.ts';
import { loadPolicy } from './policy.ts';

export async function presentMe(ctx: Ctx, session: { stage: SessionStage; csrfToken: string }): Promise<Me> {
  const actor = ctx.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const [account, grid, policy] = await Promise.all([
    ctx.db
      .selectFrom('account')
      .select(['totp_enabled_at', 'email', 'notify_email'])
      .where('id', '=', actor.id)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('grid')
      .select(['id', 'name', 'path'])
      .where('id', '=', actor.homeGridId)
      .executeTakeFirstOrThrow(),
    loadPolicy(ctx.db),
  ]);
  return {
    id: actor.id,
    username: actor.username,
    displayName: actor.displayName,
    stage: session.stage,
    csrfToken: session.csrfToken,
    kind: actor.kind,
    roles: actor.roles,
    permissions: [...actor.grants.keys()].sort(),
    homeGrid: grid,
    departmentId: actor.departmentId,
    totpEnabled: account.totp_enabled_at !== null,
    idleMinutes: policy.idleMinutes,
    email: account.email,
    emailNotifications: account.notify_email,
  };
}
