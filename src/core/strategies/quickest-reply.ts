// Quickest reply (ring-all): every eligible agent gets the offer at once; the
// first to join the conversation's MUC room claims it.
import type { Strategy } from './types.js';

export const quickestReply: Strategy = (candidates) => candidates.map((a) => a.id);
