import type { FastifyBaseLogger } from 'fastify';
import { recordAuditAnchor } from './lib/audit-anchors.ts';
import { HOUR, MINUTE } from './lib/clock.ts';
import type { Ctx } from './lib/context.ts';
import { sweepIdempotencyKeys } from './lib/idempotency.ts';
import { localStorageFor } from './lib/storage.ts';
import { disableInactiveAccounts } from './modules/accounts/accounts.service.ts';
import { sweepOrphanFiles } from './modules/attachments/attachments.sweep.ts';
import { sweepDeadlines } from './modules/matters/deadlines.sweep.ts';
import { outboxWorker } from './modules/notifications/outbox.ts';

/** Deletes sessions past their absolute expiry. Idle expiry is checked on each request. */
export async function sweepSessions(ctx: Ctx): Promise<number> {
  const result = await ctx.db
    .deleteFrom('session')
    .where('expires_at', '<=', ctx.clock.now())
    .executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

/** Removes attachment files that no row names (a crash mid-upload) and logs the counts — never keys or names. */
export async function sweepAttachmentFiles(ctx: Ctx, log: FastifyBaseLogger): Promise<void> {
  const result = await sweepOrphanFiles(ctx, localStorageFor(ctx.config.dataDir));
  if (result.refused) {
    log.warn(
      { job: 'attachment-files', ...result },
      'most old files have no attachment row: wrong database? nothing removed',
    );
  } else {
    log.info({ job: 'attachment-files', ...result }, 'orphaned attachment files swept');
  }
}

/**
 * Records the head of the audit chain in this node's anchor file when it has moved (adr/0003). When
 * the chain contradicts the newest anchor nothing is recorded and the error is logged on every run.
 */
export async function anchorAuditChain(ctx: Ctx, log: FastifyBaseLogger): Promise<void> {
  const outcome = await recordAuditAnchor(ctx);
  if (outcome.status === 'diverged') {
    log.error(
      { job: 'audit-anchor', anchorId: outcome.anchor.id, anchorAt: outcome.anchor.at },
      `the audit chain contradicts its anchor: ${outcome.reason}. Run \`gridgov audit verify\`; after restoring a backup, \`gridgov audit retire-anchors\` on this node`,
    );
  } else if (outcome.status === 'recorded') {
    log.debug(
      { job: 'audit-anchor', id: outcome.anchor.id, rotated: outcome.rotated },
      'audit head anchored',
    );
  }
}

type Job = { name: string; every: number; run: (ctx: Ctx, log: FastifyBaseLogger) => Promise<unknown> };

const JOBS: Job[] = [
  { name: 'sessions', every: 10 * MINUTE, run: sweepSessions },
  { name: 'audit-anchor', every: 10 * MINUTE, run: anchorAuditChain },
  { name: 'idempotency-keys', every: HOUR, run: sweepIdempotencyKeys },
  { name: 'inactive-accounts', every: HOUR, run: disableInactiveAccounts },
  { name: 'deadlines', every: MINUTE, run: (ctx) => sweepDeadlines(ctx) },
  { name: 'outbox', every: MINUTE, run: outboxWorker() },
  { name: 'attachment-files', every: HOUR, run: sweepAttachmentFiles },
];

/** Runs the periodic sweeps on this node; returns a function that stops them. */
export function startJobs(ctx: Ctx, log: FastifyBaseLogger, jobs: Job[] = JOBS): () => void {
  const timers = jobs.map((job) => {
    const tick = () =>
      job.run(ctx, log).catch((err: unknown) => log.error({ err, job: job.name }, 'job failed'));
    void tick();
    const t = setInterval(tick, Math.min(job.every, HOUR));
    t.unref();
    return t;
  });
  return () => {
    for (const t of timers) clearInterval(t);
  };
}
