import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely's view of the schema. `schema.test.ts` checks it against the migrated database. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface GridLevelTable {
  depth: number;
  level: string;
  name_zh: string;
  name_en: string;
}

export interface GridTable {
  id: Generated<number>;
  parent_id: number | null;
  code: string;
  name: string;
  level: string;
  depth: number;
  path: string;
  polygon: Json | null;
  centroid_lng: number | null;
  centroid_lat: number | null;
  households: Generated<number>;
  synthetic: Generated<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface DepartmentTable {
  id: Generated<number>;
  code: string;
  name_zh: string;
  name_en: string;
  active: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface AccountTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  password_changed_at: Timestamp | null;
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: number | null;
  home_grid_id: number;
  department_id: number | null;
  failed_attempts: Generated<number>;
  locked_until: Timestamp | null;
  last_active_at: Timestamp | null;
  disabled_at: Timestamp | null;
  disabled_reason: string | null;
  created_at: DefaultTimestamp;
}

export interface RoleTable {
  id: Generated<number>;
  name: string;
  name_en: Generated<string>;
  description: Generated<string>;
  kind: string;
  permissions: string[];
  builtin: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface RoleAssignmentTable {
  id: Generated<number>;
  account_id: number;
  role_id: number;
  grid_id: number;
  department_id: number | null;
  created_at: DefaultTimestamp;
}

export interface GridStaffTable {
  grid_id: number;
  account_id: number;
  duty: string;
}

export interface SessionTable {
  id: string;
  account_id: number;
  stage: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface SettingTable {
  key: string;
  value: Json;
  updated_at: DefaultTimestamp;
}

export interface IdempotencyKeyTable {
  account_id: number;
  key: string;
  route: string;
  status: number | null;
  body: Json | null;
  created_at: DefaultTimestamp;
}

export interface AuditTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  actor_name: string | null;
  actor_roles: ColumnType<string[], string[] | undefined, never>;
  actor_path: string | null;
  ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  object_path: string | null;
  result: string;
  reason: string | null;
  request_id: string | null;
  detail: Json | null;
  prev_hash: string;
  hash: string;
}

export interface DB {
  grid_level: GridLevelTable;
  grid: GridTable;
  department: DepartmentTable;
  account: AccountTable;
  role: RoleTable;
  role_assignment: RoleAssignmentTable;
  grid_staff: GridStaffTable;
  session: SessionTable;
  setting: SettingTable;
  idempotency_key: IdempotencyKeyTable;
  audit: AuditTable;
}

export type GridRow = Selectable<GridTable>;
export type AccountRow = Selectable<AccountTable>;
export type RoleRow = Selectable<RoleTable>;
export type SessionRow = Selectable<SessionTable>;
export type AuditRow = Selectable<AuditTable>;
export type NewAudit = Insertable<AuditTable>;
export type AccountUpdate = Updateable<AccountTable>;
