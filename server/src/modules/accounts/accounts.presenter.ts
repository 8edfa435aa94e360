import type { Account, AccountStatus } from '@gridgov/common/schemas/accounts';
import type { RoleKind } from '@gridgov/common/schemas/roles';
import type { Ctx } from '../../lib/context.ts';
import { type AccountFacts, accountAbilities } from './accounts.policy.ts';
import type { AccountListRow, AssignmentRow } from './accounts.repository.ts';

/** An account as loaded by the service: its row and its role assignments. */
export interface AccountView {
  row: AccountListRow;
  assignments: AssignmentRow[];
}

export function accountStatus(
  row: Pick<AccountListRow, 'disabled_at' | 'locked_until'>,
  now: Date,
): AccountStatus {
  if (row.disabled_at) return 'disabled';
  if (row.locked_until && row.locked_until > now) return 'locked';
  return 'active';
}

export function accountFacts(row: AccountListRow, now: Date): AccountFacts {
  return {
    id: row.id,
    homePath: row.home_path,
    disabled: row.disabled_at !== null,
    locked: row.locked_until !== null && row.locked_until > now,
    totpSet: row.totp_set,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentAccount(ctx: Ctx, { row, assignments }: AccountView): Account {
  const now = ctx.clock.now();
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    homeGrid: { id: row.home_grid_id, name: row.home_grid_name, path: row.home_path },
    department:
      row.department_id === null
        ? null
        : {
            id: row.department_id,
            nameZh: row.department_name_zh ?? '',
            nameEn: row.department_name_en ?? '',
          },
    assignments: assignments.map((a) => ({
      id: a.id,
      role: { id: a.role_id, name: a.role_name, kind: a.role_kind as RoleKind },
      grid: { id: a.grid_id, name: a.grid_name },
      department:
        a.department_id === null
          ? null
          : { id: a.department_id, nameZh: a.department_name_zh ?? '', nameEn: a.department_name_en ?? '' },
    })),
    status: accountStatus(row, now),
    lockedUntil: row.locked_until && row.locked_until > now ? iso(row.locked_until) : null,
    disabledReason: row.disabled_reason,
    lastActiveAt: iso(row.last_active_at),
    totpEnabled: row.totp_enabled_at !== null,
    mustChangePassword: row.must_change_password,
    email: row.email,
    emailNotifications: row.notify_email,
    abilities: accountAbilities(ctx, accountFacts(row, now)),
  };
}
