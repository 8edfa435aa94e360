import { createHash, randomBytes } from 'node:crypto';
import type { AdminKind } from '@gridgov/common/permissions';
import type { SessionStage } from '@gridgov/common/schemas/auth';
import { AppError, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import { HOUR, MINUTE } from '../../lib/clock.ts';
import type { Ctx } from '../../lib/context.ts';
import { deleteSession, findAccountByUsername, insertSession, loadGrants } from './auth.repository.ts';
import { checkPassword, dummyHash, hashPassword, verifyPassword } from './password.ts';
import { loadPolicy, type SecurityPolicy } from './policy.ts';
import { matchTotp, newTotpSecret, openSecret, sealSecret, totpUri } from './totp.ts';

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function deploymentSecret(ctx: Ctx): string {
  if (!ctx.config.secret) throw new Error('deployment secret is not configured');
  return ctx.config.secret;
}

/** Administrators always need a second factor; staff when the policy says so. */
export function totpRequired(kinds: Set<AdminKind | 'business'>, policy: SecurityPolicy): boolean {
  for (const k of kinds) if (k !== 'business') return true;
  return policy.totpRequiredForStaff;
}

interface StageFacts {
  totpEnrolled: boolean;
  mustChangePassword: boolean;
  totpRequired: boolean;
}

/** Sign-in goes through: second factor → forced password change → second-factor enrolment → active. */
export function nextStage(after: SessionStage | 'start', f: StageFacts): SessionStage {
  const order: SessionStage[] = ['totp', 'password', 'enroll', 'active'];
  const needed: Record<SessionStage, boolean> = {
    totp: f.totpEnrolled,
    password: f.mustChangePassword,
    enroll: f.totpRequired && !f.totpEnrolled,
    active: true,
  };
  const from = after === 'start' ? 0 : order.indexOf(after) + 1;
  return order.slice(from).find((s) => needed[s]) ?? 'active';
}

export interface SignInResult {
  token: string;
  stage: SessionStage;
  csrfToken: string;
}

const GENERIC = 'Wrong username or password';

/**
 * Checks a password sign-in. Failures are counted on the account in the database and lock it
 * for the policy's minutes after the threshold; every attempt is audited in its own transaction.
 */
export async function signIn(
  ctx: Ctx,
  input: { username: string; password: string; userAgent: string | null; previousToken?: string },
): Promise<SignInResult> {
  const now = ctx.clock.now();
  const policy = await loadPolicy(ctx.db);
  const account = await findAccountByUsername(ctx.db, input.username);
  const attempted = {
    id: account?.id ?? null,
    name: input.username.slice(0, 64),
    path: account?.home_path ?? null,
  };
  if (!account) {
    await verifyPassword(await dummyHash(), input.password);
    await writeAudit(ctx.db, ctx, {
      action: 'auth.login',
      result: 'failure',
      reason: 'unknown account',
      actor: attempted,
    });
    throw new AppError('UNAUTHENTICATED', GENERIC);
  }
  if (account.locked_until && account.locked_until > now) {
    await writeAudit(ctx.db, ctx, {
      action: 'auth.login',
      result: 'denied',
      reason: 'locked',
      actor: attempted,
    });
    throw new AppError('UNAUTHENTICATED', 'The account is locked; try again later', {
      locked: true,
      until: account.locked_until.toISOString(),
    });
  }
  const ok = await verifyPassword(account.password_hash, input.password);
  if (!ok || account.disabled_at) {
    await recordFailure(
      ctx,
      account.id,
      account.failed_attempts,
      policy,
      attempted,
      ok ? 'disabled' : 'wrong password',
    );
    throw new AppError('UNAUTHENTICATED', GENERIC);
  }
  const { kinds } = await loadGrants(ctx.db, account.id);
  const stage = nextStage('start', {
    totpEnrolled: account.totp_enabled_at !== null,
    mustChangePassword: account.must_change_password,
    totpRequired: totpRequired(kinds, policy),
  });
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await ctx.db.transaction().execute(async (trx) => {
    if (input.previousToken) await deleteSession(trx, sessionIdOf(input.previousToken));
    await trx
      .updateTable('account')
      .set({ failed_attempts: 0, locked_until: null, last_active_at: now })
      .where('id', '=', account.id)
      .execute();
    await insertSession(trx, {
      id: sessionIdOf(token),
      accountId: account.id,
      stage,
      csrf: csrfToken,
      now,
      expiresAt: new Date(now.getTime() + policy.absoluteHours * HOUR),
      ip: ctx.ip,
      userAgent: input.userAgent?.slice(0, 256) ?? null,
    });
    await writeAudit(trx, ctx, {
      action: 'auth.login',
      objectType: 'account',
      objectId: account.id,
      objectPath: account.home_path,
      detail: { stage },
      actor: attempted,
    });
  });
  return { token, stage, csrfToken };
}

async function recordFailure(
  ctx: Ctx,
  accountId: number,
  previousFailures: number,
  policy: SecurityPolicy,
  actor: { id: number | null; name: string | null; path: string | null },
  reason: string,
): Promise<void> {
  const now = ctx.clock.now();
  const failures = previousFailures + 1;
  const lock = failures >= policy.lockoutThreshold;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set(
        lock
          ? { failed_attempts: 0, locked_until: new Date(now.getTime() + policy.lockoutMinutes * MINUTE) }
          : { failed_attempts: failures },
      )
      .where('id', '=', accountId)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'auth.login',
      result: 'failure',
      reason,
      actor,
      detail: { failures, locked: lock },
    });
    if (lock)
      await writeAudit(trx, ctx, {
        action: 'account.lock',
        objectType: 'account',
        objectId: accountId,
        actor,
        reason: 'too many failures',
      });
  });
}

