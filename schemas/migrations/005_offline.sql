-- Offline flows (issue 7): a note left when nobody can answer is a
-- conversation on the 'note' channel an agent answers later by email; email
-- alerts a waiting customer asked for.
ALTER TABLE conversations ADD COLUMN channel text NOT NULL DEFAULT 'chat' CHECK (channel IN ('chat', 'note'));
CREATE INDEX conversations_open_notes ON conversations (created_at) WHERE channel = 'note' AND status = 'queued';

CREATE TABLE conversation_alerts (
  conversation_id     uuid PRIMARY KEY REFERENCES conversations(id),
  email               text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  customer_alerted_at timestamptz
);
CREATE INDEX conversation_alerts_pending ON conversation_alerts (created_at) WHERE customer_alerted_at IS NULL;
