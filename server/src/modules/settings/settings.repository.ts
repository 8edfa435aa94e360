import type { Queryable } from '../../db/client.ts';

/** The `setting` keys this module maintains (JSON values; see docs/matters.md, "Outbox"). */
export const SETTING = {
  smtp: 'smtp',
  webhookUrl: 'webhook_url',
  webhookSecret: 'webhook_secret',
  holidays: 'holiday_overrides',
} as const;

export type SettingKey = (typeof SETTING)[keyof typeof SETTING];

/** The values of `keys` that are set; with `lock`, their rows stay locked until the transaction ends. */
export async function readSettings(
  q: Queryable,
  keys: readonly SettingKey[],
  opts: { lock?: boolean } = {},
): Promise<Map<string, unknown>> {
  let query = q
    .selectFrom('setting')
    .select(['key', 'value'])
    .where('key', 'in', [...keys]);
  if (opts.lock) query = query.forUpdate();
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function writeSetting(q: Queryable, key: SettingKey, value: unknown, at: Date): Promise<void> {
  const json = JSON.stringify(value);
  await q
    .insertInto('setting')
    .values({ key, value: json, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: at }))
    .execute();
}

export async function deleteSetting(q: Queryable, key: SettingKey): Promise<void> {
  await q.deleteFrom('setting').where('key', '=', key).execute();
}
