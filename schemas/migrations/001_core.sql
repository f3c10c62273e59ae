-- Core chat loop: agents, rooms (entry points), conversations, their messages,
-- offers, and the MUC occupants kept so a restarted component resumes.

CREATE TABLE agents (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  jid           text NOT NULL UNIQUE,
  name          text NOT NULL,
  nickname      text NOT NULL,
  email         text UNIQUE,
  role          text NOT NULL DEFAULT 'normal' CHECK (role IN ('administrator', 'normal')),
  password_hash text,
  max_chats     integer NOT NULL DEFAULT 3 CHECK (max_chats >= 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz
);

CREATE TABLE api_sessions (
  token_hash   text PRIMARY KEY,
  agent_id     uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rooms (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  settings   jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE conversations (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  room_id             uuid NOT NULL REFERENCES rooms(id),
  muc_node            text NOT NULL UNIQUE,
  status              text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'active', 'closed')),
  disposition         text CHECK (disposition IN ('served', 'abandoned', 'timeout', 'offline', 'unmanaged', 'rejected')),
  customer_name       text NOT NULL,
  customer_email      text,
  first_message       text,
  form                jsonb NOT NULL DEFAULT '{}',
  room_password       text NOT NULL,
  customer_token_hash text NOT NULL,
  agent_id            uuid REFERENCES agents(id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  customer_joined_at  timestamptz,
  accepted_at         timestamptz,
  closed_at           timestamptz,
  closed_by           text
);
CREATE INDEX conversations_waiting ON conversations (created_at) WHERE status = 'queued';
CREATE INDEX conversations_agent_active ON conversations (agent_id) WHERE status = 'active';

CREATE TABLE messages (
  id              uuid PRIMARY KEY,            -- the XEP-0359 stanza-id
  seq             bigserial NOT NULL UNIQUE,   -- total order of storage
  conversation_id uuid NOT NULL REFERENCES conversations(id),
  sender_kind     text NOT NULL CHECK (sender_kind IN ('customer', 'agent', 'system')),
  sender_nick     text,
  sender_jid      text,
  agent_id        uuid REFERENCES agents(id),
  body            text NOT NULL,
  origin_id       text,
  private         boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);

CREATE TABLE offers (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations(id),
  agent_id        uuid NOT NULL REFERENCES agents(id),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'timed_out', 'withdrawn')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  deadline        timestamptz NOT NULL,
  ended_at        timestamptz
);
CREATE UNIQUE INDEX offers_one_pending ON offers (conversation_id, agent_id) WHERE status = 'pending';
CREATE INDEX offers_pending_by_agent ON offers (agent_id) WHERE status = 'pending';

CREATE TABLE occupants (
  muc_node   text NOT NULL,
  real_jid   text NOT NULL,
  nick       text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('customer', 'agent')),
  agent_id   uuid REFERENCES agents(id),
  joined_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (muc_node, real_jid)
);

CREATE TABLE conversation_events (
  id              bigserial PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations(id),
  kind            text NOT NULL,
  data            jsonb NOT NULL DEFAULT '{}',
  at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_events_by_conversation ON conversation_events (conversation_id, id);
