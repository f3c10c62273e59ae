-- Queue behaviour (issue 4): reads that run often enough to need an index.
-- A room's open chats, counted against its maxConcurrentSessions at each start.
CREATE INDEX conversations_room_open ON conversations (room_id) WHERE status <> 'closed' AND channel = 'chat';
-- The room's most recently accepted chats: their waits make the queue's estimated wait.
CREATE INDEX conversations_room_accepted ON conversations (room_id, accepted_at DESC) WHERE accepted_at IS NOT NULL;
-- Agents still in wrap-up after a restart: chats closed lately, by agent.
CREATE INDEX conversations_closed_recent ON conversations (closed_at) WHERE status = 'closed' AND agent_id IS NOT NULL;
