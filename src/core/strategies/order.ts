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

interface Row { id: string; i: number; a: number; b: number; c: number }

// Infinity − Infinity is NaN, which is falsy: two infinite keys tie and the next key decides.
const before = (x: Row, y: Row) => (x.a - y.a) || (x.b - y.b) || (x.c - y.c) || (x.i - y.i);

/** Up to three keys. Rows of one shape and a subtraction compare keep this cheap for 1,000 agents per ranking. */
export function rankBy(candidates: readonly Candidate[], k0: Key, k1: Key = none, k2: Key = none): string[] {
  const rows: Row[] = candidates.map((c, i) => ({ id: c.id, i, a: k0(c), b: k1(c), c: k2(c) }));
  rows.sort(before);
  return rows.map((r) => r.id);
}

/** rankBy(...).slice(0, n), in one pass that keeps only the best n. */
export function topBy(n: number, candidates: readonly Candidate[], k0: Key, k1: Key = none, k2: Key = none): string[] {
  const out: Row[] = [];
  if (n <= 0) return [];
  candidates.forEach((c, i) => {
    const a = k0(c), b = k1(c), k = k2(c);
    // Compared with the last kept one before a row is made: most candidates are not kept.
    const last = out.length < n ? undefined : out[n - 1]!;
    if (!last || ((a - last.a) || (b - last.b) || (k - last.c) || (i - last.i)) < 0) insert(out, n, { id: c.id, i, a, b, c: k }, before);
  });
  return out.map((r) => r.id);
}

/** The n first items of `items` sorted by `cmp` (a total order), in that order: one pass keeping a short sorted list. */
export function firstN<T>(n: number, items: readonly T[], cmp: (x: T, y: T) => number): T[] {
  const out: T[] = [];
  if (n <= 0) return out;
  for (const x of items) if (out.length < n || cmp(x, out[n - 1]!) < 0) insert(out, n, x, cmp);
  return out;
}

/** Puts x in its place in the sorted `out`, dropping the last one past n. */
function insert<T>(out: T[], n: number, x: T, cmp: (x: T, y: T) => number): void {
  let j = out.length < n ? out.length : n - 1;
  while (j > 0 && cmp(x, out[j - 1]!) < 0) { out[j] = out[j - 1]!; j--; }
  out[j] = x;
}