async function stageFacts(ctx: Ctx, accountId: number): Promise<StageFacts> {
  const policy = await loadPolicy(ctx.db);
  const account = await ctx.db
    .selectFrom('account')
    .select(['must_change_password', 'totp_enabled_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  const { kinds } = await loadGrants(ctx.db, accountId);
  return {
    totpEnrolled: account.totp_enabled_at !== null,
    mustChangePassword: account.must_change_password,
    totpRequired: totpRequired(kinds, policy),
  };
}

function requireActor(ctx: Ctx) {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.actor;
}

/** Second step of sign-in: a TOTP code. A wrong code counts towards the lockout like a wrong password. */
export async function verifySecondFactor(ctx: Ctx, stage: SessionStage, code: string): Promise<SessionStage> {
  const actor = requireActor(ctx);
  const now = ctx.clock.now();
  const account = await ctx.db
    .selectFrom('account')
    .select(['totp_secret', 'totp_last_step', 'failed_attempts'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  const step = account.totp_secret
    ? matchTotp(openSecret(account.totp_secret, deploymentSecret(ctx)), code, now)
    : null;
  if (step === null || (account.totp_last_step !== null && step <= account.totp_last_step)) {
    const policy = await loadPolicy(ctx.db);
    const who = { id: actor.id, name: actor.username, path: actor.homePath };
    await recordFailure(ctx, actor.id, account.failed_attempts, policy, who, 'wrong second factor');
    if (account.failed_attempts + 1 >= policy.lockoutThreshold) {
      await deleteSession(ctx.db, actor.sessionId);
      throw new AppError('UNAUTHENTICATED', 'The account is locked; try again later', { locked: true });
    }
    throw validationError([{ field: 'code', message: 'wrong or already used code' }]);
  }
  const next = nextStage(stage, await stageFacts(ctx, actor.id));
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set({ totp_last_step: step, failed_attempts: 0 })
      .where('id', '=', actor.id)
      .execute();
    await trx.updateTable('session').set({ stage: next }).where('id', '=', actor.sessionId).execute();
    await writeAudit(trx, ctx, {
      action: 'auth.totp',
      objectType: 'account',
      objectId: actor.id,
      objectPath: actor.homePath,
    });
  });
  return next;
}

/** Changes the caller's own password; during sign-in it also completes the forced-change step. */
export async function changePassword(
  ctx: Ctx,
  stage: SessionStage,
  input: { currentPassword: string; newPassword: string },
): Promise<SessionStage> {
  const actor = requireActor(ctx);
  const policy = await loadPolicy(ctx.db);
  const account = await ctx.db
    .selectFrom('account')
    .select(['password_hash'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(account.password_hash, input.currentPassword))) {
    throw validationError([{ field: 'currentPassword', message: 'is wrong' }]);
  }
  const problems = checkPassword(input.newPassword, policy, {
    username: actor.username,
    field: 'newPassword',
  });
  if (input.newPassword === input.currentPassword)
    problems.push({ field: 'newPassword', message: 'must differ from the current one' });
  if (problems.length > 0) throw validationError(problems);
  const passwordHash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  const next =
    stage === 'active'
      ? 'active'
      : nextStage(stage, { ...(await stageFacts(ctx, actor.id)), mustChangePassword: false });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set({ password_hash: passwordHash, must_change_password: false, password_changed_at: now })
      .where('id', '=', actor.id)
      .execute();
    await trx
      .deleteFrom('session')
      .where('account_id', '=', actor.id)
      .where('id', '!=', actor.sessionId)
      .execute();
    await trx.updateTable('session').set({ stage: next }).where('id', '=', actor.sessionId).execute();
    await writeAudit(trx, ctx, {
      action: 'account.password.change',
      objectType: 'account',
      objectId: actor.id,
      objectPath: actor.homePath,
    });
  });
  return next;
}

