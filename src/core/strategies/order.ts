// Ordering the strategies share: candidates sorted by numeric keys, lowest
// first, each key computed once per candidate. Ties keep the given
// order (the sort is stable), so a strategy's result depends only on its inputs.
import type { Candidate } from './types.js';

export type Key = (c: Candidate) => number;

/** Idle longest first; agents with a chat (idleSince null) after every idle one. */
export const idle: Key = (c) => c.idleSince ?? Infinity;

/** Chats plus pending offers: what the agent is already handling or about to. */
export const load: Key = (c) => c.active + c.pending;

export const active: Key = (c) => c.active;

const none: Key = () => 0;

/** Up to three keys. Rows of one shape and a subtraction compare keep this cheap for 1,000 agents per ranking. */
export function rankBy(candidates: readonly Candidate[], k0: Key, k1: Key = none, k2: Key = none): string[] {
  const rows = candidates.map((c, i) => ({ id: c.id, i, a: k0(c), b: k1(c), c: k2(c) }));
  // Infinity − Infinity is NaN, which is falsy: two infinite keys tie and the next key decides.
  rows.sort((x, y) => (x.a - y.a) || (x.b - y.b) || (x.c - y.c) || (x.i - y.i));
  return rows.map((r) => r.id);
}
