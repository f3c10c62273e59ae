// Who may be offered a conversation at all, before any strategy ranks them:
// pure rules over the agents' state, the conversation and the clock. Each
// filter is one predicate; the tiers and the sticky agent decide *when* an
// agent joins the offer, and report when the next one opens (the planner's
// wake-up).
//
//   department    a conversation with a department → only its members (seed 004)
//   URL routing   a page matching an enabled rule → only the rule's operators (seed 004)
//   private room  only the room's owner (seed 000 "Private Chat Room")
//   reachable     available; or flagged mobile (available, or away/xa) when the
//                 room includes mobile agents (seed 000)
//   tiers         available desktop agents first; mobile agents once the
//                 conversation has waited the room's tier delay after that
//   sticky agent  a returning customer is offered first only to the agent who
//                 served them last; after the tier delay, when the customer
//                 asks all agents, or once that agent refused, everyone
import type { AgentState, WaitingConversation } from './queue.js';

export interface EligibilityRules {
  departmentId?: string | null;
  /** The operators of the URL routing rule the customer's page matched; null = no rule matched. */
  urlRouteAgents?: readonly string[] | null;
  /** A private room's owner. */
  ownerAgentId?: string | null;
  /** The agent who served this customer last, when the room is sticky (else null). */
  stickyAgentId?: string | null;
  /** When the customer pressed "Ask all agents" (ms), if they did. */
  askAllAt?: number | null;
  /** The room's tier delay (ms): sticky agent → everyone → mobile agents. */
  tierDelayMs?: number;
  /** Whether the room's chats reach mobile agents at all (default true). */
  includeMobileAgents?: boolean;
}

export type Rule = (agent: AgentState, rules: EligibilityRules) => boolean;

export const inDepartment: Rule = (a, r) => !r.departmentId || (a.departmentIds ?? []).includes(r.departmentId);
export const onUrlRoute: Rule = (a, r) => r.urlRouteAgents == null || r.urlRouteAgents.includes(a.id);
export const isRoomOwner: Rule = (a, r) => !r.ownerAgentId || a.id === r.ownerAgentId;

/** The filters every agent must pass, in the order they are explained above. */
export const FILTERS: readonly Rule[] = [inDepartment, onUrlRoute, isRoomOwner];

export type Tier = 'desktop' | 'mobile';

/** Which tier an agent is in now, or null when the room's chats cannot reach them. */
export function tierOf(a: AgentState, rules: EligibilityRules): Tier | null {
  if (a.mobile) return rules.includeMobileAgents !== false && (a.available || a.away) ? 'mobile' : null;
  return a.available ? 'desktop' : null;
}

export interface Schedule {
  /** Until when only the sticky agent is offered it (null: no sticky phase). */
  stickyUntil: number | null;
  /** From when mobile agents are offered it. */
  mobileFrom: number;
}

/** When each tier opens for a conversation (times in ms). */
export function schedule(conv: WaitingConversation, now: number): Schedule {
  const r = conv.rules ?? {};
  const delay = r.tierDelayMs ?? 0;
  const since = conv.queuedAt ?? conv.createdAt;
  // The sticky phase ends after the delay, when the customer asks all agents, or when that agent refused.
  const stickyEnd = r.stickyAgentId
    ? Math.min(since + delay, r.askAllAt ?? Infinity, conv.refusedBy.get(r.stickyAgentId) ?? Infinity) : null;
  return { stickyUntil: stickyEnd !== null && stickyEnd > now ? stickyEnd : null, mobileFrom: (stickyEnd ?? since) + delay };
}

export interface Verdict<A extends AgentState = AgentState> {
  /** Agents that may be offered it now (refusals aside; without those `keep` dropped). */
  agents: A[];
  /** When more agents become eligible by the clock alone, if any would. */
  wakeAt: number | null;
  /** The sticky phase is over: the sticky agent's offer, if pending, is one more, not one of ringLimit. */
  widened: boolean;
}

