// How the queue behaves, as a pure function: which offers to make now, given
// the waiting conversations (oldest first), the agents and the clock.
// Rules: an agent never holds more chats + pending offers than max_chats; an
// agent who declined or missed an offer for a conversation is not offered it
// again while anyone else can be, and only after reofferAfter when nobody can;
// a conversation is offered to at most ringLimit agents at once (0 = no limit).
// Fairness: free slots are handed out round by round, oldest conversation
// first, one more agent per conversation per round, so that when slots are
// scarce every waiting conversation gets an offer before any gets a second
// one. When slots abound this is ring-all. Who may get a conversation at all
// (department, URL rule, private room, tiers, sticky agent) is decided first,
// in eligibility.ts; the hunt strategies (round robin, least busy…) offer it
// to one agent at a time unless the room's ringLimit says more.
import { candidatesFor, eligibleAmong, mayWiden, rulesKey, schedule, type Candidates, type EligibilityRules } from './eligibility.js';
import { STRATEGIES, type StrategyName } from './strategies/index.js';
import type { GeoPoint } from './strategies/types.js';
import { Board, type Ranking, type Seat } from './plan-board.js';

export interface AgentState {
  id: string;
  available: boolean;
  maxChats: number;
  active: number;
  pending: number;
  idleSince: number | null;
  /** Online but away or extended away (reachable only if flagged mobile). */
  away?: boolean;
  /** Answers from a phone: offered after the room's tier delay (seed 000 "include mobile agents"). */
  mobile?: boolean;
  location?: GeoPoint | null;
  departmentIds?: readonly string[];
}

export interface WaitingConversation {
  id: string;
  roomId: string;
  createdAt: number;
  strategy: StrategyName;
  reofferAfterMs: number;
  /** The most agents offered it at once, pending offers included; 0 = every available agent. */
  ringLimit: number;
  /** Agents holding a pending offer for it. */
  pendingAgents: ReadonlySet<string>;
  /** Agents who declined or let an offer time out, with when it ended. */
  refusedBy: ReadonlyMap<string, number>;
  /** Since when it waits (tier delays count from here); default createdAt. */
  queuedAt?: number;
  /** Who may get it and when (see eligibility.ts); none = every available agent. */
  rules?: EligibilityRules;
  /** The customer's location (nearest agent). */
  location?: GeoPoint | null;
  /** The room's round-robin rotation: the agent it gave a conversation to last. */
  lastAgentId?: string | null;
}

export interface Plan {
  offers: Array<{ conversationId: string; agentId: string }>;
  /** Earliest time a refused-only conversation may be re-offered, or a tier opens, if any. */
  wakeAt: number | null;
  /** Per room, the agent offered a conversation last in this plan (the round-robin rotation to store). */
  lastOffered: Map<string, string>;
}

/** One conversation during planning: who may still get it, in the strategy's order. */
interface Turn { conv: WaitingConversation; eligible: readonly Seat[]; ranked: Ranking | null; next: number; quota: number }

