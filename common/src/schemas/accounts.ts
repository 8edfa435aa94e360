import { type Static, Type } from '@sinclair/typebox';
import { Email, Page, PageQuery, Text, Username } from './common.ts';
import { DepartmentRef } from './departments.ts';
import { RoleRef } from './roles.ts';

export const ACCOUNT_STATUSES = ['active', 'locked', 'disabled'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export const AccountStatusSchema = Type.Union(ACCOUNT_STATUSES.map((s) => Type.Literal(s)));

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Instant = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const Assignment = Type.Object({
  id: Type.Integer(),
  role: RoleRef,
  grid: Type.Object({ id: Type.Integer(), name: Type.String() }),
  department: Type.Union([DepartmentRef, Type.Null()]),
});
export type Assignment = Static<typeof Assignment>;

export const AccountAbilities = Type.Object({
  disable: Type.Boolean(),
  enable: Type.Boolean(),
  unlock: Type.Boolean(),
  resetPassword: Type.Boolean(),
  resetTotp: Type.Boolean(),
  assignRoles: Type.Boolean(),
  /** PATCH /accounts/:id (the e-mail address). */
  update: Type.Boolean(),
});
export type AccountAbilities = Static<typeof AccountAbilities>;

export const Account = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  homeGrid: Type.Object({ id: Type.Integer(), name: Type.String(), path: Type.String() }),
  department: Type.Union([DepartmentRef, Type.Null()]),
  assignments: Type.Array(Assignment),
  status: AccountStatusSchema,
  lockedUntil: Instant,
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  lastActiveAt: Instant,
  totpEnabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  /** The work e-mail address; null when none is set. */
  email: Type.Union([Type.String(), Type.Null()]),
  /** Whether the account has chosen to receive its notifications by e-mail too (only with an address). */
  emailNotifications: Type.Boolean(),
  abilities: AccountAbilities,
});
export type Account = Static<typeof Account>;

export const AccountPage = Page(Account);
export type AccountPage = Static<typeof AccountPage>;

export const AccountListQuery = Type.Object(
  {
    q: Type.Optional(Text(64, 0)),
    gridId: Type.Optional(Id),
    status: Type.Optional(AccountStatusSchema),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type AccountListQuery = Static<typeof AccountListQuery>;

export const CreateAccountBody = Type.Object(
  {
    username: Username,
    displayName: Text(64),
    homeGridId: Id,
    departmentId: Type.Optional(Id),
    email: Type.Optional(Email),
  },
  { additionalProperties: false },
);
export type CreateAccountBody = Static<typeof CreateAccountBody>;

/** What the system administrator changes on an existing account: the e-mail address (null clears it). */
export const UpdateAccountBody = Type.Object(
  { email: Type.Union([Email, Type.Null()]) },
  { additionalProperties: false },
);
export type UpdateAccountBody = Static<typeof UpdateAccountBody>;

export const CreatedAccount = Type.Object({ account: Account, initialPassword: Type.String() });
export type CreatedAccount = Static<typeof CreatedAccount>;

export const DisableAccountBody = Type.Object({ reason: Text(200) }, { additionalProperties: false });
export type DisableAccountBody = Static<typeof DisableAccountBody>;

export const InitialPassword = Type.Object({ initialPassword: Type.String() });
export type InitialPassword = Static<typeof InitialPassword>;

export const AssignRoleBody = Type.Object(
  { roleId: Id, gridId: Id, departmentId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type AssignRoleBody = Static<typeof AssignRoleBody>;
