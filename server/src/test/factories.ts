import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Config } from '../config.ts';
import type { Queryable } from '../db/client.ts';
import type { GridRow } from '../db/schema/types.ts';
import type { FakeClock } from '../lib/clock.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { sealSecret, totpCode } from '../modules/auth/totp.ts';
import { type GridLevel, insertGrid, LEVELS } from '../modules/grids/grids.repository.ts';
import { type Client, clientFor } from './harness.ts';

export const TEST_PASSWORD = 'Grid-Test-2026!';
let passwordHash: Promise<string> | null = null;

const uniq = () => randomBytes(4).toString('hex');

/** A grid node; without a parent, a fresh root so each test builds its own isolated tree. */
export async function buildGrid(
  q: Queryable,
  opts: {
    parent?: GridRow;
    level?: GridLevel;
    name?: string;
    code?: string;
    polygon?: unknown;
    households?: number;
  } = {},
): Promise<GridRow> {
  const level =
    opts.level ?? (opts.parent ? LEVELS[Math.min(opts.parent.depth + 1, LEVELS.length - 1)]! : 'county');
  return insertGrid(q, {
    parentId: opts.parent?.id ?? null,
    code: opts.code ?? `T${uniq()}`,
    name: opts.name ?? `测试${level}${uniq()}`,
    level,
    polygon: opts.polygon,
    households: opts.households,
  });
}

export interface TestUser {
  id: number;
  username: string;
  password: string;
  totpSecret: string | null;
}

/** An account with role assignments; `totp: true` enrols a known secret (required for administrators). */
export async function buildUser(
  q: Queryable,
  config: Config,
  opts: {
    grid: GridRow;
    roles?: { role: string; grid?: GridRow; departmentId?: number }[];
    username?: string;
    totp?: boolean;
    mustChangePassword?: boolean;
    departmentId?: number;
  },
): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const username = opts.username ?? `u_${uniq()}`;
  const roleRows = opts.roles?.length
    ? await q
        .selectFrom('role')
        .select(['id', 'name', 'kind'])
        .where(
          'name',
          'in',
          opts.roles.map((r) => r.role),
        )
        .execute()
    : [];
  const needsTotp = opts.totp ?? roleRows.some((r) => r.kind !== 'business');
  const totpSecret = needsTotp ? 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' : null;
  const account = await q
    .insertInto('account')
    .values({
      username,
      display_name: `测试用户${username.slice(-4)}`,
      password_hash: await passwordHash,
      must_change_password: opts.mustChangePassword ?? false,
      home_grid_id: opts.grid.id,
      department_id: opts.departmentId ?? null,
      totp_secret: totpSecret ? sealSecret(totpSecret, config.secret!) : null,
      totp_enabled_at: totpSecret ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const r of opts.roles ?? []) {
    const role = roleRows.find((x) => x.name === r.role);
    if (!role) throw new Error(`no role ${r.role}`);
    await q
      .insertInto('role_assignment')
      .values({
        account_id: account.id,
        role_id: role.id,
        grid_id: (r.grid ?? opts.grid).id,
        department_id: r.departmentId ?? null,
      })
      .execute();
  }
  return { id: account.id, username, password: TEST_PASSWORD, totpSecret };
}

/** Signs in over HTTP like the web app (password, then the TOTP code if enrolled) and returns a client. */
export async function signIn(app: FastifyInstance, user: TestUser, clock: FakeClock): Promise<Client> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: user.username, password: user.password },
  });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  let body = login.json() as { stage: string; csrfToken: string };
  if (body.stage === 'totp') {
    clock.advance(30_000);
    const code = totpCode(user.totpSecret!, clock.now());
    const res = await clientFor(app, cookie, body.csrfToken).post('/api/auth/totp', { code });
    expect(res.statusCode, res.body).toBe(200);
    body = res.json();
  }
  return clientFor(app, cookie, body.csrfToken);
}
