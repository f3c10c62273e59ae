-- The customer's side (issue 6): a customer's satisfaction rating of their
-- conversation (1-5 and a comment), one per conversation (a second rating
-- replaces the first); only administrators read it.
CREATE TABLE conversation_ratings (
  conversation_id uuid PRIMARY KEY REFERENCES conversations(id),
  score           smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment         text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Verified identity (seed 003): the attributes the company's site signed with
-- the room's secret, when the signature checked out; null otherwise.
ALTER TABLE conversations ADD COLUMN verified_identity jsonb;
