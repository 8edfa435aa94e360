import type {
  HolidayOverrides,
  NotificationSettings,
  NotificationSettingsBody,
} from '@gridgov/common/schemas/settings';
import { createWorkCalendar } from '@gridgov/common/time/workdays';
import type { Queryable } from '../../db/client.ts';
import { validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { deploymentSecret } from '../../secret.ts';
import { sealSecret } from '../auth/totp.ts';
import { resetWorkCalendar } from '../matters/deadlines.ts';
import type { SmtpSettings } from '../notifications/outbox.ts';
import { deleteSetting, readSettings, SETTING, writeSetting } from './settings.repository.ts';

const MIN_WEBHOOK_SECRET = 16;

const invalid = (field: string, message: string) => validationError([{ field, message }]);

// ---- notification channels -------------------------------------------------------------------------

function storedSmtp(value: unknown): SmtpSettings | null {
  const s = value as Partial<SmtpSettings> | undefined;
  return typeof s?.host === 'string' && typeof s.from === 'string' ? (s as SmtpSettings) : null;
}

const storedString = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

async function readChannels(q: Queryable, lock = false) {
  const values = await readSettings(q, [SETTING.smtp, SETTING.webhookUrl, SETTING.webhookSecret], { lock });
  return {
    smtp: storedSmtp(values.get(SETTING.smtp)),
    webhookUrl: storedString(values.get(SETTING.webhookUrl)),
    webhookSecretSealed: storedString(values.get(SETTING.webhookSecret)),
  };
}

/** The notification channels without their secrets: only whether each secret is set. */
export async function getNotificationSettings(ctx: Ctx): Promise<NotificationSettings> {
  const c = await readChannels(ctx.db);
  return {
    smtp: c.smtp && {
      host: c.smtp.host,
      port: c.smtp.port ?? (c.smtp.secure ? 465 : 587),
      secure: c.smtp.secure ?? false,
      user: c.smtp.user ?? '',
      from: c.smtp.from,
      passwordSet: typeof c.smtp.passwordSealed === 'string' && c.smtp.passwordSealed !== '',
    },
    webhookUrl: c.webhookUrl,
    webhookSecretSet: c.webhookSecretSealed !== null,
  };
}

/** An http(s) URL with a host (400 naming `body.webhookUrl` otherwise). */
function checkWebhookUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('body.webhookUrl', 'is not a URL');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw invalid('body.webhookUrl', 'must be an http(s) URL');
  }
  return url;
}

type SecretChange = 'kept' | 'set' | 'cleared';

/** What a write-only field does: absent keeps the stored value, '' clears it, anything else replaces it. */
const changeOf = (value: string | undefined): SecretChange =>
  value === undefined ? 'kept' : value === '' ? 'cleared' : 'set';

/**
 * Replaces the notification channels. The SMTP password and the webhook secret are write-only and
 * stored sealed under the deployment secret (`sealSecret`); the outbox transports open them. A webhook
 * URL must be http(s) and needs a secret (400 naming the field). The audit row
 * `settings.notifications.update` records the SMTP server, the webhook's origin (its path and query
 * may carry a token) and whether each secret was kept, set or cleared — never a secret.
 */
