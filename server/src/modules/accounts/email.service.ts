import type { UpdateMeBody } from '@gridgov/common/schemas/auth';
import { AppError, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { requireAccountAction } from './accounts.policy.ts';
import type { AccountView } from './accounts.presenter.ts';
import { findAccount, lockEmailSettings, updateAccount } from './accounts.repository.ts';
import { loadAccount } from './accounts.service.ts';

/** How an address changed, for the audit row — which never holds the address itself. */
export type EmailChange = 'set' | 'changed' | 'cleared' | 'unchanged';

export function emailChange(before: string | null, after: string | null): EmailChange {
  if (before === after) return 'unchanged';
  if (after === null) return 'cleared';
  return before === null ? 'set' : 'changed';
}

interface EmailEdit {
  /** The new address, null to clear it; left out keeps it. */
  email?: string | null;
  /** The switch; left out keeps it (clearing the address turns it off). */
  notify?: boolean;
}

/**
 * Writes an account's e-mail settings and the audit row `account.email.update` in one transaction, the
 * account row locked meanwhile. Clearing the address turns e-mail notifications off; turning them on
 * without an address is 400 `body.emailNotifications`. The audit detail says how the address changed
 * (`set | changed | cleared | unchanged`) and where the switch stands — never the address.
 */
async function writeEmailSettings(
  ctx: Ctx,
  account: { id: number; homePath: string },
  edit: EmailEdit,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const before = await lockEmailSettings(trx, account.id);
    if (!before) throw new AppError('NOT_FOUND');
    const email = edit.email === undefined ? before.email : edit.email;
    if (email === null && edit.notify === true) {
      throw validationError([{ field: 'body.emailNotifications', message: 'needs an e-mail address' }]);
    }
    const notify = email === null ? false : (edit.notify ?? before.notify_email);
    await updateAccount(trx, account.id, { email, notify_email: notify });
    await writeAudit(trx, ctx, {
      action: 'account.email.update',
      objectType: 'account',
      objectId: account.id,
      objectPath: account.homePath,
      detail: { email: emailChange(before.email, email), emailNotifications: notify },
    });
  });
}

/**
 * The system administrator sets, changes or (null) clears another account's work e-mail address:
 * `account.manage` over its home grid (404 outside the scope, 403 in scope without it or on oneself —
 * one's own address is changed on the profile, `PATCH /auth/me`). The account's own switch is kept,
 * unless the address is cleared, which turns it off.
 */
export async function updateAccountEmail(ctx: Ctx, id: number, email: string | null): Promise<AccountView> {
  const row = await findAccount(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND');
  const account = { id, homePath: row.home_path };
  requireAccountAction(ctx, 'account.manage', account);
  await writeEmailSettings(ctx, account, { email });
  return loadAccount(ctx, id);
}

/** The signed-in staff member's own e-mail address and whether notifications also go there by e-mail. */
export async function updateOwnEmailSettings(ctx: Ctx, body: UpdateMeBody): Promise<void> {
  const actor = ctx.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  await writeEmailSettings(
    ctx,
    { id: actor.id, homePath: actor.homePath },
    { email: body.email, notify: body.emailNotifications },
  );
}