/** Starts TOTP enrolment: a new secret, stored sealed but not enabled until a code confirms it. */
export async function beginTotpEnrolment(ctx: Ctx): Promise<{ secret: string; uri: string }> {
  const actor = requireActor(ctx);
  const secret = newTotpSecret();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set({
        totp_secret: sealSecret(secret, deploymentSecret(ctx)),
        totp_enabled_at: null,
        totp_last_step: null,
      })
      .where('id', '=', actor.id)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'account.totp.begin',
      objectType: 'account',
      objectId: actor.id,
      objectPath: actor.homePath,
    });
  });
  return { secret, uri: totpUri(secret, actor.username) };
}

export async function confirmTotpEnrolment(
  ctx: Ctx,
  stage: SessionStage,
  code: string,
): Promise<SessionStage> {
  const actor = requireActor(ctx);
  const now = ctx.clock.now();
  const account = await ctx.db
    .selectFrom('account')
    .select(['totp_secret'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  if (!account.totp_secret) throw validationError([{ field: 'code', message: 'start the enrolment first' }]);
  const step = matchTotp(openSecret(account.totp_secret, deploymentSecret(ctx)), code, now);
  if (step === null) throw validationError([{ field: 'code', message: 'wrong code' }]);
  const next =
    stage === 'active'
      ? 'active'
      : nextStage(stage, { ...(await stageFacts(ctx, actor.id)), totpEnrolled: true });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set({ totp_enabled_at: now, totp_last_step: step })
      .where('id', '=', actor.id)
      .execute();
    await trx.updateTable('session').set({ stage: next }).where('id', '=', actor.sessionId).execute();
    await writeAudit(trx, ctx, {
      action: 'account.totp.enable',
      objectType: 'account',
      objectId: actor.id,
      objectPath: actor.homePath,
    });
  });
  return next;
}

export async function signOut(ctx: Ctx): Promise<void> {
  const actor = requireActor(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await deleteSession(trx, actor.sessionId);
    await writeAudit(trx, ctx, {
      action: 'auth.logout',
      objectType: 'account',
      objectId: actor.id,
      objectPath: actor.homePath,
    });
  });
}
