// Round robin: agents take turns in a fixed order (by agent id). The next
// conversation goes to the first candidate after the one the room's rotation
// served last, wrapping around; that agent need not be a candidate now (away,
// full), its place in the order is enough. The queue stores the rotation's
// position after each offer, so it survives restarts.
import type { Strategy } from './types.js';

export const roundRobin: Strategy = (candidates, conversation) => {
  const ids = candidates.map((c) => c.id).sort();
  const last = conversation.lastAgentId;
  if (!last) return ids;
  const at = ids.findIndex((id) => id > last);
  return at < 0 ? ids : [...ids.slice(at), ...ids.slice(0, at)];
};
