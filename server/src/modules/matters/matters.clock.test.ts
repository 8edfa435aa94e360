import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '../../lib/clock.ts';
import type { Client } from '../../test/harness.ts';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildWorld, categoryId, expectStatus, type World } from './matters.test-world.ts';

/** Deadlines with the fake clock: working days, official holidays, pauses, extensions, petition limits. */
let env: TestEnv;
let w: World;
beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
});
afterAll(async () => env?.close());

/** Moves the fake clock and signs everyone in again (sessions time out after 30 idle minutes). */
async function at(iso: string) {
  env.clock.set(iso);
  await w.signInAll();
}

async function advance(ms: number) {
  env.clock.advance(ms);
  await w.signInAll();
}

async function report(code: string, body: Record<string, unknown> = {}, client: Client = w.clients.worker) {
  const res = await client.post('/api/matters', {
    categoryId: await categoryId(env, code),
    title: '测试时限',
    description: '时限计算',
    gridId: w.gridA.id,
    location: w.pointA,
    ...body,
  });
  return expectStatus(res, 200);
}

const fire = async (client: Client, id: number, body: Record<string, unknown>) =>
  expectStatus(await client.post(`/api/matters/${id}/transitions`, body), 200);

describe('matters: time limits with the fake clock', () => {
  it('a working-day limit skips a weekend and an official holiday', async () => {
    // Thursday 24 September 2026, 10:00 in Shanghai; the 25th is the Mid-Autumn holiday, then a weekend.
    await at('2026-09-24T02:00:00Z');
    const m = await report('safety.fire_lane');
    expect(m.deadline).toMatchObject({ step: 'accept', dueAt: '2026-09-28T16:00:00.000Z', status: 'ok' });
    // Wednesday 30 September, 10:00: National Day runs 1–7 October, so one working day ends on the 8th.
    await at('2026-09-30T02:00:00Z');
    await fire(w.clients.town, m.id, { name: 'accept' });
    const dispatched = await fire(w.clients.town, m.id, {
      name: 'dispatch',
      assignee: { gridId: w.villageA.id },
    });
    expect(dispatched.deadline).toMatchObject({ step: 'sign', dueAt: '2026-10-08T16:00:00.000Z' });
    await advance(DAY);
    const row = await env.handle.db
      .selectFrom('matter')
      .select(['due_at', 'step_started_at'])
      .where('id', '=', m.id)
      .executeTakeFirstOrThrow();
    expect(row.step_started_at?.toISOString()).toBe('2026-09-30T02:00:00.000Z');
    // A self-loop (re-dispatching to the same unit's level again) does not restart the clock.
    const again = await fire(w.clients.town, m.id, { name: 'dispatch', assignee: { gridId: w.villageA.id } });
    expect(again.deadline.dueAt).toBe('2026-10-08T16:00:00.000Z');
  });

  it('pause and resume move the due date by the working days paused; an extension moves it by working days', async () => {
    // Monday 2 March 2026, 09:00 in Shanghai; construction.road handles in 5 working days.
    await at('2026-03-02T01:00:00Z');
    const m = await report('construction.road', { location: undefined });
    await fire(w.clients.town, m.id, { name: 'accept' });
    await fire(w.clients.town, m.id, { name: 'self_handle' });
    const started = await fire(w.clients.town, m.id, { name: 'start' });
    expect(started.deadline).toMatchObject({ step: 'handle', dueAt: '2026-03-09T16:00:00.000Z' });
    const warnAt = started.deadline.warnAt;

    await advance(DAY);
    const paused = await fire(w.clients.town, m.id, { name: 'pause', reason: '等待业主配合' });
    expect(paused).toMatchObject({
      flags: ['paused'],
      pausedReason: '等待业主配合',
      deadline: { status: 'paused' },
    });
    const refused = await w.clients.town.post(`/api/matters/${m.id}/transitions`, {
      name: 'handle',
      result: '完成',
    });
    expect(refused.statusCode).toBe(409);
    await advance(2 * DAY);
    const resumed = await fire(w.clients.town, m.id, { name: 'resume' });
    // Paused Tuesday 09:00 → Thursday 09:00: two working days given back.
    expect(resumed).toMatchObject({
      flags: [],
      pausedReason: null,
      deadline: { dueAt: '2026-03-11T16:00:00.000Z', status: 'ok' },
    });
    expect(new Date(resumed.deadline.warnAt).getTime()).toBeGreaterThan(new Date(warnAt).getTime());

    await fire(w.clients.town, m.id, { name: 'request_extension', reason: '材料未到', extensionDays: 3 });
    const approved = await fire(w.clients.town, m.id, { name: 'approve_extension' });
    // End of Wednesday 11 March + 3 working days (12, 13, 16) = end of Monday 16 March.
    expect(approved).toMatchObject({
      flags: [],
      extensionDays: 3,
      deadline: { dueAt: '2026-03-16T16:00:00.000Z' },
    });
    expect(approved.events.at(-2)).toMatchObject({
      action: 'request_extension',
      detail: { extensionDays: 3 },
    });

    await fire(w.clients.town, m.id, { name: 'request_extension', reason: '还需时间', extensionDays: 5 });
    const denied = await fire(w.clients.town, m.id, { name: 'deny_extension', reason: '不予延期' });
    expect(denied).toMatchObject({
      flags: [],
      extensionDays: 3,
      deadline: { dueAt: '2026-03-16T16:00:00.000Z' },
    });
  });

  it('petition matters: 15 natural days to accept, one extension only', async () => {
    await at('2026-03-02T01:00:00Z');
    const m = await report(
      'petition.request',
      { requester: { name: '王五', phone: '13800001111' } },
      w.clients.town,
    );
    expect(m).toMatchObject({
      owner: { id: w.county.id },
      deadline: { step: 'accept', dueAt: '2026-03-17T16:00:00.000Z' },
    });
    const county = w.clients.county;
    await fire(county, m.id, { name: 'accept' });
    await fire(county, m.id, { name: 'self_handle' });
    const started = await fire(county, m.id, { name: 'start' });
    // 60 natural days to handle: the start day does not count, the deadline is the end of the 60th day.
    expect(started.deadline.dueAt).toBe('2026-05-01T16:00:00.000Z');
    await fire(county, m.id, { name: 'request_extension', reason: '情况复杂', extensionDays: 30 });
    const approved = await fire(county, m.id, { name: 'approve_extension' });
    expect(approved).toMatchObject({ extensionDays: 30, deadline: { dueAt: '2026-05-31T16:00:00.000Z' } });
    const second = await county.post(`/api/matters/${m.id}/transitions`, {
      name: 'request_extension',
      reason: '再延',
      extensionDays: 5,
    });
    expect(second.statusCode).toBe(409);
    expect(approved.abilities.transitions).not.toContain('request_extension');
  });

  it('reopening needs an unsatisfied rating and is possible for 7 days', async () => {
    await at('2026-03-02T01:00:00Z');
    const rated = async (rating: string) => {
      const m = await report('construction.road', { location: undefined, onSpotResult: '已处理' });
      await fire(w.clients.village, m.id, { name: 'verify_pass' });
      return fire(w.clients.village, m.id, { name: 'rate', rating });
    };
    const a = await rated('unsatisfied');
    const b = await rated('unsatisfied');
    const c = await rated('satisfied');
    expect(a.abilities.transitions).toEqual(['reopen']);
    expect(c.abilities.transitions).toEqual([]);
    const reopen = (id: number) =>
      w.clients.village.post(`/api/matters/${id}/transitions`, { name: 'reopen', reason: '群众不满意' });
    expect((await reopen(c.id)).statusCode).toBe(403);
    await advance(7 * DAY - MINUTE);
    const reopened = expectStatus(await reopen(a.id), 200);
    expect(reopened).toMatchObject({
      state: 'in_progress',
      rating: null,
      reworkCount: 1,
      deadline: { step: 'handle' },
    });
    await advance(2 * MINUTE);
    expect((await reopen(b.id)).statusCode).toBe(403);
  });
});
