-- Closed-loop matters: categories (a configurable two-level taxonomy), matters, their parties' personal
-- information (kept apart, never indexed for search), events, attachments, supervision, inbox and outbox.

CREATE TABLE category (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id integer REFERENCES category (id),
  code text NOT NULL UNIQUE,
  name_zh text NOT NULL,
  name_en text NOT NULL,
  -- Leaf categories only (parents are groups): the matter type and how it is handled.
  matter_type text CHECK (matter_type IN ('request', 'hazard', 'dispute', 'incident')),
  default_level text REFERENCES grid_level (level),
  default_department_code text,
  -- {"accept": {"amount": 1, "unit": "workdays"}, "sign": …, "handle": …, "verify": …}
  limits jsonb,
  required_fields text[] NOT NULL DEFAULT '{}',
  personal_fields text[] NOT NULL DEFAULT '{}',
  petition boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  sort integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((parent_id IS NULL) = (matter_type IS NULL)),
  CHECK (personal_fields <@ ARRAY['name', 'phone', 'id_number', 'address']::text[])
);

CREATE TABLE matter (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  type text NOT NULL CHECK (type IN ('request', 'hazard', 'dispute', 'incident')),
  category_id integer NOT NULL REFERENCES category (id),
  title text NOT NULL,
  description text NOT NULL,
  source text NOT NULL CHECK (source IN ('grid_worker', 'desk', 'hotline', 'portal', 'open311', 'screening')),
  state text NOT NULL,
  flags text[] NOT NULL DEFAULT '{}',
  -- Where it happened: the place's grid (fixed) and a point.
  grid_id integer NOT NULL REFERENCES grid (id),
  grid_path text COLLATE "C" NOT NULL,
  lng double precision,
  lat double precision,
  place text,
  -- Who holds it now: the level (a grid node) that accepts and dispatches, and the unit it is assigned to.
  owner_grid_id integer NOT NULL REFERENCES grid (id),
  owner_path text COLLATE "C" NOT NULL,
  assignee_grid_id integer REFERENCES grid (id),
  assignee_path text COLLATE "C",
  department_id integer REFERENCES department (id),
  dispatcher_grid_id integer REFERENCES grid (id),
  reporter_id integer REFERENCES account (id),
  handler_id integer REFERENCES account (id),
  verifier_id integer REFERENCES account (id),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'urgent')),
  -- The running time limit of the current step.
  step text,
  step_started_at timestamptz,
  due_at timestamptz,
  warn_at timestamptz,
  warned boolean NOT NULL DEFAULT false,
  overdue boolean NOT NULL DEFAULT false,
  paused_at timestamptz,
  paused_reason text,
  extension_days integer NOT NULL DEFAULT 0,
  rework_count integer NOT NULL DEFAULT 0,
  return_count integer NOT NULL DEFAULT 0,
  units_passed integer NOT NULL DEFAULT 0,
  problem boolean NOT NULL DEFAULT false,
  escalation_count integer NOT NULL DEFAULT 0,
  result text,
  rating text CHECK (rating IN ('satisfied', 'basic', 'unsatisfied')),
  rated_at timestamptz,
  merged_into integer REFERENCES matter (id),
  open_supervisions integer NOT NULL DEFAULT 0,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  closed_at timestamptz
);
CREATE INDEX matter_grid_path_idx ON matter (grid_path);
CREATE INDEX matter_owner_path_idx ON matter (owner_path);
CREATE INDEX matter_assignee_path_idx ON matter (assignee_path);
CREATE INDEX matter_state_idx ON matter (state, created_at);
CREATE INDEX matter_category_idx ON matter (category_id, created_at);
-- The sweeper reads only what is due: partial indexes on the running deadlines.
CREATE INDEX matter_due_idx ON matter (due_at) WHERE due_at IS NOT NULL AND NOT overdue AND paused_at IS NULL;
CREATE INDEX matter_warn_idx ON matter (warn_at) WHERE warn_at IS NOT NULL AND NOT warned AND paused_at IS NULL;

-- Personal information of requesters and parties: only the fields the category allows, never indexed,
-- masked by every presenter, revealed one value at a time through an audited unmasking.
CREATE TABLE matter_party (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id integer NOT NULL REFERENCES matter (id),
  role text NOT NULL CHECK (role IN ('requester', 'party')),
  name text,
  phone text,
  id_number text,
  address text
);
CREATE INDEX matter_party_matter_idx ON matter_party (matter_id);

CREATE TABLE matter_event (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id integer NOT NULL REFERENCES matter (id),
  at timestamptz NOT NULL,
  actor_id integer REFERENCES account (id),
  action text NOT NULL,
  from_state text,
  to_state text,
  note text,
  detail jsonb,
  attachment_ids integer[] NOT NULL DEFAULT '{}'
);
CREATE INDEX matter_event_matter_idx ON matter_event (matter_id, id);

CREATE TABLE attachment (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id integer NOT NULL REFERENCES matter (id),
  file_name text NOT NULL,
  mime text NOT NULL,
  size integer NOT NULL,
  sha256 text NOT NULL,
  storage_key text NOT NULL UNIQUE,
  created_by integer REFERENCES account (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX attachment_matter_idx ON attachment (matter_id);

CREATE TABLE supervision (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id integer NOT NULL REFERENCES matter (id),
  issuer_id integer REFERENCES account (id),
  issuer_grid_id integer NOT NULL REFERENCES grid (id),
  priority text NOT NULL CHECK (priority IN ('normal', 'high', 'urgent')),
  reason text NOT NULL,
  deadline timestamptz NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'replied', 'closed')),
  reply text,
  replied_by integer REFERENCES account (id),
  replied_at timestamptz,
  automatic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL
);
CREATE INDEX supervision_matter_idx ON supervision (matter_id);
CREATE INDEX supervision_open_idx ON supervision (deadline) WHERE state = 'open';

CREATE TABLE notification (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id integer NOT NULL REFERENCES account (id),
  matter_id integer REFERENCES matter (id),
  kind text NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  read_at timestamptz
);
CREATE INDEX notification_account_idx ON notification (account_id, id DESC);

-- Written in the same transaction as the change; delivered at least once by a worker.
CREATE TABLE outbox (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
  target text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  delivered_at timestamptz,
  last_error text
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

CREATE TABLE saved_view (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id integer NOT NULL REFERENCES account (id),
  name text NOT NULL,
  filters jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (account_id, name)
);

-- Staff who call residents back (回访) record ratings; command centres maintain categories.
UPDATE role SET permissions = permissions || ARRAY['matter.rate']
  WHERE builtin AND name IN ('村（社区）工作人员', '乡镇（街道）指挥中心', '区县指挥中心');
