-- Routing at scale (issue 4): each dispatch reads the refusals of the waiting
-- conversations only; without this index it scanned every offer ever made.
CREATE INDEX offers_refused ON offers (conversation_id) WHERE status IN ('declined', 'timed_out');