/**
 * The agents a conversation's rules let through by who they are (filters and
 * tier), before the clock and the conversation's own offers are looked at.
 * Conversations with the same rules (most chats of a room) share one list per
 * dispatch: see candidatesFor() and rulesKey().
 */
export interface Candidates<A extends AgentState = AgentState> {
  /** In the order they were given; shared between conversations: never modify. */
  agents: readonly A[];
  /** Each agent's tier, by position. */
  tiers: readonly Tier[];
  /** Whether any of them is in the mobile tier (the tier delay may hold them back). */
  anyMobile: boolean;
  ids: ReadonlySet<string>;
}

/** The rules candidatesFor() reads, as a key: equal keys give equal candidate lists for the same agents. */
export function rulesKey(r: EligibilityRules): string {
  return `${r.departmentId ?? ''}\u0001${r.urlRouteAgents == null ? '*' : r.urlRouteAgents.join('\u0002')}\u0001${r.ownerAgentId ?? ''}\u0001${r.includeMobileAgents !== false}`;
}

export function candidatesFor<A extends AgentState>(agents: readonly A[], r: EligibilityRules): Candidates<A> {
  const out: A[] = [];
  const tiers: Tier[] = [];
  const filtered = !!(r.departmentId || r.urlRouteAgents != null || r.ownerAgentId); // most chats: no filter to run
  for (const a of agents) {
    const tier = tierOf(a, r);
    if (tier === null || (filtered && !FILTERS.every((f) => f(a, r)))) continue;
    out.push(a);
    tiers.push(tier);
  }
  return { agents: out, tiers, anyMobile: tiers.includes('mobile'), ids: new Set(out.map((a) => a.id)) };
}

/** Whether the clock alone could make more of these candidates eligible later (a wake-up), given the conversation's schedule. */
export const mayWiden = (c: Candidates, s: Schedule, now: number): boolean => s.stickyUntil !== null || (c.anyMobile && now < s.mobileFrom);

/**
 * Who of the candidates may be offered the conversation now, leaving out the
 * agents in `exclude` (e.g. those already holding its offer). When the clock
 * holds nobody back and nobody is excluded, the result's agents are the
 * shared candidate list itself (no copy): never modify it.
 */
export function eligibleAmong<A extends AgentState>(conv: WaitingConversation, c: Candidates<A>, now: number, exclude?: ReadonlySet<string>, when = schedule(conv, now)): Verdict<A> {
  const r = conv.rules ?? {};
  const { stickyUntil, mobileFrom } = when;
  const widened = !!r.stickyAgentId && stickyUntil === null;
  let excluded = false;
  if (exclude) for (const id of exclude) if (c.ids.has(id)) { excluded = true; break; }
  if (!excluded && !mayWiden(c, when, now)) return { agents: c.agents as A[], wakeAt: null, widened };
  const out: A[] = [];
  let wakeAt: number | null = null;
  const later = (t: number) => { wakeAt = wakeAt === null ? t : Math.min(wakeAt, t); };
  c.agents.forEach((a, i) => {
    if (excluded && exclude!.has(a.id)) return;
    if (stickyUntil !== null && a.id !== r.stickyAgentId) { later(stickyUntil); return; }
    // The sticky agent is theirs to answer in the sticky phase, on a phone too.
    if (c.tiers[i] === 'mobile' && stickyUntil === null && now < mobileFrom) { later(mobileFrom); return; }
    out.push(a);
  });
  return { agents: out, wakeAt, widened };
}

/** `keep` is the caller's own test (capacity…), run first: agents it drops are neither eligible nor waited for. */
export function eligibleAgents(conv: WaitingConversation, agents: readonly AgentState[], now: number, keep?: (a: AgentState) => boolean): Verdict {
  return eligibleAmong(conv, candidatesFor(keep ? agents.filter(keep) : agents, conv.rules ?? {}), now);
}
