// Who a new INVITE goes to: pure decisions over facts the handler looked up.
// Agents may call agents; a customer may call only the agent serving their
// conversation, whatever number they dial (no way out to anything else).

export type CallDecision =
  | { target: string; calleeAgentId: string }
  | { code: number; reason: string };

const FORBIDDEN: CallDecision = { code: 403, reason: 'Forbidden' };
const UNAVAILABLE: CallDecision = { code: 480, reason: 'Temporarily Unavailable' };

export interface AgentCallFacts {
  /** The authenticated caller (null when the username is nobody's: its digest check fails anyway). */
  callerAgentId: string | null;
  /** The agent whose SIP username is the Request-URI's user. */
  callee: { agentId: string; username: string } | null;
  calleeRegistered: boolean;
}

export function decideAgentCall(f: AgentCallFacts): CallDecision {
  if (!f.callerAgentId) return FORBIDDEN;
  if (!f.callee) return { code: 404, reason: 'Not Found' };
  if (!f.calleeRegistered) return UNAVAILABLE;
  return { target: f.callee.username, calleeAgentId: f.callee.agentId };
}

export interface CustomerCallFacts {
  /** The conversation named by the Request-URI, when the token matches it; null otherwise. */
  conversation: { id: string; status: string; agentId: string | null } | null;
  /** The serving agent's SIP username (null: the agent has no SIP account). */
  agentUsername: string | null;
  agentRegistered: boolean;
}

export function decideCustomerCall(f: CustomerCallFacts): CallDecision {
  const c = f.conversation;
  if (!c) return FORBIDDEN;
  if (c.status !== 'active' || !c.agentId || !f.agentUsername || !f.agentRegistered) return UNAVAILABLE;
  return { target: f.agentUsername, calleeAgentId: c.agentId };
}
