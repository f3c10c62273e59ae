// Longest idle: the agent who has been without a chat the longest gets it;
// agents with chats come after every idle one, the least loaded first.
import { idle, load, rankBy, topBy } from './order.js';
import type { Strategy, TopStrategy } from './types.js';

export const longestIdle: Strategy = (candidates) => rankBy(candidates, idle, load);
export const longestIdleTop: TopStrategy = (candidates, _c, _now, n) => topBy(n, candidates, idle, load);
