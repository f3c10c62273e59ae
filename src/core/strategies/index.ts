// The one explicit map of routing strategies, chosen per room. The admin API
// takes its allowed names from here (src/http/room-schema.ts).
import { leastBusy } from './least-busy.js';
import { longestIdle } from './longest-idle.js';
import { nearestAgent } from './nearest-agent.js';
import { quickestReply } from './quickest-reply.js';
import { roundRobin } from './round-robin.js';
import type { StrategyDef } from './types.js';

export const STRATEGIES = {
  'quickest-reply': { rank: quickestReply, ringWidth: 0 },
  'round-robin': { rank: roundRobin, ringWidth: 1 },
  'least-busy': { rank: leastBusy, ringWidth: 1 },
  'longest-idle': { rank: longestIdle, ringWidth: 1 },
  'nearest-agent': { rank: nearestAgent, ringWidth: 1 },
} as const satisfies Record<string, StrategyDef>;

export type StrategyName = keyof typeof STRATEGIES;
export const isStrategy = (s: string): s is StrategyName => Object.hasOwn(STRATEGIES, s);
