import { type Static, Type } from '@sinclair/typebox';

/**
 * Deployment-wide settings kept by the system administrator (`settings.manage`): the external
 * notification channels and the holiday calendar's overrides.
 */

const SmtpFields = {
  host: Type.String({ minLength: 1, maxLength: 253, pattern: '^[^\\s/]+$' }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  /** TLS from the start (usually port 465); false: STARTTLS when the server offers it (587, 25). */
  secure: Type.Boolean(),
  /** The account to sign in with; empty: no authentication. */
  user: Type.String({ maxLength: 256 }),
  /** The sender, e.g. `网格治理平台 <noreply@example.gov.cn>`. */
  from: Type.String({ minLength: 3, maxLength: 320, pattern: '@' }),
};

/**
 * A change of the notification channels. Secrets are write-only: `smtp.password` and `webhookSecret`
 * absent keep the stored value, '' clears it, anything else replaces it.
 */
export const NotificationSettingsBody = Type.Object(
  {
    smtp: Type.Union([
      Type.Object(
        { ...SmtpFields, password: Type.Optional(Type.String({ maxLength: 256 })) },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    /** http(s); each notification is then also POSTed there, signed with the webhook secret. */
    webhookUrl: Type.Union([Type.String({ minLength: 1, maxLength: 2048 }), Type.Null()]),
    /** At least 16 characters; required while a webhook URL is set. */
    webhookSecret: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type NotificationSettingsBody = Static<typeof NotificationSettingsBody>;

/** The notification channels as stored, without the secrets: only whether each is set. */
export const NotificationSettings = Type.Object({
  smtp: Type.Union([Type.Object({ ...SmtpFields, passwordSet: Type.Boolean() }), Type.Null()]),
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  webhookSecretSet: Type.Boolean(),
});
export type NotificationSettings = Static<typeof NotificationSettings>;

const CalendarDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

/**
 * The deployment's overrides of the official holiday schedule (docs/adr/0004): days off and working
 * days (调休) that the shipped schedule does not know, e.g. next year's as soon as it is published.
 */
export const HolidayOverrides = Type.Object(
  {
    holidays: Type.Array(CalendarDate, { maxItems: 1000 }),
    workdays: Type.Array(CalendarDate, { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type HolidayOverrides = Static<typeof HolidayOverrides>;