export async function updateNotificationSettings(
  ctx: Ctx,
  body: NotificationSettingsBody,
): Promise<NotificationSettings> {
  const url = body.webhookUrl === null ? null : checkWebhookUrl(body.webhookUrl.trim());
  const secretChange = changeOf(body.webhookSecret);
  if (secretChange === 'set' && (body.webhookSecret ?? '').length < MIN_WEBHOOK_SECRET) {
    throw invalid('body.webhookSecret', `must be at least ${MIN_WEBHOOK_SECRET} characters`);
  }
  const passwordChange = body.smtp ? changeOf(body.smtp.password) : 'cleared';
  const key = deploymentSecret(ctx.config);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await readChannels(trx, true);
    const secretSealed =
      secretChange === 'kept'
        ? before.webhookSecretSealed
        : secretChange === 'set'
          ? sealSecret(body.webhookSecret as string, key)
          : null;
    if (url && !secretSealed) throw invalid('body.webhookSecret', 'is required with a webhook URL');

    if (body.smtp) {
      const { password, ...fields } = body.smtp;
      const passwordSealed =
        passwordChange === 'kept'
          ? before.smtp?.passwordSealed
          : passwordChange === 'set'
            ? sealSecret(password as string, key)
            : undefined;
      const stored: SmtpSettings = { ...fields, ...(passwordSealed ? { passwordSealed } : {}) };
      await writeSetting(trx, SETTING.smtp, stored, now);
    } else {
      await deleteSetting(trx, SETTING.smtp);
    }
    if (url) await writeSetting(trx, SETTING.webhookUrl, url.href, now);
    else await deleteSetting(trx, SETTING.webhookUrl);
    if (secretSealed) await writeSetting(trx, SETTING.webhookSecret, secretSealed, now);
    else await deleteSetting(trx, SETTING.webhookSecret);

    await writeAudit(trx, ctx, {
      action: 'settings.notifications.update',
      objectType: 'setting',
      objectId: 'notifications',
      detail: {
        smtp: body.smtp && {
          host: body.smtp.host,
          port: body.smtp.port,
          secure: body.smtp.secure,
          from: body.smtp.from,
          auth: body.smtp.user !== '',
          password: passwordChange,
        },
        webhook: url && { origin: url.origin },
        webhookSecret: secretChange,
      },
    });
  });
  return getNotificationSettings(ctx);
}

// ---- holiday overrides -----------------------------------------------------------------------------

const sortedUnique = (dates: readonly string[]) => [...new Set(dates)].sort();

/** The deployment's holiday overrides (`holiday_overrides`), each list sorted. */
export async function getHolidayOverrides(q: Queryable): Promise<HolidayOverrides> {
  const value = (await readSettings(q, [SETTING.holidays])).get(SETTING.holidays) as
    | Partial<HolidayOverrides>
    | undefined;
  return {
    holidays: sortedUnique(value?.holidays ?? []),
    workdays: sortedUnique(value?.workdays ?? []),
  };
}

/**
 * Checks overrides as `createWorkCalendar` will read them: each a real 'YYYY-MM-DD' date, none in both
 * lists (400 naming the entry, e.g. `body.holidays.3`, under `field`).
 */
export function checkHolidayOverrides(o: HolidayOverrides, field = 'body'): void {
  const problems: { field: string; message: string }[] = [];
  for (const list of ['holidays', 'workdays'] as const) {
    o[list].forEach((date, i) => {
      try {
        createWorkCalendar({ holidays: [date] });
      } catch {
        problems.push({ field: `${field}.${list}.${i}`, message: 'is not a date (YYYY-MM-DD)' });
      }
    });
  }
  const holidays = new Set(o.holidays);
  o.workdays.forEach((date, i) => {
    if (holidays.has(date)) {
      problems.push({ field: `${field}.workdays.${i}`, message: `${date} is also listed as a holiday` });
    }
  });
  if (problems.length > 0) throw validationError(problems);
  createWorkCalendar(o);
}

const added = (from: readonly string[], to: readonly string[]) => to.filter((d) => !from.includes(d));

/**
 * Replaces the holiday overrides (checked by {@link checkHolidayOverrides}), audits what was added and
 * removed (`settings.holidays.update`) and drops this process's cached calendar; other server processes
 * pick the change up within a minute. Deadlines already planned keep their dates; the next step of a
 * matter is planned with the new calendar.
 */
export async function updateHolidayOverrides(ctx: Ctx, body: HolidayOverrides): Promise<HolidayOverrides> {
  checkHolidayOverrides(body);
  const next = { holidays: sortedUnique(body.holidays), workdays: sortedUnique(body.workdays) };
  await ctx.db.transaction().execute(async (trx) => {
    await readSettings(trx, [SETTING.holidays], { lock: true });
    const before = await getHolidayOverrides(trx);
    await writeSetting(trx, SETTING.holidays, next, ctx.clock.now());
    await writeAudit(trx, ctx, {
      action: 'settings.holidays.update',
      objectType: 'setting',
      objectId: SETTING.holidays,
      detail: {
        added: {
          holidays: added(before.holidays, next.holidays),
          workdays: added(before.workdays, next.workdays),
        },
        removed: {
          holidays: added(next.holidays, before.holidays),
          workdays: added(next.workdays, before.workdays),
        },
      },
    });
  });
  resetWorkCalendar();
  return next;
}
