// Longest idle: the agent who has been without a chat the longest gets it;
// agents with chats come after every idle one, the least loaded first.
import { idle, load, rankBy } from './order.js';
import type { Strategy } from './types.js';

export const longestIdle: Strategy = (candidates) => rankBy(candidates, idle, load);
