-- Admin data model (issue 3): operator profiles and SIP info, departments,
-- private rooms, customers, canned responses, predefined messages, URL routing,
-- offline-message recipients, tags, company-wide settings, API tokens and the
-- audit log.

-- Operators. Email and JID are unique among operators that still exist: a
-- deleted operator keeps its row (its conversations keep their history).
ALTER TABLE agents DROP CONSTRAINT agents_email_key;
ALTER TABLE agents DROP CONSTRAINT agents_jid_key;
CREATE UNIQUE INDEX agents_email_live ON agents (lower(email)) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX agents_jid_live ON agents (jid) WHERE deleted_at IS NULL;
ALTER TABLE agents
  ADD COLUMN IF NOT EXISTS avatar_url   text,
  ADD COLUMN IF NOT EXISTS latitude     double precision CHECK (latitude BETWEEN -90 AND 90),
  ADD COLUMN IF NOT EXISTS longitude    double precision CHECK (longitude BETWEEN -180 AND 180),
  ADD COLUMN IF NOT EXISTS email_alerts boolean NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS greeting     text,
  ADD COLUMN IF NOT EXISTS mobile       boolean NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS sip_username text,
  ADD COLUMN IF NOT EXISTS sip_password text,
  ADD COLUMN IF NOT EXISTS sip_ha1      text,
  ADD COLUMN IF NOT EXISTS updated_at   timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX IF NOT EXISTS agents_sip_username ON agents (sip_username) WHERE sip_username IS NOT NULL;

CREATE TABLE departments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX departments_name ON departments (lower(name));

CREATE TABLE department_members (
  department_id uuid NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
  agent_id      uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  PRIMARY KEY (department_id, agent_id)
);
CREATE INDEX department_members_agent ON department_members (agent_id);

-- Rooms: public entry points, and one private room per operator. A deleted
-- room keeps its row for its conversations; its slug becomes free.
ALTER TABLE rooms DROP CONSTRAINT rooms_slug_key;
ALTER TABLE rooms
  ADD COLUMN kind           text NOT NULL DEFAULT 'public' CHECK (kind IN ('public', 'private')),
  ADD COLUMN owner_agent_id uuid REFERENCES agents(id),
  ADD COLUMN secret         text NOT NULL DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
  ADD COLUMN deleted_at     timestamptz,
  ADD CONSTRAINT rooms_private_owner CHECK ((kind = 'private') = (owner_agent_id IS NOT NULL));
CREATE UNIQUE INDEX rooms_slug_live ON rooms (slug) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX rooms_private_per_agent ON rooms (owner_agent_id) WHERE kind = 'private' AND deleted_at IS NULL;

CREATE TABLE customers (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  email       text,
  external_id text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email ON customers (lower(email)) WHERE email IS NOT NULL;

ALTER TABLE conversations
  ADD COLUMN customer_id   uuid REFERENCES customers(id),
  ADD COLUMN department_id uuid REFERENCES departments(id) ON DELETE SET NULL;
CREATE INDEX conversations_customer ON conversations (customer_id, created_at);
CREATE INDEX conversations_room_time ON conversations (room_id, created_at);
CREATE INDEX conversations_agent_time ON conversations (agent_id, created_at);

CREATE TABLE canned_responses (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent_id   uuid REFERENCES agents(id) ON DELETE CASCADE, -- NULL: everyone's
  shortcut   text NOT NULL,
  text       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX canned_responses_shortcut ON canned_responses (coalesce(agent_id, '00000000-0000-0000-0000-000000000000'), lower(shortcut));

CREATE TABLE predefined_messages (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title      text NOT NULL,
  text       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE url_routes (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  pattern    text NOT NULL,
  enabled    boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX url_routes_pattern ON url_routes (lower(pattern));

CREATE TABLE url_route_agents (
  url_route_id uuid NOT NULL REFERENCES url_routes(id) ON DELETE CASCADE,
  agent_id     uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  PRIMARY KEY (url_route_id, agent_id)
);

CREATE TABLE offline_recipients (
  agent_id uuid PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE
);

CREATE TABLE tags (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind       text NOT NULL CHECK (kind IN ('conversation', 'customer')),
  name       text NOT NULL,
  color      text NOT NULL DEFAULT '#888888',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tags_name ON tags (kind, lower(name));

CREATE TABLE conversation_tags (
  conversation_id uuid NOT NULL REFERENCES conversations(id),
  tag_id          uuid NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  PRIMARY KEY (conversation_id, tag_id)
);

CREATE TABLE customer_tags (
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  tag_id      uuid NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  PRIMARY KEY (customer_id, tag_id)
);

-- Company-wide settings, one JSON document per key (company, smtp, auth, routing).
CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  created_by   uuid REFERENCES agents(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

ALTER TABLE api_sessions ADD COLUMN user_agent text;
CREATE INDEX api_sessions_agent ON api_sessions (agent_id);

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('agent', 'token', 'system')),
  actor_id    uuid,
  actor_label text NOT NULL,
  action      text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  resource    text NOT NULL,
  resource_id text NOT NULL,
  before      jsonb,
  after       jsonb
);
CREATE INDEX audit_log_resource ON audit_log (resource, resource_id, id);
CREATE INDEX audit_log_at ON audit_log (at);
