import { createHmac } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Queryable } from '../../db/client.ts';
import { HOUR, MINUTE } from '../../lib/clock.ts';
import type { Ctx } from '../../lib/context.ts';
import { deploymentSecret } from '../../secret.ts';
import { openSecret } from '../auth/totp.ts';
import type { MatterRef } from './notify.ts';
import {
  claimDue,
  findEmailRecipients,
  insertOutbox,
  insertOutboxMany,
  markDelivered,
  markFailed,
  type OutboxChannel,
  type OutboxMessage,
  readSetting,
} from './outbox.repository.ts';

export type { OutboxChannel, OutboxMessage } from './outbox.repository.ts';

/** Facts for a message: ids, codes, kinds, times — never personal values (names, phones, addresses). */
export type OutboxPayload = Record<string, string | number | boolean | null | readonly number[]>;

/** An email message: a subject and a plain-text body, both free of personal values. */
export interface EmailPayload extends OutboxPayload {
  subject: string;
  text: string;
  /** The path of the matter in the web app (`/matters/:id`), when the message is about one. */
  link: string | null;
}

export const BATCH_SIZE = 50;
/** How long a claimed message stays with its worker before another may try it. */
export const LEASE_MS = 10 * MINUTE;
const MAX_BACKOFF_MS = 6 * HOUR;
const PARALLEL_SENDS = 5;
export const SIGNATURE_HEADER = 'x-gridgov-signature';
export const DELIVERY_HEADER = 'x-gridgov-delivery';

/**
 * Puts a message in the outbox, in the caller's transaction: it is sent only if the change commits,
 * and then at least once. `at` is when it becomes due (the caller's clock).
 */
export async function enqueue(
  trx: Queryable,
  channel: OutboxChannel,
  target: string,
  payload: OutboxPayload,
  at: Date,
): Promise<number> {
  return insertOutbox(trx, { channel, target, payload, at });
}

function settingString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * When the `webhook_url` setting holds an http(s) URL, queues a webhook event for a notification,
 * in the caller's transaction (`notifyAccounts` calls it). The event names the kind, the matter by id
 * and code, and the recipients by account id — no titles, no personal values.
 */
export async function enqueueNotificationWebhook(
  trx: Queryable,
  ctx: Ctx,
  n: { kind: string; matter: MatterRef | null; recipients: readonly number[] },
): Promise<boolean> {
  const url = settingString(await readSetting(trx, 'webhook_url'));
  if (!url || !/^https?:\/\//i.test(url)) return false;
  const at = ctx.clock.now();
  await enqueue(
    trx,
    'webhook',
    url,
    {
      event: 'notification',
      kind: n.kind,
      matterId: n.matter?.id ?? null,
      matterCode: n.matter?.code ?? null,
      accountIds: [...n.recipients],
      at: at.toISOString(),
    },
    at,
  );
  return true;
}

/**
 * The e-mail for a notification: the in-app title and body, a link to the matter (a full URL under
 * `publicUrl` when the deployment sets PUBLIC_URL, else its path), nothing else.
 */
export function notificationEmail(
  n: { title: string; body?: string; matter: MatterRef | null },
  publicUrl: string | null = null,
): EmailPayload {
  const title = n.title.replace(/\s+/g, ' ').trim();
  const link = n.matter ? `${publicUrl ?? ''}/matters/${n.matter.id}` : null;
  const lines = [title];
  if (n.body?.trim()) lines.push('', n.body.trim());
  if (link) lines.push('', `在平台中查看：${link}`);
  lines.push(
    '',
    '——',
    '此邮件由网格治理平台自动发送，请勿直接回复。如不需要邮件通知，可在平台“我的”页面关闭。',
  );
  return { subject: `【网格治理平台】${title}`, text: lines.join('\n'), link };
}

/**
 * When e-mail is configured (the `smtp` setting), queues one e-mail per recipient who has an address
 * and chose e-mail notifications (`account.notify_email`), in the caller's transaction (`notifyAccounts`
 * calls it). The message is {@link notificationEmail}: the in-app title and body, which carry no
 * personal values. Returns how many were queued.
 */
export async function enqueueNotificationEmails(
  trx: Queryable,
  ctx: Ctx,
  n: { title: string; body?: string; matter: MatterRef | null; recipients: readonly number[] },
): Promise<number> {
  if (n.recipients.length === 0) return 0;
  if (!smtpSettingsOf(await readSetting(trx, 'smtp'))) return 0;
  const to = await findEmailRecipients(trx, n.recipients);
  if (to.length === 0) return 0;
  const payload = notificationEmail(n, ctx.config.publicUrl);
  const at = ctx.clock.now();
  await insertOutboxMany(
    trx,
    to.map((target) => ({ channel: 'email' as const, target, payload, at })),
  );
  return to.length;
}

/** Sends one message or throws; the worker records the failure and retries later. */
export type Transport = (message: OutboxMessage, ctx: Ctx) => Promise<void>;
export interface Transports {
  email: Transport;
  webhook: Transport;
}

/**
 * SMTP settings as stored (`setting` key `smtp`, written by `PUT /api/settings/notifications`): the
 * password sealed under the deployment secret, never in clear.
 */
export interface SmtpSettings {
  host: string;
  port?: number;
  secure?: boolean;
  user?: string;
  /** `sealSecret(password, deployment secret)`. */
  passwordSealed?: string;
  from: string;
}

/** The `smtp` setting when it names a server and a sender, else null (e-mail is off). */
export function smtpSettingsOf(value: unknown): SmtpSettings | null {
  const s = value as Partial<SmtpSettings> | null | undefined;
  return typeof s?.host === 'string' && typeof s.from === 'string' ? (s as SmtpSettings) : null;
}

/**
 * A secret setting sealed with `sealSecret` under the deployment secret, opened; null when unset.
 * One that does not open (another deployment secret, or a value written in clear) is an error.
 */
export function openSealedSetting(value: unknown, ctx: Ctx, name: string): string | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    return openSecret(value, deploymentSecret(ctx.config));
  } catch {
    throw new Error(`${name} cannot be opened with this deployment's secret; set it again`);
  }
}

