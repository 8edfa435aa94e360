import type { Queryable } from '../../db/client.ts';

/** The security policy, editable by the security administrator; defaults follow MLPS 2.0 level 3 practice. */
export interface SecurityPolicy {
  passwordMinLength: number;
  /** How many of the four classes (lower, upper, digit, symbol) a password needs. */
  passwordClasses: number;
  passwordBlocklist: boolean;
  lockoutThreshold: number;
  lockoutMinutes: number;
  idleMinutes: number;
  absoluteHours: number;
  inactiveDays: number;
  /** Whether staff (business roles) need a second factor too; administrators always do. */
  totpRequiredForStaff: boolean;
}

export const DEFAULT_POLICY: SecurityPolicy = {
  passwordMinLength: 8,
  passwordClasses: 3,
  passwordBlocklist: true,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  idleMinutes: 30,
  absoluteHours: 12,
  inactiveDays: 90,
  totpRequiredForStaff: false,
};

export async function loadPolicy(q: Queryable): Promise<SecurityPolicy> {
  const row = await q
    .selectFrom('setting')
    .select('value')
    .where('key', '=', 'security_policy')
    .executeTakeFirst();
  return { ...DEFAULT_POLICY, ...((row?.value as Partial<SecurityPolicy> | undefined) ?? {}) };
}

export async function savePolicy(q: Queryable, policy: SecurityPolicy, at: Date): Promise<void> {
  await q
    .insertInto('setting')
    .values({ key: 'security_policy', value: JSON.stringify(policy), updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(policy), updated_at: at }))
    .execute();
}
