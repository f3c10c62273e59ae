// A call to a room's voice or video entry (sip:room-<slug>@domain): who may
// make it and which agents ring, in which order. Pure: the handler looks the
// facts up, Kamailio forks serially over the returned list (calls.cfg, ACD).
//
// Toll fraud: the caller is a customer holding the token of a conversation
// started in that room, and the room must show the voice (audio-only offer)
// or video button; anything else is 403, and the list only ever names agents.
import { FILTERS, type EligibilityRules } from '../../src/core/eligibility.js';
import { STRATEGIES, isStrategy } from '../../src/core/strategies/index.js';
import type { Candidate } from '../../src/core/strategies/types.js';

export const ROOM_ENTRY = /^room-([a-z0-9][a-z0-9-]{0,62})$/;

/** The most agents one call rings, one after the other. */
export const MAX_TARGETS = 10;

export interface RoomCallAgent extends Candidate {
  username: string;
  /** A SIP contact is registered. */
  registered: boolean;
  /** Online on XMPP but away, xa or dnd: not taking work (an agent on SIP only has no XMPP presence). */
  away: boolean;
  /** Already in an answered call. */
  inCall: boolean;
  /** The departments the agent belongs to (the department rule). */
  departmentIds?: readonly string[];
}

export interface RoomCallFacts {
  room: { id: string; strategy: string; ringSeconds: number; voice: boolean; video: boolean } | null;
  /** The offer has a video stream. */
  video: boolean;
  /** The conversation whose customer token the call carries, if the token matched. */
  conversation: { id: string; roomId: string; status: string; agentId: string | null; createdAt: number } | null;
  agents: readonly RoomCallAgent[];
  /** The same filters as chat offers: department, URL rule, private room's owner (src/core/eligibility.ts). */
  rules?: EligibilityRules;
  now: number;
}

export type RoomCallDecision =
  | { targets: Array<{ agentId: string; username: string }>; ringSeconds: number; conversationId: string }
  | { code: 403; reason: string }
  | { code: 480; reason: string; conversationId: string };

const FORBIDDEN = { code: 403, reason: 'Forbidden' } as const;

export function decideRoomCall(f: RoomCallFacts): RoomCallDecision {
  const { room, conversation: c } = f;
  if (!room || !(f.video ? room.video : room.voice)) return FORBIDDEN;
  if (!c || c.roomId !== room.id || c.status === 'closed') return FORBIDDEN;
  const unavailable = { code: 480, reason: 'Temporarily Unavailable', conversationId: c.id } as const;
  const reachable = (a: RoomCallAgent) => a.registered && !a.away && !a.inCall;
  // Served already (the customer escalates their chat): only the serving agent.
  if (c.status === 'active') {
    const agent = f.agents.find((a) => a.id === c.agentId);
    if (!agent || !agent.registered) return unavailable;
    return { targets: [{ agentId: agent.id, username: agent.username }], ringSeconds: room.ringSeconds, conversationId: c.id };
  }
  const rules = f.rules ?? {};
  const allowed = (a: RoomCallAgent) => FILTERS.every((rule) => rule({ ...a, departmentIds: [...(a.departmentIds ?? [])], available: true }, rules));
  const eligible = f.agents.filter((a) => reachable(a) && a.active < a.maxChats && allowed(a));
  const strategy = STRATEGIES[isStrategy(room.strategy) ? room.strategy : 'quickest-reply'].rank;
  const byId = new Map(eligible.map((a) => [a.id, a]));
  const ranked = strategy(eligible, { id: c.id, roomId: c.roomId, createdAt: c.createdAt }, f.now)
    .map((id) => byId.get(id)).filter((a): a is RoomCallAgent => a !== undefined).slice(0, MAX_TARGETS);
  if (ranked.length === 0) return unavailable;
  return { targets: ranked.map((a) => ({ agentId: a.id, username: a.username })), ringSeconds: room.ringSeconds, conversationId: c.id };
}
