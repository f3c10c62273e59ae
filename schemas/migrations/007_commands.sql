-- Agent commands (issue 4): transfers and invitations between agents, the
-- private-mode toggle, the desk's manual availability, team rooms.

-- A transfer ("t") or an invitation ("invite") of a conversation to other
-- agents. One pending row per conversation at a time. The accept is one
-- guarded UPDATE (status = 'pending' and the acceptor among the candidates):
-- of two agents accepting at once exactly one wins.
CREATE TABLE transfers (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations(id),
  kind            text NOT NULL CHECK (kind IN ('transfer', 'invite')),
  from_agent_id   uuid NOT NULL REFERENCES agents(id),
  candidates      uuid[] NOT NULL,
  department_id   uuid REFERENCES departments(id) ON DELETE SET NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'expired', 'cancelled', 'left')),
  accepted_by     uuid REFERENCES agents(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  deadline        timestamptz NOT NULL,
  ended_at        timestamptz
);
CREATE UNIQUE INDEX transfers_one_pending ON transfers (conversation_id) WHERE status = 'pending';
CREATE INDEX transfers_by_conversation ON transfers (conversation_id, created_at);

-- Agents who typed "private" in a conversation: what they say there is a
-- private note until they type it again. Kept in the store so a restarted
-- worker never sends the customer what was meant to be private.
CREATE TABLE private_modes (
  muc_node  text NOT NULL,
  agent_id  uuid NOT NULL REFERENCES agents(id),
  since     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (muc_node, agent_id)
);

-- "available" / "away" typed to the desk: overrides presence for routing
-- until changed (or until every session of the agent goes offline).
CREATE TABLE desk_states (
  agent_id  uuid PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  state     text NOT NULL CHECK (state IN ('available', 'away')),
  set_at    timestamptz NOT NULL DEFAULT now()
);

-- Team rooms: one MUC room per department on our MUC service (node
-- team-<id prefix>), its messages and its occupants (a restarted worker
-- keeps the room's members joined).
CREATE TABLE team_messages (
  id            uuid PRIMARY KEY,
  seq           bigserial NOT NULL UNIQUE,
  department_id uuid NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
  sender_nick   text NOT NULL,
  agent_id      uuid REFERENCES agents(id),
  body          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX team_messages_by_department ON team_messages (department_id, seq);

CREATE TABLE team_occupants (
  department_id uuid NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
  real_jid      text NOT NULL,
  nick          text NOT NULL,
  agent_id      uuid NOT NULL REFERENCES agents(id),
  PRIMARY KEY (department_id, real_jid)
);
