// Least busy: the agent handling the fewest chats gets it (pending offers
// count, so a burst spreads over the agents instead of piling on the first);
// on a tie the one idle the longest, then fewer active chats.
import { byIdle, cmp, load, rankBy } from './order.js';
import type { Strategy } from './types.js';

export const leastBusy: Strategy = (candidates) =>
  rankBy(candidates, (x, y) => cmp(load(x), load(y)), byIdle, (x, y) => cmp(x.active, y.active));
