// Quickest reply (ring-all): every eligible agent gets the offer at once; the
// first to join the conversation's MUC room claims it. Ranked so that when the
// queue hands out fewer offers (scarce slots, a room's ringLimit) they go to
// the least loaded agents first: lowest share of maxChats taken by chats and
// pending offers, then fewer active chats, then idle the longest; ties keep
// the given order.
import { active, idle, load, rankBy, topBy, type Key } from './order.js';
import type { Strategy, TopStrategy } from './types.js';

const share: Key = (c) => (c.maxChats > 0 ? load(c) / c.maxChats : Infinity);

export const quickestReply: Strategy = (candidates) => rankBy(candidates, share, active, idle);
export const quickestReplyTop: TopStrategy = (candidates, _c, _now, n) => topBy(n, candidates, share, active, idle);
