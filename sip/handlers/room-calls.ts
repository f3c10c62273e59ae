// A customer's INVITE to a room's entry, sip:room-<slug>@domain, carrying
// X-Conversation (the conversation id) and X-Conversation-Token (the customer
// token issued when the conversation started in that room): the ACD. The
// answer lists the agents to ring one after the other (Kamailio forks
// serially, calls.cfg route ACD); "acd" reports say who is tried and when
// nobody answered, which the customer then reads in the chat.
import { randomUUID } from 'node:crypto';
import { sha256 } from '../../src/app/secrets.js';
import { texts } from '../../src/core/texts.js';
import { addEvent } from '../../src/db/repos/conversations.js';
import { decideRoomCall, ROOM_ENTRY, type RoomCallAgent } from '../calls/acd.js';
import { callAgents, callRules, roomCallRow } from '../calls/store.js';
import { field, orNull, type Handler, type SipContext } from './types.js';
import type { EvapiMessage } from '../evapi/client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isRoomEntry = (ruser: string) => ROOM_ENTRY.test(ruser);

export async function roomInvite(ctx: SipContext, msg: EvapiMessage, base: { tindex: number; tlabel: number }): Promise<EvapiMessage> {
  const slug = ROOM_ENTRY.exec(field(msg, 'ruser', 'string'))![1]!;
  const conversationId = orNull(msg.conversation) ?? '';
  const token = typeof msg.token === 'string' ? msg.token : '';
  // One statement for the room, the conversation and its filters' inputs; one for the agents and their load.
  const { room, conversation } = await roomCallRow(ctx.db, slug, UUID.test(conversationId) ? conversationId : null, sha256(token));
  const ids = conversation?.status === 'active' && conversation.agentId ? [conversation.agentId] : ctx.registry.registeredAgentIds();
  const [rows, rules] = await Promise.all([callAgents(ctx.db, ids), room && conversation ? callRules(ctx.db, conversation, room) : undefined]);
  const agents: RoomCallAgent[] = rows.map((a) => ({
    id: a.id, username: a.username, maxChats: a.maxChats, inCall: a.inCall, departmentIds: a.departmentIds,
    registered: ctx.registry.isRegistered(a.id), away: ctx.app.presence(a.id) === 'away',
    active: a.active, pending: a.pending,
    // Idle since the last call ended (or "always": never called), for the strategy's tiebreak.
    idleSince: a.lastCallEnd ?? 0,
  }));
  const decision = decideRoomCall({
    room: room && { id: room.id, strategy: room.settings.strategy, ringSeconds: room.settings.offerTimeoutSeconds, voice: room.settings.buttons.voice, video: room.settings.buttons.video },
    video: msg.video === '1', conversation, agents, rules, now: Date.now(),
  });
  if (!('targets' in decision)) {
    if (decision.code === 480) await nobody(ctx, decision.conversationId);
    return { type: 'invite', ...base, code: decision.code, reason: decision.reason };
  }
  const call = randomUUID();
  ctx.calls.plan({
    id: call, sipCallId: field(msg, 'callid', 'string'), callerKind: 'customer', callerAgentId: null,
    calleeAgentId: decision.targets[0]!.agentId, conversationId: decision.conversationId, callerWebrtc: msg.webrtc === '1',
  });
  await addEvent(ctx.db, decision.conversationId, 'call_queued', { call, room: slug, video: msg.video === '1', agents: decision.targets.length });
  return { type: 'invite', ...base, targets: decision.targets.map((t) => t.username), ring: decision.ringSeconds, call };
}

/** Nobody could take or answered the call: the customer reads it in the chat. */
async function nobody(ctx: SipContext, conversationId: string): Promise<void> {
  await addEvent(ctx.db, conversationId, 'call_unanswered', {});
  await ctx.app.tellConversation(conversationId, texts.callNobody);
}

/** Kamailio's reports while it forks: an agent's phone rings ("try"), or the list ran out ("none"). */
export const acd: Handler = async (ctx, msg) => {
  const call = field(msg, 'call', 'string');
  const conversationId = UUID.test(call) ? await ctx.calls.conversationOf(call) : null;
  if (!conversationId) return null;
  if (msg.event === 'try') await addEvent(ctx.db, conversationId, 'call_offered', { call, agent: field(msg, 'agent', 'string') });
  else if (msg.event === 'none') await nobody(ctx, conversationId);
  return null;
};
