// Comparisons the strategies share. Ties always keep the given order (the
// sort is stable), so a strategy's result depends only on its inputs.
import type { Candidate } from './types.js';

export const cmp = (x: number, y: number): number => (x === y ? 0 : x < y ? -1 : 1);

/** Idle longest first; agents with a chat (idleSince null) after every idle one. */
export const byIdle = (x: Candidate, y: Candidate): number => cmp(x.idleSince ?? Infinity, y.idleSince ?? Infinity);

/** Chats plus pending offers: what the agent is already handling or about to. */
export const load = (a: Candidate): number => a.active + a.pending;

export const rankBy = (candidates: readonly Candidate[], ...order: Array<(x: Candidate, y: Candidate) => number>): string[] =>
  [...candidates].sort((x, y) => { for (const f of order) { const d = f(x, y); if (d !== 0) return d; } return 0; }).map((a) => a.id);
