// New INVITEs (who do they reach?) and the dialogs they become.
import { randomUUID } from 'node:crypto';
import { sha256 } from '../../src/app/secrets.js';
import { decideAgentCall, decideCustomerCall, type CallDecision } from '../calls/decide.js';
import { isDialogEvent } from '../calls/lifecycle.js';
import { conversationForCall, sipUsernameOf } from '../calls/store.js';
import { ha1ForRequest } from '../digest.js';
import { credentialsByUsername } from '../store.js';
import { isRoomEntry, roomInvite } from './room-calls.js';
import { field, orNull, type Handler, type SipContext } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An agent calls sip:<agent's SIP username>@domain with digest credentials;
 * a customer calls sip:<conversation id>@domain with X-Conversation-Token, or
 * a room's entry sip:room-<slug>@domain (room-calls.ts, the ACD).
 * The answer carries the caller's HA1 (agents) and the target or a status.
 */
export const invite: Handler = async (ctx, msg) => {
  const tindex = field(msg, 'tindex', 'number');
  const tlabel = field(msg, 'tlabel', 'number');
  const ruser = typeof msg.ruser === 'string' ? msg.ruser : '';
  const callerKind = field(msg, 'caller', 'string') === 'customer' ? 'customer' : 'agent';
  if (callerKind === 'customer' && isRoomEntry(ruser)) return roomInvite(ctx, msg, { tindex, tlabel });
  let ha1: string | undefined;
  let callerAgentId: string | null = null;
  let conversationId: string | null = null;
  let decision: CallDecision;
  if (callerKind === 'agent') {
    const caller = await credentialsByUsername(ctx.db, field(msg, 'user', 'string'));
    ha1 = ha1ForRequest(caller, ctx.cfg.sipRealm);
    callerAgentId = caller?.agentId ?? null;
    const callee = ruser ? await credentialsByUsername(ctx.db, ruser) : null;
    decision = decideAgentCall({
      callerAgentId, callee: callee && { agentId: callee.agentId, username: callee.username },
      calleeRegistered: !!callee && ctx.registry.isRegistered(callee.agentId),
    });
  } else {
    decision = await customerDecision(ctx, ruser, field(msg, 'token', 'string'));
    if ('target' in decision) conversationId = ruser;
  }
  if (!('target' in decision)) return { type: 'invite', tindex, tlabel, ha1, code: decision.code, reason: decision.reason };
  const call = randomUUID();
  ctx.calls.plan({
    id: call, sipCallId: field(msg, 'callid', 'string'), callerKind, callerAgentId,
    calleeAgentId: decision.calleeAgentId, conversationId, callerWebrtc: msg.webrtc === '1',
  });
  return { type: 'invite', tindex, tlabel, ha1, target: decision.target, call };
};

async function customerDecision(ctx: SipContext, conversationId: string, token: string): Promise<CallDecision> {
  const conversation = UUID.test(conversationId) ? await conversationForCall(ctx.db, conversationId, sha256(token)) : null;
  const agentUsername = conversation?.agentId ? await sipUsernameOf(ctx.db, conversation.agentId) : null;
  return decideCustomerCall({
    conversation, agentUsername,
    agentRegistered: !!conversation?.agentId && ctx.registry.isRegistered(conversation.agentId),
  });
}

/** Kamailio's dialog module: ringing (first 180/183), answered (2xx), ended (BYE), failed. */
export const dialog: Handler = async (ctx, msg) => {
  const call = orNull(msg.call);
  if (!call || !UUID.test(call) || !isDialogEvent(msg.event)) return null;
  await ctx.calls.event(call, msg.event, orNull(msg.agent) ?? undefined);
  return null;
};
