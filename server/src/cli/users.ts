import { Text, Username } from '@gridgov/common/schemas/common';
import { Value } from '@sinclair/typebox/value';
import type { Command } from 'commander';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { AppError, validationError } from '../lib/app-error.ts';
import { writeAudit } from '../lib/audit.ts';
import type { Ctx } from '../lib/context.ts';
import {
  deleteSessionsOf,
  insertAccount,
  insertAssignment,
  isUniqueViolation,
  updateAccount,
} from '../modules/accounts/accounts.repository.ts';
import { generateInitialPassword } from '../modules/accounts/initial-password.ts';
import { findAccountByUsername } from '../modules/auth/auth.repository.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { loadPolicy } from '../modules/auth/policy.ts';
import { findDepartmentByCode } from '../modules/departments/departments.repository.ts';
import { findGridByCode } from '../modules/grids/grids.repository.ts';
import { listRoles } from '../modules/roles/roles.repository.ts';
import type { OpenCli } from './open.ts';

/*
 * Account maintenance from the console, for the operator of the deployment (who holds the
 * database anyway): not scoped, audited as the system actor, with each account's home grid as
 * the object path so that the audit administrators of that subtree see it.
 */

export interface AddUserInput {
  username: string;
  displayName: string;
  gridCode: string;
  roles: string[];
  departmentCode?: string;
}

const usernameTaken = () => new AppError('CONFLICT', 'The username is already taken');

/**
 * Creates an account at the grid with `code`, with the named roles assigned there, and returns
 * the generated initial password (to be shown once; it must be changed at first sign-in). Roles
 * of different kinds (business, or one administrator kind) are refused. With a department, the
 * account belongs to it and its business roles are narrowed to that department's matters.
 */
export async function addUser(
  ctx: Ctx,
  input: AddUserInput,
): Promise<{ id: number; gridName: string; initialPassword: string }> {
  const displayName = input.displayName.trim();
  const problems = [
    ...(Value.Check(Username, input.username)
      ? []
      : [{ field: 'username', message: 'must be 3–64 of A-Z a-z 0-9 _ . -' }]),
    ...(Value.Check(Text(64), displayName)
      ? []
      : [{ field: 'name', message: 'must be 1–64 characters on one line' }]),
  ];
  if (problems.length > 0) throw validationError(problems);
  const grid = await findGridByCode(ctx.db, input.gridCode);
  if (!grid) throw validationError([{ field: 'grid', message: `no grid with code ${input.gridCode}` }]);
  const department = input.departmentCode ? await findDepartmentByCode(ctx.db, input.departmentCode) : null;
  if (input.departmentCode && !department) {
    throw validationError([
      { field: 'department', message: `no department with code ${input.departmentCode}` },
    ]);
  }
  const allRoles = await listRoles(ctx.db);
  const roles = [...new Set(input.roles)].map((name) => {
    const role = allRoles.find((r) => r.name === name);
    if (!role) throw validationError([{ field: 'role', message: `no role named ${name}` }]);
    return role;
  });
  const kinds = [...new Set(roles.map((r) => r.kind))];
  if (kinds.length > 1) {
    throw validationError([
      { field: 'role', message: `an account holds roles of one kind only, not ${kinds.join(' and ')}` },
    ]);
  }
  if (await findAccountByUsername(ctx.db, input.username)) throw usernameTaken();

  const initialPassword = generateInitialPassword(await loadPolicy(ctx.db), input.username);
  const passwordHash = await hashPassword(initialPassword);
  const now = ctx.clock.now();
  const departmentId = department?.id ?? null;
  try {
    const id = await ctx.db.transaction().execute(async (trx) => {
      const id = await insertAccount(trx, {
        username: input.username,
        displayName,
        passwordHash,
        homeGridId: grid.id,
        departmentId,
        now,
      });
      await writeAudit(trx, ctx, {
        action: 'account.create',
        objectType: 'account',
        objectId: id,
        objectPath: grid.path,
        detail: { homeGridId: grid.id, departmentId, via: 'cli' },
      });
      for (const role of roles) {
        const narrowed = role.kind === 'business' ? departmentId : null;
        const assignmentId = await insertAssignment(trx, {
          accountId: id,
          roleId: role.id,
          gridId: grid.id,
          departmentId: narrowed,
          now,
        });
        await writeAudit(trx, ctx, {
          action: 'role.assign',
          objectType: 'account',
          objectId: id,
          objectPath: grid.path,
          detail: {
            assignmentId,
            roleId: role.id,
            kind: role.kind,
            gridId: grid.id,
            departmentId: narrowed,
            via: 'cli',
          },
        });
      }
      return id;
    });
    return { id, gridName: grid.name, initialPassword };
  } catch (error) {
    if (isUniqueViolation(error)) throw usernameTaken();
    throw error;
  }
}

