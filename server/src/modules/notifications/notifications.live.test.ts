import type { PassThrough } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { FakeClock } from '../../lib/clock.ts';
import type { Ctx } from '../../lib/context.ts';
import { EventHub } from './notifications.live.ts';

const log = { warn: () => undefined } as unknown as FastifyBaseLogger;

function ctxFor(accountId: number, sessionId = `s${accountId}`): Ctx {
  return {
    db: {} as Database,
    clock: new FakeClock(),
    config: testConfig(),
    requestId: 'r',
    ip: null,
    actor: {
      id: accountId,
      username: `u${accountId}`,
      displayName: 'x',
      homeGridId: 1,
      homePath: '/1/',
      departmentId: null,
      kind: 'business',
      roles: [],
      grants: new Map(),
      sessionId,
    },
  };
}

function hub(valid: (ids: readonly string[]) => string[] = (ids) => [...ids]) {
  return new EventHub({
    heartbeatMs: 60_000,
    checkSessions: async (_ctx, ids) => new Set(valid(ids)),
    log,
  });
}

function read(stream: PassThrough): string {
  let text = '';
  for (let chunk = stream.read(); chunk !== null; chunk = stream.read()) text += String(chunk);
  return text;
}

describe('event hub', () => {
  it('writes each signal to the streams of the accounts it names, and ignores malformed ones', () => {
    const h = hub();
    const a = h.subscribe(ctxFor(1));
    const a2 = h.subscribe(ctxFor(1, 'other-session'));
    const b = h.subscribe(ctxFor(2));
    expect(read(a)).toBe('retry: 5000\n: connected\n\n');
    read(a2);
    read(b);
    h.publish('not json');
    h.publish(JSON.stringify({ accounts: 'all', kind: 'x' }));
    h.publish(JSON.stringify({ accounts: [1, 1, 3], matterId: 5, kind: 'matter.signed', title: '张三' }));
    h.publish(JSON.stringify({ accounts: [2], matterId: null, kind: 'matter.changed', event: 'matter' }));
    h.publish(JSON.stringify({ accounts: [2], matterId: 1, kind: 'k', event: 'evil\ndata: x' }));
    expect(read(a)).toBe('event: notification\ndata: {"kind":"matter.signed","matterId":5}\n\n');
    expect(read(a2)).toBe('event: notification\ndata: {"kind":"matter.signed","matterId":5}\n\n');
    expect(read(b)).toBe(
      'event: matter\ndata: {"kind":"matter.changed","matterId":null}\n\n' +
        'event: notification\ndata: {"kind":"k","matterId":1}\n\n',
    );
    h.close();
  });

  it('keeps at most 10 streams per account, closing the oldest', () => {
    const h = hub();
    const streams = Array.from({ length: 11 }, () => h.subscribe(ctxFor(1)));
    expect(streams[0]!.writableEnded).toBe(true);
    expect(streams.slice(1).every((s) => !s.writableEnded)).toBe(true);
    expect(h.size).toBe(10);
    h.close();
    expect(h.size).toBe(0);
    expect(streams.every((s) => s.writableEnded)).toBe(true);
  });

  it('a heartbeat pings every stream and ends those whose session is no longer valid', async () => {
    const h = hub((ids) => ids.filter((id) => id !== 's2'));
    const a = h.subscribe(ctxFor(1));
    const b = h.subscribe(ctxFor(2));
    read(a);
    read(b);
    await h.heartbeat();
    expect(read(a)).toBe(': ping\n\n');
    expect(read(b)).toBe(': ping\n\nevent: end\ndata: {"reason":"session"}\n\n');
    expect(b.writableEnded).toBe(true);
    expect(h.size).toBe(1);
    h.resync();
    expect(read(a)).toBe('event: resync\ndata: {}\n\n');
    h.close();
  });

  it('drops a stream whose reader has fallen far behind', () => {
    const h = hub();
    const slow = h.subscribe(ctxFor(1));
    const big = JSON.stringify({ accounts: [1], matterId: 1, kind: 'k'.repeat(1000) });
    for (let i = 0; i < 400; i++) h.publish(big);
    expect(slow.writableEnded).toBe(true);
    expect(h.size).toBe(0);
  });
});
