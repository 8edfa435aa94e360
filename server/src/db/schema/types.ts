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
  /** The staff member's work address (migration 0008). */
  email: string | null;
  /** Whether notifications also go out by e-mail; only while `email` is set (a CHECK constraint). */
  notify_email: Generated<boolean>;
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
  /** SHA-256 of the first request (canonical JSON body, or upload bytes); null on rows from before 0007. */
  request_hash: string | null;
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

export interface CategoryTable {
  id: Generated<number>;
  parent_id: number | null;
  code: string;
  name_zh: string;
  name_en: string;
  matter_type: string | null;
  default_level: string | null;
  default_department_code: string | null;
  limits: Json | null;
  required_fields: Generated<string[]>;
  personal_fields: Generated<string[]>;
  petition: Generated<boolean>;
  active: Generated<boolean>;
  sort: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface MatterTable {
  id: Generated<number>;
  code: string;
  type: string;
  category_id: number;
  title: string;
  description: string;
  source: string;
  state: string;
  flags: Generated<string[]>;
  grid_id: number;
  grid_path: string;
  lng: number | null;
  lat: number | null;
  place: string | null;
  owner_grid_id: number;
  owner_path: string;
  assignee_grid_id: number | null;
  assignee_path: string | null;
  department_id: number | null;
  dispatcher_grid_id: number | null;
  reporter_id: number | null;
  handler_id: number | null;
  verifier_id: number | null;
  priority: Generated<string>;
  step: string | null;
  step_started_at: Timestamp | null;
  due_at: Timestamp | null;
  warn_at: Timestamp | null;
  warned: Generated<boolean>;
  overdue: Generated<boolean>;
  paused_at: Timestamp | null;
  paused_reason: string | null;
  extension_days: Generated<number>;
  rework_count: Generated<number>;
  return_count: Generated<number>;
  units_passed: Generated<number>;
  problem: Generated<boolean>;
  escalation_count: Generated<number>;
  result: string | null;
  rating: string | null;
  rated_at: Timestamp | null;
  merged_into: number | null;
  open_supervisions: Generated<number>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface MatterPartyTable {
  id: Generated<number>;
  matter_id: number;
  role: string;
  name: string | null;
  phone: string | null;
  id_number: string | null;
  address: string | null;
}

export interface MatterEventTable {
  id: Generated<number>;
  matter_id: number;
  at: Timestamp;
  actor_id: number | null;
  action: string;
  from_state: string | null;
  to_state: string | null;
  note: string | null;
  detail: Json | null;
  attachment_ids: Generated<number[]>;
}

export interface AttachmentTable {
  id: Generated<number>;
  matter_id: number;
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_by: number | null;
  created_at: Timestamp;
}

export interface SupervisionTable {
  id: Generated<number>;
  matter_id: number;
  issuer_id: number | null;
  issuer_grid_id: number;
  priority: string;
  reason: string;
  deadline: Timestamp;
  state: string;
  reply: string | null;
  replied_by: number | null;
  replied_at: Timestamp | null;
  automatic: Generated<boolean>;
  created_at: Timestamp;
  /** When the issuer was told that the order passed its deadline (once; the sweep's partial index). */
  overdue_notified_at: Timestamp | null;
}

export interface NotificationTable {
  id: Generated<number>;
  account_id: number;
  matter_id: number | null;
  kind: string;
  title: string;
  body: Generated<string>;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: string;
  target: string;
  payload: Json;
  created_at: Timestamp;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  delivered_at: Timestamp | null;
  last_error: string | null;
}

export interface SavedViewTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  filters: Json;
  created_at: Timestamp;
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
  category: CategoryTable;
  matter: MatterTable;
  matter_party: MatterPartyTable;
  matter_event: MatterEventTable;
  attachment: AttachmentTable;
  supervision: SupervisionTable;
  notification: NotificationTable;
  outbox: OutboxTable;
  saved_view: SavedViewTable;
}

export type GridRow = Selectable<GridTable>;
export type AccountRow = Selectable<AccountTable>;
export type RoleRow = Selectable<RoleTable>;
export type SessionRow = Selectable<SessionTable>;
export type AuditRow = Selectable<AuditTable>;
export type NewAudit = Insertable<AuditTable>;
export type AccountUpdate = Updateable<AccountTable>;
export type MatterRow = Selectable<MatterTable>;
export type CategoryRow = Selectable<CategoryTable>;
