import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  categoryId,
  expectStatus,
  fieldOf,
  type World,
} from '../modules/matters/matters.test-world.ts';
import { signIn } from '../test/factories.ts';
import { createTestEnv, type TestEnv } from '../test/harness.ts';
import { IDEMPOTENCY_RETENTION, requestFingerprint, sweepIdempotencyKeys } from './idempotency.ts';

let env: TestEnv;
let w: World;
let road: number;
beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
  road = await categoryId(env, 'construction.road');
});
afterAll(async () => env?.close());

let n = 0;
const fresh = () => {
  n += 1;
  return { title: `幂等${n}`, key: `idem-${n}-${Date.now()}` };
};
const body = (title: string, description = '路口井盖缺失') => ({
  categoryId: road,
  title,
  description,
  gridId: w.gridA.id,
});
const matterCount = async (title: string) =>
  (await env.handle.db.selectFrom('matter').select('id').where('title', '=', title).execute()).length;
const keyRows = async (key: string) =>
  env.handle.db.selectFrom('idempotency_key').select(['key', 'created_at']).where('key', '=', key).execute();

describe('requestFingerprint', () => {
  it('is the same for the same body in another key order, and differs for another value or bytes', () => {
    const a = requestFingerprint({ b: 1, a: { y: [1, 2], x: 'z' } });
    expect(requestFingerprint({ a: { x: 'z', y: [1, 2] }, b: 1 })).toBe(a);
    expect(requestFingerprint({ a: { x: 'z', y: [2, 1] }, b: 1 })).not.toBe(a);
    expect(requestFingerprint({ a: { x: 'z', y: [1, 2] }, b: 1, c: undefined })).toBe(a);
    expect(requestFingerprint(new Uint8Array([1, 2, 3]))).not.toBe(
      requestFingerprint(new Uint8Array([1, 2, 4])),
    );
  });
});

describe('Idempotency-Key', () => {
  it('a retry of the same request (keys in another order) answers the first matter and writes nothing', async () => {
    const { title, key } = fresh();
    const first = expectStatus(
      await w.clients.worker.post('/api/matters', body(title), { 'idempotency-key': key }),
      200,
    );
    const b = body(title);
    const reordered = {
      gridId: b.gridId,
      description: b.description,
      title: b.title,
      categoryId: b.categoryId,
    };
    const again = expectStatus(
      await w.clients.worker.post('/api/matters', reordered, { 'idempotency-key': key }),
      200,
    );
    expect(again.id).toBe(first.id);
    expect(await matterCount(title)).toBe(1);
  });

  it('the same key with another body is refused with 400 naming the header, and nothing is written', async () => {
    const { title, key } = fresh();
    expectStatus(await w.clients.worker.post('/api/matters', body(title), { 'idempotency-key': key }), 200);
    const other = await w.clients.worker.post('/api/matters', body(title, '另一处井盖缺失'), {
      'idempotency-key': key,
    });
    expect(other.statusCode).toBe(400);
    expect(fieldOf(other)).toBe('headers.idempotency-key');
    expect(other.json().error.details[0].message).toMatch(/different request/);
    expect(await matterCount(title)).toBe(1);
  });

  it('keys are per account: another account may use the same key for its own report', async () => {
    const { title, key } = fresh();
    const mine = expectStatus(
      await w.clients.worker.post('/api/matters', body(title), { 'idempotency-key': key }),
      200,
    );
    const theirs = expectStatus(
      await w.clients.village.post('/api/matters', body(title), { 'idempotency-key': key }),
      200,
    );
    expect(theirs.id).not.toBe(mine.id);
    expect(await matterCount(title)).toBe(2);
  });

  it('after the retention period a key is swept (young keys stay) or, if not yet swept, claimed anew', async () => {
    const old = fresh();
    const unswept = fresh();
    expectStatus(
      await w.clients.worker.post('/api/matters', body(old.title), { 'idempotency-key': old.key }),
      200,
    );
    expectStatus(
      await w.clients.worker.post('/api/matters', body(unswept.title), { 'idempotency-key': unswept.key }),
      200,
    );
    env.clock.advance(IDEMPOTENCY_RETENTION - 1000);
    const young = fresh();
    const worker = await signIn(env.app, w.users.worker, env.clock);
    expectStatus(await worker.post('/api/matters', body(young.title), { 'idempotency-key': young.key }), 200);
    // Still within the retention period: the first answer.
    expectStatus(await worker.post('/api/matters', body(old.title), { 'idempotency-key': old.key }), 200);
    expect(await matterCount(old.title)).toBe(1);

    env.clock.advance(2000);
    // Expired but not yet swept: the key is claimed again by the new request, with its own body.
    const reclaimed = await worker.post('/api/matters', body(unswept.title, '又一次'), {
      'idempotency-key': unswept.key,
    });
    expect(reclaimed.statusCode).toBe(200);
    expect(await matterCount(unswept.title)).toBe(2);

    expect(await sweepIdempotencyKeys(env.ctx)).toBeGreaterThanOrEqual(1);
    expect(await keyRows(old.key)).toHaveLength(0);
    expect(await keyRows(young.key)).toHaveLength(1);
    expect(await keyRows(unswept.key)).toHaveLength(1);
    // Swept: the key starts over.
    expectStatus(await worker.post('/api/matters', body(old.title), { 'idempotency-key': old.key }), 200);
    expect(await matterCount(old.title)).toBe(2);
  });
});
