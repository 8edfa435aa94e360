import { generateIdNumber, generateMobile, mulberry32 } from '@gridgov/common/pii/gb11643';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatterRow } from '../../db/schema/types.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildMatter } from '../../test/matter-factory.ts';
import { type SiblingTowns, siblingTowns, signInAll } from '../../test/matters-read.fixture.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

type Clients = Record<keyof SiblingTowns['users'], Client>;
const REASON = '回访核实诉求人联系方式';

describe('unmasking a party’s personal information', () => {
  let t: SiblingTowns;
  let c: Clients;
  const rng = mulberry32(7);
  const phone = generateMobile(rng);
  const idNumber = generateIdNumber(rng);
  /** Garbage dumping: the category collects name and phone. Owned and handled by town A, placed in grid A. */
  let townMatter: MatterRow;
  /** Owned by village A. */
  let villageMatter: MatterRow;
  /** Assigned to department D at town A; and one for department E. */
  let deptMatter: MatterRow;
  let otherDeptMatter: MatterRow;
  /** Needs help: the category collects all four fields. */
  let assistance: MatterRow;
  let party: number;
  let villageParty: number;
  let deptParty: number;
  let otherDeptParty: number;
  let assistanceParty: number;

  async function addParty(
    m: MatterRow,
    values: { name?: string; phone?: string; id_number?: string; address?: string },
  ) {
    const row = await env.handle.db
      .insertInto('matter_party')
      .values({ matter_id: m.id, role: 'requester', ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  beforeAll(async () => {
    t = await siblingTowns(env);
    c = await signInAll(env, t.users);
    const db = env.handle.db;
    const b = (opts: Parameters<typeof buildMatter>[2]) => buildMatter(db, env.clock, opts);
    const garbage = 'environment.garbage';
    townMatter = await b({
      grid: t.gridA,
      owner: t.townA,
      assignee: t.townA,
      state: 'in_progress',
      categoryCode: garbage,
    });
    villageMatter = await b({ grid: t.gridA, owner: t.villageA, state: 'accepted', categoryCode: garbage });
    deptMatter = await b({
      grid: t.villageA,
      owner: t.townA,
      assignee: t.townA,
      departmentId: t.deptD.id,
      state: 'signed',
      categoryCode: garbage,
    });
    otherDeptMatter = await b({
      grid: t.villageA,
      owner: t.townA,
      assignee: t.townA,
      departmentId: t.deptE.id,
      state: 'signed',
      categoryCode: garbage,
    });
    assistance = await b({ grid: t.villageA, owner: t.villageA, categoryCode: 'livelihood.assistance' });
    // id_number is stored here only to prove the category rule, not the column, decides what may be shown.
    party = await addParty(townMatter, { name: '诸葛亮', phone, id_number: idNumber });
    villageParty = await addParty(villageMatter, { name: '黄月英', phone });
    deptParty = await addParty(deptMatter, { name: '马谡', phone });
    otherDeptParty = await addParty(otherDeptMatter, { name: '王平', phone });
    assistanceParty = await addParty(assistance, { name: '刘禅', id_number: idNumber });
  });

  const unmask = (client: Client, m: MatterRow, body: Record<string, unknown>) =>
    client.post(`/api/matters/${m.id}/unmask`, body);

  it('401 when not signed in', async () => {
    const res = await anonymous(env.app).post(`/api/matters/${townMatter.id}/unmask`, {
      partyId: party,
      field: 'phone',
      reason: REASON,
    });
    expect(res.statusCode).toBe(401);
  });

  it('400 naming the field for a malformed body', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ partyId: party, field: 'phone' }, 'body.reason'],
      [{ partyId: party, field: 'phone', reason: '看看' }, 'body.reason'],
      [{ partyId: party, field: 'email', reason: REASON }, 'body.field'],
      [{ field: 'phone', reason: REASON }, 'body.partyId'],
      [{ partyId: party, field: 'phone', reason: REASON, value: 'x' }, 'body.value'],
    ];
    for (const [body, field] of cases) {
      const res = await unmask(c.townA, townMatter, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.details[0].field, JSON.stringify(body)).toBe(field);
    }
  });

  it('404 outside read scope (a sibling town, another department, an unknown matter)', async () => {
    const body = { partyId: party, field: 'phone', reason: REASON };
    expect((await unmask(c.townB, townMatter, body)).statusCode).toBe(404);
    expect((await unmask(c.dept, otherDeptMatter, { ...body, partyId: otherDeptParty })).statusCode).toBe(
      404,
    );
    expect((await c.townA.post('/api/matters/2000000000/unmask', body)).statusCode).toBe(404);
  });

  it('403 for a village user who can read the matter but does not handle it, and without matter.unmask', async () => {
    const body = { partyId: party, field: 'phone', reason: REASON };
    const village = await unmask(c.village, townMatter, body);
    expect(village.statusCode, village.body).toBe(403);
    expect(
      (await c.village.get(`/api/matters?gridId=${t.gridA.id}`))
        .json()
        .items.map((m: { id: number }) => m.id),
    ).toContain(townMatter.id);
    expect((await unmask(c.worker, townMatter, body)).statusCode).toBe(403);
  });

  it('400 naming the field: a party of another matter, a field the category does not collect, an empty field', async () => {
    const cases: [MatterRow, Record<string, unknown>, string][] = [
      [townMatter, { partyId: villageParty, field: 'phone', reason: REASON }, 'body.partyId'],
      [townMatter, { partyId: party, field: 'id_number', reason: REASON }, 'body.field'],
      [townMatter, { partyId: party, field: 'address', reason: REASON }, 'body.field'],
      [assistance, { partyId: assistanceParty, field: 'address', reason: REASON }, 'body.field'],
    ];
    for (const [m, body, field] of cases) {
      const res = await unmask(c.townA, m, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.details[0].field, JSON.stringify(body)).toBe(field);
    }
  });

  it('reveals the value to the handling level, uncached, audited with the reason and never the value', async () => {
    const res = await unmask(c.townA, townMatter, { partyId: party, field: 'phone', reason: REASON });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ value: phone });
    expect(res.headers['cache-control']).toBe('no-store');
    const rows = await env.handle.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'matter.unmask')
      .where('object_id', '=', String(townMatter.id))
      .execute();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      actor_id: t.users.townA.id,
      object_type: 'matter',
      object_path: t.gridA.path,
      reason: REASON,
      result: 'success',
      detail: { partyId: party, field: 'phone' },
    });
    expect(JSON.stringify(row)).not.toContain(phone);
    const all = await env.handle.db.selectFrom('audit').selectAll().execute();
    expect(JSON.stringify(all)).not.toContain(phone);
    expect(JSON.stringify(all)).not.toContain(idNumber);
  });

  it('the owner level, the department handling it and an ID number where the category collects it', async () => {
    const village = await unmask(c.village, villageMatter, {
      partyId: villageParty,
      field: 'name',
      reason: REASON,
    });
    expect(village.json()).toEqual({ value: '黄月英' });
    const dept = await unmask(c.dept, deptMatter, { partyId: deptParty, field: 'phone', reason: REASON });
    expect(dept.statusCode, dept.body).toBe(200);
    const id = await unmask(c.village, assistance, {
      partyId: assistanceParty,
      field: 'id_number',
      reason: REASON,
    });
    expect(id.json()).toEqual({ value: idNumber });
    const count = await env.handle.db
      .selectFrom('audit')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'matter.unmask')
      .where('object_id', 'in', [villageMatter.id, deptMatter.id, assistance.id].map(String))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });
});
