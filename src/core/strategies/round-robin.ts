// Round robin: agents take turns in a fixed order (by agent id). The next
// conversation goes to the first candidate after the one the room's rotation
// served last, wrapping around; that agent need not be a candidate now (away,
// full), its place in the order is enough. The queue stores the rotation's
// position after each offer, so it survives restarts.
import { firstN } from './order.js';
import type { Strategy, TopStrategy } from './types.js';

export const roundRobin: Strategy = (candidates, conversation) => {
  const ids = candidates.map((c) => c.id).sort();
  const last = conversation.lastAgentId;
  if (!last) return ids;
  const at = ids.findIndex((id) => id > last);
  return at < 0 ? ids : [...ids.slice(at), ...ids.slice(0, at)];
};

/** The same order without sorting every id: those after the last one served first, then the rest, each by id. */
export const roundRobinTop: TopStrategy = (candidates, conversation, _now, n) => {
  const last = conversation.lastAgentId;
  const wrap = (id: string) => (last && !(id > last) ? 1 : 0);
  return firstN(n, candidates.map((c) => c.id), (x, y) => (wrap(x) - wrap(y)) || (x < y ? -1 : x > y ? 1 : 0));
};
