import { generateIdNumber, generateMobile, mulberry32 } from '@gridgov/common/pii/gb11643';
import { maskIdNumber, maskPhone } from '@gridgov/common/pii/mask';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildWorld, categoryId, expectStatus, type World } from './matters.test-world.ts';

let env: TestEnv;
let w: World;
beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
});
afterAll(async () => env?.close());

describe('matters: personal information', () => {
  it('a party’s phone and ID number never appear unmasked in the detail, the events or the audit table', async () => {
    const rng = mulberry32(20261123);
    const phone = generateMobile(rng);
    const idNumber = generateIdNumber(rng);
    const partyPhone = generateMobile(rng);
    const assistance = await categoryId(env, 'livelihood.assistance');
    const created = await w.clients.worker.post('/api/matters', {
      categoryId: assistance,
      title: '低保申请咨询',
      description: '老人询问低保申请材料',
      gridId: w.gridA.id,
      requester: { name: '张三丰', phone, id_number: idNumber, address: '幸福村3组12号' },
      parties: [{ name: '李四', phone: partyPhone }],
    });
    const m = expectStatus(created, 200);
    expect(m.parties).toEqual([
      {
        id: expect.any(Number),
        role: 'requester',
        name: '张**',
        phone: maskPhone(phone),
        id_number: maskIdNumber(idNumber),
        address: '幸福村***',
      },
      {
        id: expect.any(Number),
        role: 'party',
        name: '李*',
        phone: maskPhone(partyPhone),
        id_number: null,
        address: null,
      },
    ]);
    const village = w.clients.village;
    for (const body of [
      { name: 'accept' },
      { name: 'self_handle' },
      { name: 'start' },
      { name: 'handle', result: '已告知申请材料清单' },
    ]) {
      expectStatus(await village.post(`/api/matters/${m.id}/transitions`, body), 200);
    }
    const secrets = [phone, idNumber, partyPhone, '张三丰', '幸福村3组12号'];
    const responses = [
      created.body,
      (await village.get(`/api/matters/${m.id}`)).body,
      (await w.clients.town.get(`/api/matters/${m.id}`)).body,
      (await w.clients.worker.get(`/api/matters/${m.id}`)).body,
    ];
    const events = await env.handle.db
      .selectFrom('matter_event')
      .selectAll()
      .where('matter_id', '=', m.id)
      .execute();
    const audits = await env.handle.db.selectFrom('audit').selectAll().execute();
    const notifications = await env.handle.db
      .selectFrom('notification')
      .selectAll()
      .where('matter_id', '=', m.id)
      .execute();
    expect(events.length).toBe(5);
    expect(audits.some((a) => a.object_id === String(m.id) && a.action === 'matter.report')).toBe(true);
    const stored = [JSON.stringify(events), JSON.stringify(audits), JSON.stringify(notifications)];
    for (const text of [...responses, ...stored]) {
      for (const secret of secrets) expect(text.includes(secret), secret).toBe(false);
    }
    const report = audits.find((a) => a.object_id === String(m.id) && a.action === 'matter.report');
    expect(report?.detail).toMatchObject({ personalFields: ['name', 'phone', 'id_number', 'address'] });
    const party = await env.handle.db
      .selectFrom('matter_party')
      .selectAll()
      .where('matter_id', '=', m.id)
      .orderBy('id')
      .execute();
    expect(party[0]).toMatchObject({ phone, id_number: idNumber });
  });
});
