// The agents' slots during one run of the queue planner (queue.ts), and the
// strategies' rankings over them. Built for 1,000 agents and thousands of
// waiting chats: one candidate view per agent, updated as offers are planned
// (not one per agent per conversation), one view list per shared list of
// eligible agents, and a strategy asked for the first few of its order when a
// conversation takes a few agents at a time (StrategyDef.top).
import type { AgentState } from './queue.js';
import { STRATEGIES, type StrategyName } from './strategies/index.js';
import type { Candidate, ConversationView, StrategyDef } from './strategies/types.js';

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

export class Board {
  /** The planned offers, in the order they were made. */
  readonly offers: Array<{ conversationId: string; agentId: string }> = [];
  /** Free slots left among the agents. */
  free = 0;
  /** Per agent who had room: its view, pending counting the offers planned so far. */
  private readonly views = new Map<string, Candidate>();
  private readonly lists = new Map<readonly AgentState[], { list: Candidate[]; ids: Set<string> }>();

  /** `open`: the agents with a free slot before the plan. */
  constructor(open: readonly AgentState[]) {
    for (const a of open) {
      this.views.set(a.id, { id: a.id, active: a.active, pending: a.pending, maxChats: a.maxChats, idleSince: a.idleSince, location: a.location ?? null });
      this.free += Math.ceil(a.maxChats - a.active - a.pending);
    }
  }

  hasRoom(agentId: string): boolean {
    const v = this.views.get(agentId)!;
    return v.active + v.pending < v.maxChats;
  }

  take(conversationId: string, agentId: string): void {
    this.offers.push({ conversationId, agentId });
    this.views.get(agentId)!.pending++;
    this.free--;
  }

  /** The strategy's order over `eligible` now, as far as `quota` offers are likely to need. */
  rank(eligible: readonly AgentState[], strategy: StrategyName, conv: ConversationView, quota: number, now: number): Ranking {
    const { list, ids } = this.listOf(eligible);
    const def: StrategyDef = STRATEGIES[strategy];
    // A strategy may only pick among the candidates it was given, each once.
    const clean = (ranked: string[]) => [...new Set(ranked)].filter((id) => ids.has(id));
    let n = quota + MARGIN;
    if (!def.top || n >= list.length * WHOLE) return { ids: clean(def.rank(list, conv, now)), extend: () => false };
    const top = def.top;
    const mark = this.offers.length;
    const ranking: Ranking = {
      ids: clean(top(list, conv, now, n)),
      extend: () => {
        if (n >= list.length) return false;
        n *= 4;
        // The views as they were when it was ranked: without the offers planned since.
        const then = this.asAt(list, mark);
        ranking.ids = clean(n >= list.length * WHOLE ? def.rank(then, conv, now) : top(then, conv, now, n));
        if (n >= list.length * WHOLE) n = list.length;
        return true;
      },
    };
    return ranking;
  }

  private listOf(eligible: readonly AgentState[]): { list: Candidate[]; ids: Set<string> } {
    let l = this.lists.get(eligible);
    if (!l) {
      const list = eligible.map((a) => this.views.get(a.id)!);
      l = { list, ids: new Set(list.map((v) => v.id)) };
      this.lists.set(eligible, l);
    }
    return l;
  }

  private asAt(list: readonly Candidate[], mark: number): Candidate[] {
    const since = new Map<string, number>();
    for (let i = mark; i < this.offers.length; i++) { const id = this.offers[i]!.agentId; since.set(id, (since.get(id) ?? 0) + 1); }
    return list.map((v) => { const k = since.get(v.id); return k ? { ...v, pending: v.pending - k } : v; });
  }
}
