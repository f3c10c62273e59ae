// The one explicit map of routing strategies, chosen per room. The admin API
// takes its allowed names from here (src/http/room-schema.ts).
import { leastBusy, leastBusyTop } from './least-busy.js';
import { longestIdle, longestIdleTop } from './longest-idle.js';
import { nearestAgent, nearestAgentTop } from './nearest-agent.js';
import { quickestReply, quickestReplyTop } from './quickest-reply.js';
import { roundRobin, roundRobinTop } from './round-robin.js';
import type { StrategyDef } from './types.js';

export const STRATEGIES = {
  'quickest-reply': { rank: quickestReply, top: quickestReplyTop, ringWidth: 0 },
  'round-robin': { rank: roundRobin, top: roundRobinTop, ringWidth: 1 },
  'least-busy': { rank: leastBusy, top: leastBusyTop, ringWidth: 1 },
  'longest-idle': { rank: longestIdle, top: longestIdleTop, ringWidth: 1 },
  'nearest-agent': { rank: nearestAgent, top: nearestAgentTop, ringWidth: 1 },
} as const satisfies Record<string, StrategyDef>;

export type StrategyName = keyof typeof STRATEGIES;
export const isStrategy = (s: string): s is StrategyName => Object.hasOwn(STRATEGIES, s);