// Scale (1,000 agents, thousands waiting): only agents with a free slot and
// reachable by some room can be offered anything, so they alone are judged;
// conversations with the same rules share one candidate list; a conversation
// whose quota is used up is only looked at for a wake-up the clock could
// bring; once every free slot is handed out the rounds stop and no more turns
// are ranked; a turn gets the first few of its strategy's order (plan-board.ts).
// The plan is the same as judging every conversation against every agent
// (test/unit/queue-reference.ts, compared on random inputs).
export function planOffers(waiting: readonly WaitingConversation[], agents: readonly AgentState[], now: number): Plan {
  const lastOffered = new Map<string, string>();
  // Agents who could take one more chat before this plan, and whom some room's rules could reach.
  const open = agents.filter((a) => a.active + a.pending < a.maxChats && (a.available || (a.mobile && a.away)));
  // No free slot: nothing to offer, and no wake-up (tiers and re-offers only count agents with room).
  if (open.length === 0) return { offers: [], wakeAt: null, lastOffered };

  const board = new Board(open);
  const seats = board.seats;
  let wakeAt: number | null = null;
  const wakeBy = (t: number) => { wakeAt = wakeAt === null ? t : Math.min(wakeAt, t); };
  const groups = new Map<string, Candidates<Seat>>();
  const candidates = (r: EligibilityRules): Candidates<Seat> => {
    const key = rulesKey(r);
    let c = groups.get(key);
    if (!c) { c = candidatesFor(seats, r); groups.set(key, c); }
    return c;
  };

  // Who a conversation may be offered to, judged on the state before this plan; null = no turn.
  const judge = (conv: WaitingConversation): Turn | null => {
    const rules = conv.rules ?? {};
    const when = schedule(conv, now);
    const cands = candidates(rules);
    const width = conv.ringLimit > 0 ? conv.ringLimit : STRATEGIES[conv.strategy].ringWidth || Infinity;
    const sticky = rules.stickyAgentId;
    const widened = !!sticky && when.stickyUntil === null;
    const held = widened && conv.pendingAgents.has(sticky) ? conv.pendingAgents.size - 1 : conv.pendingAgents.size;
    const quota = width - held;
    // Only the re-offer pause of a conversation nobody else may take can wake us, besides the clock's tiers.
    const mayReoffer = quota > 0 && conv.pendingAgents.size === 0 && conv.refusedBy.size > 0;
    if ((quota <= 0 || board.free === 0) && !mayReoffer && !mayWiden(cands, when, now)) return null;
    const verdict = eligibleAmong(conv, cands, now, conv.pendingAgents, when);
    if (verdict.wakeAt !== null) wakeBy(verdict.wakeAt);
    if (quota <= 0) return null;
    const open = verdict.agents;
    let eligible = conv.refusedBy.size === 0 ? open : open.filter((a) => !conv.refusedBy.has(a.id));
    if (eligible.length === 0 && conv.pendingAgents.size === 0 && open.length > 0) {
      // Only agents who already refused are left: try them again after a pause.
      let lastRefusal = 0;
      for (const a of open) lastRefusal = Math.max(lastRefusal, conv.refusedBy.get(a.id) ?? 0);
      const due = lastRefusal + conv.reofferAfterMs;
      if (now >= due) eligible = open;
      else wakeBy(due);
    }
    return eligible.length > 0 && board.free > 0 ? { conv, eligible, ranked: null, next: 0, quota } : null;
  };

  // One round's step of a turn: its next agent in rank who still has room.
  const step = (t: Turn): void => {
    const c = t.conv;
    // Ranked at its first turn, so it sees the offers planned before it (a burst spreads out);
    // the rotation moves on with the offers planned before this one (a burst takes turns too).
    const r = t.ranked ??= board.rank(t.eligible, c.strategy, {
      id: c.id, roomId: c.roomId, createdAt: c.createdAt, location: c.location ?? null, lastAgentId: lastOffered.get(c.roomId) ?? c.lastAgentId ?? null,
    }, t.quota, now);
    for (;;) {
      while (t.next < r.ids.length && !board.hasRoom(r.ids[t.next]!)) t.next++;
      if (t.next < r.ids.length || !r.extend()) break;
    }
    if (t.next === r.ids.length) { t.quota = 0; return; }
    const agentId = r.ids[t.next++]!;
    board.take(c.id, agentId);
    lastOffered.set(c.roomId, agentId);
    t.quota--;
  };
  const alive = (t: Turn) => t.quota > 0;

  // The first round runs as the turns are built, oldest first: each conversation's
  // first offer comes after the older ones' first offers, as in every round.
  const turns: Turn[] = [];
  for (const conv of [...waiting].sort((x, y) => x.createdAt - y.createdAt)) {
    const t = judge(conv);
    if (!t) continue;
    turns.push(t);
    step(t);
  }
  let live = turns.filter(alive);
  while (live.length > 0 && board.free > 0) {
    for (const t of live) { if (board.free === 0) break; step(t); }
    live = live.filter(alive);
  }
  // Oldest conversation first, each one's agents in the strategy's order.
  const order = new Map(turns.map((t, i) => [t.conv.id, i]));
  const offers = board.offers.sort((x, y) => order.get(x.conversationId)! - order.get(y.conversationId)!);
  return { offers, wakeAt, lastOffered };
}
