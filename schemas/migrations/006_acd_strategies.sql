-- Routing strategies and eligibility (issue 4): what the customer's page tells
-- at conversation start (page URL for URL routing, the visitor cookie id for
-- the sticky agent, a location for the nearest agent), the customer's
-- "Ask all agents", and the round-robin rotation of each room.
ALTER TABLE conversations
  ADD COLUMN page_url   text CHECK (char_length(page_url) <= 2048),
  ADD COLUMN visitor_id text CHECK (visitor_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  ADD COLUMN latitude   double precision CHECK (latitude BETWEEN -90 AND 90),
  ADD COLUMN longitude  double precision CHECK (longitude BETWEEN -180 AND 180),
  ADD COLUMN ask_all_at timestamptz,
  ADD CONSTRAINT conversations_location_pair CHECK ((latitude IS NULL) = (longitude IS NULL));
-- A returning visitor's earlier conversations (sticky agent).
CREATE INDEX conversations_visitor ON conversations (visitor_id, created_at) WHERE visitor_id IS NOT NULL;

-- Per room, the agent the round-robin rotation gave a conversation to last:
-- the next one starts after it, also after a restart.
CREATE TABLE routing_rotation (
  room_id       uuid PRIMARY KEY REFERENCES rooms(id),
  last_agent_id uuid REFERENCES agents(id) ON DELETE SET NULL,
  at            timestamptz NOT NULL DEFAULT now()
);
