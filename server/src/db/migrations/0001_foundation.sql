-- Foundation: the administrative tree, departments, accounts, roles, sessions, settings, audit.
-- Paths are materialized as '/1/7/23/' in the C collation so that prefix LIKE uses the btree index.

CREATE TABLE grid_level (
  depth integer PRIMARY KEY,
  level text NOT NULL UNIQUE,
  name_zh text NOT NULL,
  name_en text NOT NULL
);

INSERT INTO grid_level (depth, level, name_zh, name_en) VALUES
  (0, 'city', '市', 'City'),
  (1, 'county', '县（区）', 'County / district'),
  (2, 'town', '乡镇（街道）', 'Town / street'),
  (3, 'village', '村（社区）', 'Village / community'),
  (4, 'grid', '网格', 'Grid'),
  (5, 'micro_grid', '微网格', 'Micro-grid');

CREATE TABLE grid (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id integer REFERENCES grid (id),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  level text NOT NULL REFERENCES grid_level (level),
  depth integer NOT NULL,
  path text COLLATE "C" NOT NULL UNIQUE,
  polygon jsonb,
  centroid_lng double precision,
  centroid_lat double precision,
  households integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grid_parent_idx ON grid (parent_id);

CREATE TABLE department (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name_zh text NOT NULL,
  name_en text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT true,
  password_changed_at timestamptz,
  totp_secret text,
  totp_enabled_at timestamptz,
  totp_last_step bigint,
  home_grid_id integer NOT NULL REFERENCES grid (id),
  department_id integer REFERENCES department (id),
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_active_at timestamptz,
  disabled_at timestamptz,
  disabled_reason text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX account_username_idx ON account (lower(username));
CREATE INDEX account_home_grid_idx ON account (home_grid_id);
CREATE INDEX account_active_idx ON account (last_active_at) WHERE disabled_at IS NULL;

CREATE TABLE role (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  name_en text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('business', 'system', 'security', 'audit')),
  permissions text[] NOT NULL,
  builtin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE role_assignment (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id integer NOT NULL REFERENCES account (id),
  role_id integer NOT NULL REFERENCES role (id),
  grid_id integer NOT NULL REFERENCES grid (id),
  department_id integer REFERENCES department (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, role_id, grid_id)
);
CREATE INDEX role_assignment_grid_idx ON role_assignment (grid_id);

CREATE TABLE grid_staff (
  grid_id integer NOT NULL REFERENCES grid (id),
  account_id integer NOT NULL REFERENCES account (id),
  duty text NOT NULL CHECK (duty IN ('grid_worker', 'liaison', 'leader')),
  PRIMARY KEY (grid_id, account_id, duty)
);
CREATE INDEX grid_staff_account_idx ON grid_staff (account_id);

CREATE TABLE session (
  id text PRIMARY KEY,
  account_id integer NOT NULL REFERENCES account (id),
  stage text NOT NULL CHECK (stage IN ('totp', 'password', 'enroll', 'active')),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX session_account_idx ON session (account_id);
CREATE INDEX session_expires_idx ON session (expires_at);

CREATE TABLE setting (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE idempotency_key (
  account_id integer NOT NULL,
  key text NOT NULL,
  route text NOT NULL,
  status integer,
  body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, key)
);

CREATE TABLE audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id integer,
  actor_name text,
  actor_roles text[] NOT NULL DEFAULT '{}',
  actor_path text COLLATE "C",
  ip text,
  action text NOT NULL,
  object_type text,
  object_id text,
  object_path text COLLATE "C",
  result text NOT NULL CHECK (result IN ('success', 'failure', 'denied')),
  reason text,
  request_id text,
  detail jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_at_idx ON audit (at);
CREATE INDEX audit_actor_idx ON audit (actor_id, at);
CREATE INDEX audit_object_idx ON audit (object_type, object_id);
CREATE INDEX audit_object_path_idx ON audit (object_path);
CREATE INDEX audit_actor_path_idx ON audit (actor_path);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