async function requireAccount(ctx: Ctx, username: string) {
  const account = await findAccountByUsername(ctx.db, username);
  if (!account) throw new AppError('NOT_FOUND', `No account ${username}`);
  return account;
}

/** Applies a guarded change to an account and audits it; CONFLICT when the guard does not hold. */
async function changeAccount(
  ctx: Ctx,
  username: string,
  change: {
    set: Parameters<typeof updateAccount>[2];
    guard: RawBuilder<SqlBool>;
    conflict: string;
    action: string;
    reason?: string;
    endSessions?: boolean;
  },
): Promise<void> {
  const account = await requireAccount(ctx, username);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await updateAccount(trx, account.id, change.set, change.guard)))
      throw new AppError('CONFLICT', change.conflict);
    if (change.endSessions) await deleteSessionsOf(trx, [account.id]);
    await writeAudit(trx, ctx, {
      action: change.action,
      objectType: 'account',
      objectId: account.id,
      objectPath: account.home_path,
      reason: change.reason ?? null,
      detail: { via: 'cli' },
    });
  });
}

/** Disables an account with a reason and ends its sessions. */
export async function disableUser(ctx: Ctx, username: string, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) throw validationError([{ field: 'reason', message: 'is empty' }]);
  await changeAccount(ctx, username, {
    set: { disabled_at: ctx.clock.now(), disabled_reason: why },
    guard: sql<SqlBool>`disabled_at IS NULL`,
    conflict: `${username} is already disabled`,
    action: 'account.disable',
    reason: why,
    endSessions: true,
  });
}

/** Enables a disabled account; its inactivity clock restarts now. */
export async function enableUser(ctx: Ctx, username: string): Promise<void> {
  await changeAccount(ctx, username, {
    set: { disabled_at: null, disabled_reason: null, last_active_at: ctx.clock.now() },
    guard: sql<SqlBool>`disabled_at IS NOT NULL`,
    conflict: `${username} is not disabled`,
    action: 'account.enable',
  });
}

/** Lifts a sign-in lockout and clears the failure count. */
export async function unlockUser(ctx: Ctx, username: string): Promise<void> {
  await changeAccount(ctx, username, {
    set: { locked_until: null, failed_attempts: 0 },
    guard: sql<SqlBool>`locked_until > ${ctx.clock.now()}`,
    conflict: `${username} is not locked`,
    action: 'account.unlock',
  });
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `gridgov users add | disable | enable | unlock`. */
export function registerUserCommands(program: Command, open: OpenCli): void {
  const users = program.command('users').description('create and maintain accounts (audited as the system)');

  users
    .command('add')
    .description('create an account; prints its initial password once (it must be changed at first sign-in)')
    .requiredOption('--username <username>', 'sign-in name: 3–64 of A-Z a-z 0-9 _ . -')
    .requiredOption('--name <displayName>', 'display name, e.g. 张三')
    .requiredOption('--grid <code>', 'code of the home grid; the roles are assigned there')
    .option('--role <name>', 'a role to assign, e.g. 网格员 (repeatable; all of one kind)', collect, [])
    .option(
      '--department <code>',
      'department code: the account belongs to it, business roles are narrowed to it',
    )
    .action(
      async (opts: { username: string; name: string; grid: string; role: string[]; department?: string }) => {
        const { ctx, close } = await open({ mustExist: true });
        try {
          const created = await addUser(ctx, {
            username: opts.username,
            displayName: opts.name,
            gridCode: opts.grid,
            roles: opts.role,
            departmentCode: opts.department,
          });
          const roles = opts.role.length > 0 ? opts.role.join(', ') : 'none yet';
          console.log(
            `Created account ${opts.username} (id ${created.id}) at ${created.gridName}; roles: ${roles}.`,
          );
          console.log(
            `Initial password (shown once; must be changed at first sign-in): ${created.initialPassword}`,
          );
        } finally {
          await close();
        }
      },
    );

  users
    .command('disable <username>')
    .description('disable an account and end its sessions')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .action(async (username: string, opts: { reason: string }) => {
      const { ctx, close } = await open({ mustExist: true });
      try {
        await disableUser(ctx, username, opts.reason);
        console.log(`Disabled ${username}.`);
      } finally {
        await close();
      }
    });

  users
    .command('enable <username>')
    .description('enable a disabled account')
    .action(async (username: string) => {
      const { ctx, close } = await open({ mustExist: true });
      try {
        await enableUser(ctx, username);
        console.log(`Enabled ${username}.`);
      } finally {
        await close();
      }
    });

  users
    .command('unlock <username>')
    .description('lift a sign-in lockout before it expires')
    .action(async (username: string) => {
      const { ctx, close } = await open({ mustExist: true });
      try {
        await unlockUser(ctx, username);
        console.log(`Unlocked ${username}.`);
      } finally {
        await close();
      }
    });
}
