// The agents' slots during one run of the queue planner (queue.ts), and the
// strategies' rankings over them. Built for 1,000 agents and thousands of
// waiting chats: one candidate view per agent, updated as offers are planned
// (not one per agent per conversation), and a strategy asked for the first few of its order when a
// conversation takes a few agents at a time (StrategyDef.top).
import type { AgentState } from './queue.js';
import { STRATEGIES, type StrategyName } from './strategies/index.js';
import type { ConversationView, GeoPoint, StrategyDef } from './strategies/types.js';

/** A conversation's agents in the strategy's order: all of them, or its first ones until extend(). */
export interface Ranking {
  ids: string[];
  /** Replaces ids by a longer start of the same order (as ranked then); false when ids was all of it. */
  extend(): boolean;
}

/** How many more agents than its quota a conversation's first ranking holds (some fill up meanwhile). */
const MARGIN = 4;
/** Past this share of the candidates, a whole ranking (one sort) is cheaper than picking the first ones. */
const WHOLE = 1 / 8;

/**
 * An agent as one plan sees it: a copy of its state whose pending counts the
 * offers planned so far; it is also the candidate the strategies rank (no
 * view made per agent per conversation).
 */
export interface Seat extends AgentState {
  location: GeoPoint | null;
  /** Scratch for Board.clean(). */
  mark: number;
  /** Indexes (in Board.offers) of the offers planned to it, oldest first; null = none. */
  taken: number[] | null;
}

export class Board {
  /** The planned offers, in the order they were made. */
  readonly offers: Array<{ conversationId: string; agentId: string }> = [];
  /** Free slots left among the agents. */
  free = 0;
  readonly seats: Seat[];
  private readonly byId = new Map<string, Seat>();
  private stamp = 0;

  /** `open`: the agents with a free slot before the plan. */
  constructor(open: readonly AgentState[]) {
    // One literal, every field (an object spread read ~15× slower in the strategies' loops).
    this.seats = open.map((a) => ({
      id: a.id, available: a.available, maxChats: a.maxChats, active: a.active, pending: a.pending, idleSince: a.idleSince,
      away: a.away, mobile: a.mobile, location: a.location ?? null, departmentIds: a.departmentIds, mark: 0, taken: null,
    }));
    for (const s of this.seats) {
      this.byId.set(s.id, s);
      this.free += Math.ceil(s.maxChats - s.active - s.pending);
    }
  }

  hasRoom(agentId: string): boolean {
    const s = this.byId.get(agentId)!;
    return s.active + s.pending < s.maxChats;
  }

  take(conversationId: string, agentId: string): void {
    const s = this.byId.get(agentId)!;
    (s.taken ??= []).push(this.offers.length);
    this.offers.push({ conversationId, agentId });
    s.pending++;
    this.free--;
  }

  /** The strategy's order over `eligible` (this board's seats) now, as far as `quota` offers are likely to need. */
  rank(eligible: readonly Seat[], strategy: StrategyName, conv: ConversationView, quota: number, now: number): Ranking {
    const def: StrategyDef = STRATEGIES[strategy];
    let n = quota + MARGIN;
    if (!def.top || n >= eligible.length * WHOLE) return { ids: this.clean(def.rank(eligible, conv, now), eligible), extend: () => false };
    const top = def.top;
    const mark = this.offers.length;
    const ranking: Ranking = {
      ids: this.clean(top(eligible, conv, now, n), eligible),
      extend: () => {
        if (n >= eligible.length) return false;
        n *= 8; // then the whole ranking: a turn that got this far is in a crowd of full agents
        // The seats as they were when it was ranked: without the offers planned since.
        const then = this.asAt(eligible, mark);
        const whole = n >= eligible.length * WHOLE;
        ranking.ids = this.clean(whole ? def.rank(then, conv, now) : top(then, conv, now, n), eligible);
        if (whole) n = eligible.length;
        return true;
      },
    };
    return ranking;
  }

  /** A strategy may only pick among the candidates it was given, each once: marks them rather than building a set. */
  private clean(ranked: readonly string[], given: readonly Seat[]): string[] {
    const k = ++this.stamp;
    for (const s of given) s.mark = k;
    const out: string[] = [];
    for (const id of ranked) {
      const s = this.byId.get(id);
      if (s && s.mark === k) { out.push(id); s.mark = -k; }
    }
    return out;
  }

  private asAt(list: readonly Seat[], mark: number): Seat[] {
    return list.map((s) => {
      let k = 0;
      if (s.taken) for (let i = s.taken.length - 1; i >= 0 && s.taken[i]! >= mark; i--) k++;
      return k ? { ...s, pending: s.pending - k } : s;
    });
  }
}
