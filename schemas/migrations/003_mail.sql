-- Email outbox (src/mail/). An email is a row before anything is sent: one row
-- per recipient, rendered once at enqueue, then delivered by the outbox worker
-- with retries. The rows are also the entitlement ledger (quota).

CREATE TABLE mail_outbox (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- RFC 5322 Message-ID, fixed at enqueue: every attempt of this email carries
  -- the same one, so a copy sent twice after a crash can be recognised.
  message_id      text NOT NULL UNIQUE,
  -- The recipients given to one enqueue call share a batch.
  batch_id        uuid NOT NULL,
  template        text NOT NULL,
  conversation_id uuid REFERENCES conversations(id),
  recipient       text NOT NULL,
  recipient_name  text,
  from_name       text NOT NULL,
  from_address    text NOT NULL,
  reply_to        text,
  subject         text NOT NULL,
  html            text NOT NULL,
  text            text NOT NULL,
  -- Files to attach: [{ "filename", "path", "contentType" }]; links are in the body.
  attachments     jsonb NOT NULL DEFAULT '[]',
  auto_submitted  boolean NOT NULL DEFAULT true,
  status          text NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'refused_quota')),
  attempts        integer NOT NULL DEFAULT 0,
  -- queued: when the next attempt is due. sending: when the claim's lease ends
  -- (a worker that died mid-send leaves the row to be claimed again then).
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  -- Where the embedded transport wrote the message (no SMTP configured).
  eml_path        text,
  smtp_response   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX mail_outbox_recent ON mail_outbox (created_at DESC);
CREATE INDEX mail_outbox_by_status ON mail_outbox (status);
CREATE INDEX mail_outbox_by_conversation ON mail_outbox (conversation_id) WHERE conversation_id IS NOT NULL;
