// The one explicit map of routing strategies, chosen per room.
import { quickestReply } from './quickest-reply.js';
import type { Strategy } from './types.js';

export const STRATEGIES = {
  'quickest-reply': quickestReply,
} as const satisfies Record<string, Strategy>;

export type StrategyName = keyof typeof STRATEGIES;
export const isStrategy = (s: string): s is StrategyName => Object.hasOwn(STRATEGIES, s);
