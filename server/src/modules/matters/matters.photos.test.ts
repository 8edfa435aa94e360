import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildWorld, categoryId, expectStatus, fieldOf, type World } from './matters.test-world.ts';

/** A category whose `required_fields` holds 'photos': the handling feedback must show the result. */
let env: TestEnv;
let w: World;
let photos: number;
beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
  const road = await env.handle.db
    .selectFrom('category')
    .selectAll()
    .where('code', '=', 'construction.road')
    .executeTakeFirstOrThrow();
  const { id: _id, code: _code, updated_at: _at, ...copy } = road;
  const row = await env.handle.db
    .insertInto('category')
    .values({
      ...copy,
      limits: JSON.stringify(road.limits),
      code: `construction.photos_${randomBytes(3).toString('hex')}`,
      name_zh: '需拍照的道路破损',
      name_en: 'Road damage, with photos',
      required_fields: ['photos'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  photos = row.id;
});
afterAll(async () => env?.close());

type Body = Record<string, unknown>;

async function report(body: Body = {}) {
  const res = await w.clients.worker.post('/api/matters', {
    categoryId: photos,
    title: '路面塌陷',
    description: '小区门口路面塌陷一处',
    gridId: w.gridA.id,
    ...body,
  });
  return expectStatus(res, 200) as { id: number; state: string };
}

const fire = (client: Client, id: number, body: Body) => client.post(`/api/matters/${id}/transitions`, body);
const step = async (client: Client, id: number, body: Body) =>
  expectStatus(await fire(client, id, body), 200);

async function stateOf(id: number): Promise<string> {
  const row = await env.handle.db
    .selectFrom('matter')
    .select('state')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.state;
}

/** An attachment row of the matter (the upload itself is tested in attachments.test.ts). */
async function attach(matterId: number): Promise<number> {
  const row = await env.handle.db
    .insertInto('attachment')
    .values({
      matter_id: matterId,
      file_name: 'photo.jpg',
      mime: 'image/jpeg',
      size: 1024,
      sha256: randomBytes(32).toString('hex'),
      storage_key: randomBytes(16).toString('hex'),
      created_by: w.users.worker.id,
      created_at: env.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('matters: categories that require photos', () => {
  it('handle without a photo of this matter is 400 naming body.attachmentIds; with one it is handled', async () => {
    const m = await report();
    const other = await report();
    await step(w.clients.town, m.id, { name: 'accept' });
    await step(w.clients.town, m.id, { name: 'dispatch', assignee: { gridId: w.villageA.id } });
    await step(w.clients.village, m.id, { name: 'sign' });
    await step(w.clients.village, m.id, { name: 'start' });
    const result = '已回填修复';
    const none = await fire(w.clients.village, m.id, { name: 'handle', result });
    expect(none.statusCode).toBe(400);
    expect(fieldOf(none)).toBe('body.attachmentIds');
    const empty = await fire(w.clients.village, m.id, { name: 'handle', result, attachmentIds: [] });
    expect(fieldOf(empty)).toBe('body.attachmentIds');
    const elsewhere = await fire(w.clients.village, m.id, {
      name: 'handle',
      result,
      attachmentIds: [await attach(other.id)],
    });
    expect(fieldOf(elsewhere)).toBe('body.attachmentIds');
    expect(await stateOf(m.id)).toBe('in_progress');

    const photo = await attach(m.id);
    const handled = await step(w.clients.village, m.id, { name: 'handle', result, attachmentIds: [photo] });
    expect(handled).toMatchObject({ state: 'handled', result });
    expect(handled.events.at(-1)).toMatchObject({ action: 'handle', attachmentIds: [photo] });
    await step(w.clients.town, m.id, { name: 'verify_pass' });
  });

  it('handle_on_spot as a transition needs a photo too', async () => {
    const m = await report();
    const none = await fire(w.clients.worker, m.id, { name: 'handle_on_spot', result: '已设置警示' });
    expect(none.statusCode).toBe(400);
    expect(fieldOf(none)).toBe('body.attachmentIds');
    const photo = await attach(m.id);
    const done = await step(w.clients.worker, m.id, {
      name: 'handle_on_spot',
      result: '已设置警示',
      attachmentIds: [photo],
    });
    expect(done).toMatchObject({ state: 'handled' });
  });

  it('on the spot at creation is accepted (photos come after); verification without any attachment is 409', async () => {
    const m = await report({ onSpotResult: '已用沙袋填平' });
    expect(m.state).toBe('handled');
    const refused = await fire(w.clients.village, m.id, { name: 'verify_pass' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('photos'),
      details: { state: 'handled', requiredFields: ['photos'] },
    });
    expect(await stateOf(m.id)).toBe('handled');

    await attach(m.id);
    const closed = await step(w.clients.village, m.id, { name: 'verify_pass' });
    expect(closed).toMatchObject({ state: 'closed', verifier: { id: w.users.village.id } });
  });

  it('categories without the requirement handle and verify without photos', async () => {
    const road = await categoryId(env, 'construction.road');
    const m = await report({ categoryId: road, onSpotResult: '已清理' });
    await step(w.clients.village, m.id, { name: 'verify_pass' });
  });
});
