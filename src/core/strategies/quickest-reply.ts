// Quickest reply (ring-all): every eligible agent gets the offer at once; the
// first to join the conversation's MUC room claims it. Ranked so that when the
// queue hands out fewer offers (scarce slots, a room's ringLimit) they go to
// the least loaded agents first: lowest share of maxChats taken by chats and
// pending offers, then fewer active chats, then idle the longest; ties keep
// the given order.
import type { Candidate, Strategy } from './types.js';

const share = (a: Candidate) => (a.maxChats > 0 ? (a.active + a.pending) / a.maxChats : Infinity);
const idle = (a: Candidate) => a.idleSince ?? Infinity;
const cmp = (x: number, y: number) => (x === y ? 0 : x < y ? -1 : 1);

export const quickestReply: Strategy = (candidates) =>
  [...candidates].sort((x, y) => cmp(share(x), share(y)) || cmp(x.active, y.active) || cmp(idle(x), idle(y))).map((a) => a.id);
