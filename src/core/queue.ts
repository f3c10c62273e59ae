// How the queue behaves, as a pure function: which offers to make now, given
// the waiting conversations (oldest first), the agents and the clock.
// Rules: an agent never holds more chats + pending offers than max_chats; an
// agent who declined or missed an offer for a conversation is not offered it
// again while anyone else can be, and only after reofferAfter when nobody can.
import { STRATEGIES, type StrategyName } from './strategies/index.js';
import type { Candidate } from './strategies/types.js';

export interface AgentState {
  id: string;
  available: boolean;
  maxChats: number;
  active: number;
  pending: number;
  idleSince: number | null;
}

export interface WaitingConversation {
  id: string;
  roomId: string;
  createdAt: number;
  strategy: StrategyName;
  reofferAfterMs: number;
  /** Agents holding a pending offer for it. */
  pendingAgents: ReadonlySet<string>;
  /** Agents who declined or let an offer time out, with when it ended. */
  refusedBy: ReadonlyMap<string, number>;
}

export interface Plan {
  offers: Array<{ conversationId: string; agentId: string }>;
  /** Earliest time a refused-only conversation may be re-offered, if any. */
  wakeAt: number | null;
}

export function planOffers(waiting: readonly WaitingConversation[], agents: readonly AgentState[], now: number): Plan {
  const load = new Map(agents.map((a) => [a.id, a.active + a.pending]));
  const offers: Plan['offers'] = [];
  let wakeAt: number | null = null;
  const hasRoom = (a: AgentState) => a.available && (load.get(a.id) ?? 0) < a.maxChats;

  for (const conv of [...waiting].sort((x, y) => x.createdAt - y.createdAt)) {
    const open = agents.filter((a) => hasRoom(a) && !conv.pendingAgents.has(a.id));
    let candidates = open.filter((a) => !conv.refusedBy.has(a.id));
    if (candidates.length === 0 && conv.pendingAgents.size === 0 && open.length > 0) {
      // Only agents who already refused are left: try them again after a pause.
      const lastRefusal = Math.max(...open.map((a) => conv.refusedBy.get(a.id) ?? 0));
      const due = lastRefusal + conv.reofferAfterMs;
      if (now >= due) candidates = open;
      else wakeAt = wakeAt === null ? due : Math.min(wakeAt, due);
    }
    if (candidates.length === 0) continue;
    const view: Candidate[] = candidates.map((a) => ({ id: a.id, active: a.active, maxChats: a.maxChats, idleSince: a.idleSince }));
    const picked = STRATEGIES[conv.strategy](view, { id: conv.id, roomId: conv.roomId, createdAt: conv.createdAt }, now);
    for (const agentId of picked) {
      offers.push({ conversationId: conv.id, agentId });
      load.set(agentId, (load.get(agentId) ?? 0) + 1);
    }
  }
  return { offers, wakeAt };
}
