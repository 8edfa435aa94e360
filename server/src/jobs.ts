import type { FastifyBaseLogger } from 'fastify';
import { HOUR, MINUTE } from './lib/clock.ts';
import type { Ctx } from './lib/context.ts';
import { disableInactiveAccounts } from './modules/accounts/accounts.service.ts';
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

type Job = { name: string; every: number; run: (ctx: Ctx) => Promise<unknown> };

const JOBS: Job[] = [
  { name: 'sessions', every: 10 * MINUTE, run: sweepSessions },
  { name: 'inactive-accounts', every: HOUR, run: disableInactiveAccounts },
  { name: 'deadlines', every: MINUTE, run: (ctx) => sweepDeadlines(ctx) },
  { name: 'outbox', every: MINUTE, run: outboxWorker() },
];

/** Runs the periodic sweeps on this node; returns a function that stops them. */
export function startJobs(ctx: Ctx, log: FastifyBaseLogger, jobs: Job[] = JOBS): () => void {
  const timers = jobs.map((job) => {
    const tick = () => job.run(ctx).catch((err: unknown) => log.error({ err, job: job.name }, 'job failed'));
    void tick();
    const t = setInterval(tick, Math.min(job.every, HOUR));
    t.unref();
    return t;
  });
  return () => {
    for (const t of timers) clearInterval(t);
  };
}
