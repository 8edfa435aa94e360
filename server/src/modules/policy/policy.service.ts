import type { SecurityPolicy as PolicyBody } from '@gridgov/common/schemas/policy';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { loadPolicy, type SecurityPolicy, savePolicy } from '../auth/policy.ts';

export function getPolicy(ctx: Ctx): Promise<SecurityPolicy> {
  return loadPolicy(ctx.db);
}

/**
 * Replaces the security policy (the schema bounds each value). It applies at once: idle and
 * absolute session limits on the next request, password rules at the next change, lockout at
 * the next failure, inactivity at the next sweep. The audit records each changed value.
 */
export async function updatePolicy(ctx: Ctx, body: PolicyBody): Promise<SecurityPolicy> {
  const before = await loadPolicy(ctx.db);
  const next: SecurityPolicy = { ...body };
  const changes = Object.fromEntries(
    (Object.keys(next) as (keyof SecurityPolicy)[])
      .filter((k) => before[k] !== next[k])
      .map((k) => [k, { from: before[k], to: next[k] }]),
  );
  await ctx.db.transaction().execute(async (trx) => {
    await savePolicy(trx, next, ctx.clock.now());
    await writeAudit(trx, ctx, {
      action: 'policy.update',
      objectType: 'setting',
      objectId: 'security_policy',
      detail: { changes },
    });
  });
  return loadPolicy(ctx.db);
}
