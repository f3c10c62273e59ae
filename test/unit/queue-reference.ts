// The queue planner as it was before it was made to scale (2026-11-22): it
// judges every waiting conversation against every agent, ranks every turn and
// runs its rounds to the end. Kept verbatim as the reference the fast planner
// (src/core/queue.ts) must agree with on random inputs, and as the "before"
// of `npm run bench:planner`.
import { FILTERS, schedule, tierOf, type Verdict } from '../../src/core/eligibility.js';
import type { AgentState, Plan, WaitingConversation } from '../../src/core/queue.js';
import { STRATEGIES } from '../../src/core/strategies/index.js';
import type { Candidate } from '../../src/core/strategies/types.js';

/** `keep` is the caller's own test (capacity…), run first: agents it drops are neither eligible nor waited for. */
export function referenceEligibleAgents(conv: WaitingConversation, agents: readonly AgentState[], now: number, keep?: (a: AgentState) => boolean): Verdict {
  const r = conv.rules ?? {};
  const { stickyUntil, mobileFrom } = schedule(conv, now);
  const out: AgentState[] = [];
  let wakeAt: number | null = null;
  const later = (t: number) => { wakeAt = wakeAt === null ? t : Math.min(wakeAt, t); };
  const filtered = !!(r.departmentId || r.urlRouteAgents != null || r.ownerAgentId); // most chats: no filter to run
  for (const a of agents) {
    if (keep && !keep(a)) continue;
    const tier = tierOf(a, r);
    if (tier === null || (filtered && !FILTERS.every((f) => f(a, r)))) continue;
    if (stickyUntil !== null && a.id !== r.stickyAgentId) { later(stickyUntil); continue; }
    // The sticky agent is theirs to answer in the sticky phase, on a phone too.
    if (tier === 'mobile' && stickyUntil === null && now < mobileFrom) { later(mobileFrom); continue; }
    out.push(a);
  }
  return { agents: out, wakeAt, widened: !!r.stickyAgentId && stickyUntil === null };
}

/** One conversation during planning: who may still get it, in the strategy's order. */
interface Turn { conv: WaitingConversation; eligible: AgentState[]; ranked: string[] | null; next: number; quota: number }

export function referencePlanOffers(waiting: readonly WaitingConversation[], agents: readonly AgentState[], now: number): Plan {
  const byId = new Map(agents.map((a) => [a.id, a]));
  const planned = new Map<string, number>();
  const load = (a: AgentState) => a.active + a.pending + (planned.get(a.id) ?? 0);
  const hasRoom = (a: AgentState) => load(a) < a.maxChats;
  let wakeAt: number | null = null;
  const wakeBy = (t: number) => { wakeAt = wakeAt === null ? t : Math.min(wakeAt, t); };
  const lastOffered = new Map<string, string>();

  // Who each conversation may be offered to, judged on the state before this plan.
  const turns: Turn[] = [];
  for (const conv of [...waiting].sort((x, y) => x.createdAt - y.createdAt)) {
    const verdict = referenceEligibleAgents(conv, agents, now, (a) => hasRoom(a) && !conv.pendingAgents.has(a.id));
    if (verdict.wakeAt !== null) wakeBy(verdict.wakeAt);
    const width = conv.ringLimit > 0 ? conv.ringLimit : STRATEGIES[conv.strategy].ringWidth || Infinity;
    const sticky = conv.rules?.stickyAgentId;
    const held = verdict.widened && sticky && conv.pendingAgents.has(sticky) ? conv.pendingAgents.size - 1 : conv.pendingAgents.size;
    const quota = width - held;
    if (quota <= 0) continue;
    const open = verdict.agents;
    let eligible = open.filter((a) => !conv.refusedBy.has(a.id));
    if (eligible.length === 0 && conv.pendingAgents.size === 0 && open.length > 0) {
      // Only agents who already refused are left: try them again after a pause.
      const lastRefusal = Math.max(...open.map((a) => conv.refusedBy.get(a.id) ?? 0));
      const due = lastRefusal + conv.reofferAfterMs;
      if (now >= due) eligible = open;
      else wakeBy(due);
    }
    if (eligible.length > 0) turns.push({ conv, eligible, ranked: null, next: 0, quota });
  }

  const offers: Plan['offers'] = [];
  let live = turns;
  while (live.length > 0) {
    for (const t of live) {
      // Ranked at its first turn, so it sees the offers planned before it (a burst spreads out).
      t.ranked ??= rank(t, load, now, lastOffered);
      while (t.next < t.ranked.length && !hasRoom(byId.get(t.ranked[t.next]!)!)) t.next++;
      if (t.next === t.ranked.length) { t.quota = 0; continue; }
      const agentId = t.ranked[t.next++]!;
      offers.push({ conversationId: t.conv.id, agentId });
      lastOffered.set(t.conv.roomId, agentId);
      planned.set(agentId, (planned.get(agentId) ?? 0) + 1);
      t.quota--;
    }
    live = live.filter((t) => t.quota > 0 && t.next < t.ranked!.length);
  }
  // Oldest conversation first, each one's agents in the strategy's order.
  const order = new Map(turns.map((t, i) => [t.conv.id, i]));
  offers.sort((x, y) => order.get(x.conversationId)! - order.get(y.conversationId)!);
  return { offers, wakeAt, lastOffered };
}

function rank(t: Turn, load: (a: AgentState) => number, now: number, lastOffered: ReadonlyMap<string, string>): string[] {
  const view: Candidate[] = t.eligible.map((a) => ({
    id: a.id, active: a.active, pending: load(a) - a.active, maxChats: a.maxChats, idleSince: a.idleSince, location: a.location ?? null,
  }));
  const ids = new Set(view.map((c) => c.id));
  const c = t.conv;
  // The rotation moves on with the offers planned before this one (a burst takes turns too).
  const lastAgentId = lastOffered.get(c.roomId) ?? c.lastAgentId ?? null;
  const ranked = STRATEGIES[c.strategy].rank(view, { id: c.id, roomId: c.roomId, createdAt: c.createdAt, location: c.location ?? null, lastAgentId }, now);
  // A strategy may only pick among the candidates it was given, each once.
  return [...new Set(ranked)].filter((id) => ids.has(id));
}
