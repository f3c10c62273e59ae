-- Voice (issue 5): agents' SIP credentials and their registrations.
--
-- The agents' SIP columns may already exist (002 adds them with the admin data
-- model): every statement on them is guarded, so either order works.
-- sip_ha1 = md5(sip_username:realm:sip_password) (RFC 2617 §3.2.2.2), the
-- only thing Kamailio is ever given.
ALTER TABLE agents
  ADD COLUMN IF NOT EXISTS sip_username text,
  ADD COLUMN IF NOT EXISTS sip_password text,
  ADD COLUMN IF NOT EXISTS sip_ha1      text;
CREATE UNIQUE INDEX IF NOT EXISTS agents_sip_username ON agents (sip_username) WHERE sip_username IS NOT NULL;

-- The contacts Kamailio holds for each agent (a mirror of its usrloc, so a
-- restarted worker knows who can take calls). kamailio_boot tells which
-- Kamailio run they belong to: a restarted Kamailio has none of them.
CREATE TABLE sip_registrations (
  agent_id      uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  contact       text NOT NULL,
  expires_at    timestamptz NOT NULL,
  call_id       text,
  received      text,
  user_agent    text,
  source        text,
  kamailio_boot bigint NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, contact)
);
CREATE INDEX sip_registrations_expiry ON sip_registrations (expires_at);

-- Calls through Kamailio, one row per INVITE we routed (written at its first
-- dialog event). A customer's calls also land in conversation_events.
CREATE TABLE sip_calls (
  id              uuid PRIMARY KEY,
  sip_call_id     text NOT NULL,
  caller_kind     text NOT NULL CHECK (caller_kind IN ('agent', 'customer')),
  caller_agent_id uuid REFERENCES agents(id),
  callee_agent_id uuid NOT NULL REFERENCES agents(id),
  conversation_id uuid REFERENCES conversations(id),
  caller_webrtc   boolean NOT NULL DEFAULT false,
  state           text NOT NULL CHECK (state IN ('routing', 'ringing', 'answered', 'ended', 'failed')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  ringing_at      timestamptz,
  answered_at     timestamptz,
  ended_at        timestamptz
);
CREATE INDEX sip_calls_by_conversation ON sip_calls (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX sip_calls_by_sip_call_id ON sip_calls (sip_call_id);