/** Email through a nodemailer transporter; `mailer` says which (null: email is not configured). */
export function emailTransport(
  mailer: (ctx: Ctx) => Promise<{ transporter: Transporter; from: string } | null>,
): Transport {
  return async (message, ctx) => {
    const payload = message.payload as Partial<EmailPayload> | null;
    if (typeof payload?.subject !== 'string' || typeof payload.text !== 'string') {
      throw new Error('email payload needs a subject and a text');
    }
    const m = await mailer(ctx);
    if (!m) throw new Error('email is not configured (setting smtp)');
    await m.transporter.sendMail({
      from: m.from,
      to: message.target,
      subject: payload.subject,
      text: payload.text,
    });
  };
}

/** The `smtp` setting as a nodemailer SMTP transporter, rebuilt only when the setting changes. */
export function smtpFromSettings(): (ctx: Ctx) => Promise<{ transporter: Transporter; from: string } | null> {
  let cached: { key: string; transporter: Transporter; from: string } | null = null;
  return async (ctx) => {
    const s = smtpSettingsOf(await readSetting(ctx.db, 'smtp'));
    if (!s) return null;
    const key = JSON.stringify(s);
    if (cached?.key !== key) {
      cached?.transporter.close();
      const transporter = nodemailer.createTransport({
        host: s.host,
        port: s.port ?? (s.secure ? 465 : 587),
        secure: s.secure ?? false,
        ...(s.user
          ? {
              auth: {
                user: s.user,
                pass: openSealedSetting(s.passwordSealed, ctx, 'the SMTP password') ?? '',
              },
            }
          : {}),
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
      cached = { key, transporter, from: s.from };
    }
    return { transporter: cached.transporter, from: cached.from };
  };
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact request body under the webhook secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Webhooks: POST the payload as JSON, signed (see {@link webhookSignature}), with the outbox id in
 * `X-Gridgov-Delivery` so that the receiver can drop repeats. Any status but 2xx is a failure; redirects
 * are not followed. Without a `webhook_secret` (sealed under the deployment secret) nothing is sent.
 */
export function webhookTransport(opts: { timeoutMs?: number } = {}): Transport {
  return async (message, ctx) => {
    const secret = openSealedSetting(await readSetting(ctx.db, 'webhook_secret'), ctx, 'webhook_secret');
    if (!secret) throw new Error('webhook_secret is not set');
    const body = JSON.stringify(message.payload);
    const res = await fetch(message.target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'gridgov-outbox',
        [DELIVERY_HEADER]: String(message.id),
        [SIGNATURE_HEADER]: webhookSignature(secret, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    await res.body?.cancel();
    if (res.status < 200 || res.status > 299) throw new Error(`webhook answered HTTP ${res.status}`);
  };
}

export function defaultTransports(): Transports {
  return { email: emailTransport(smtpFromSettings()), webhook: webhookTransport() };
}

/** The wait after the n-th failed attempt (n ≥ 1): 1 min · 2^(n−1), at most 6 h. */
export function backoffMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, MINUTE * 2 ** Math.max(0, failures - 1));
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 500);
}

/**
 * One pass of the outbox worker: claims due messages (a batch of {@link BATCH_SIZE}), sends each through
 * its channel's transport, and marks it delivered — or counts the failed attempt, keeps the error and
 * backs off ({@link backoffMs}). Delivery is at least once: a message sent but not yet marked (the
 * process died) is sent again after its lease.
 */
export async function deliverOutbox(
  ctx: Ctx,
  transports: Transports = defaultTransports(),
): Promise<{ delivered: number; failed: number }> {
  const now = ctx.clock.now();
  const claimed = await claimDue(ctx.db, now, new Date(now.getTime() + LEASE_MS), BATCH_SIZE);
  let delivered = 0;
  let failed = 0;
  const send = async (message: OutboxMessage) => {
    try {
      await transports[message.channel](message, ctx);
      await markDelivered(ctx.db, message.id, ctx.clock.now());
      delivered++;
    } catch (error) {
      const attempts = message.attempts + 1;
      await markFailed(ctx.db, message.id, {
        attempts,
        nextAttemptAt: new Date(ctx.clock.now().getTime() + backoffMs(attempts)),
        error: describe(error),
      });
      failed++;
    }
  };
  for (let i = 0; i < claimed.length; i += PARALLEL_SENDS) {
    await Promise.all(claimed.slice(i, i + PARALLEL_SENDS).map(send));
  }
  return { delivered, failed };
}

/** The outbox job: {@link deliverOutbox} with the configured transports, kept between runs. */
export function outboxWorker(): (ctx: Ctx) => Promise<{ delivered: number; failed: number }> {
  const transports = defaultTransports();
  return (ctx) => deliverOutbox(ctx, transports);
}
