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

export interface Verdict {
  /** Agents that may be offered it now (refusals aside; without those `keep` dropped). */
  agents: AgentState[];
  /** When more agents become eligible by the clock alone, if any would. */
  wakeAt: number | null;
  /** The sticky phase is over: the sticky agent's offer, if pending, is one more, not one of ringLimit. */
  widened: boolean;
}

/** `keep` is the caller's own test (capacity…), run first: agents it drops are neither eligible nor waited for. */
export function eligibleAgents(conv: WaitingConversation, agents: readonly AgentState[], now: number, keep?: (a: AgentState) => boolean): Verdict {
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
