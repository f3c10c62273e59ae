// Least busy: the agent handling the fewest chats gets it (pending offers
// count, so a burst spreads over the agents instead of piling on the first);
// on a tie the one idle the longest, then fewer active chats.
import { active, idle, load, rankBy, topBy } from './order.js';
import type { Strategy, TopStrategy } from './types.js';

export const leastBusy: Strategy = (candidates) => rankBy(candidates, load, idle, active);
export const leastBusyTop: TopStrategy = (candidates, _c, _now, n) => topBy(n, candidates, load, idle, active);
