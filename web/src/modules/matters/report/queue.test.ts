import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/client.ts';
import { backoff, transient } from './queue.ts';

describe('the report queue’s retry rules', () => {
  it('retries what may pass by itself, and stops on what the user must fix', () => {
    expect(transient(new TypeError('Failed to fetch'))).toBe(true);
    expect(transient(new ApiError(0, 'NETWORK', 'offline'))).toBe(true);
    expect(transient(new ApiError(401, 'UNAUTHENTICATED', 'signed out'))).toBe(true);
    expect(transient(new ApiError(429, 'RATE_LIMITED', 'slow down'))).toBe(true);
    expect(transient(new ApiError(503, 'INTERNAL', 'restarting'))).toBe(true);
    // A reused Idempotency-Key with another body, a bad field, a matter gone: waiting will not help.
    expect(transient(new ApiError(400, 'VALIDATION', 'headers.idempotency-key'))).toBe(false);
    expect(transient(new ApiError(403, 'FORBIDDEN', 'no'))).toBe(false);
    expect(transient(new ApiError(404, 'NOT_FOUND', 'gone'))).toBe(false);
  });

  it('waits 5 s doubling to 5 min, jittered between half and all of it', () => {
    for (const [attempts, base] of [
      [1, 5_000],
      [2, 10_000],
      [4, 40_000],
      [7, 300_000],
      [30, 300_000],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const wait = backoff(attempts);
        expect(wait).toBeGreaterThanOrEqual(base / 2);
        expect(wait).toBeLessThanOrEqual(base);
      }
    }
  });
});
