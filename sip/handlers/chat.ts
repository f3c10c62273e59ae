// SIP MESSAGE from an agent's client to a conversation (RFC 3428): Kamailio
// suspended it and asks for the sender's HA1 and our decision; the text is
// held until Kamailio has checked the digest ("chat_ok"), see sip/chat/.
import { ha1ForRequest } from '../digest.js';
import { credentialsByUsername } from '../store.js';
import { field, type Handler } from './types.js';

export const chat: Handler = async (ctx, msg) => {
  const tindex = field(msg, 'tindex', 'number');
  const tlabel = field(msg, 'tlabel', 'number');
  const sender = await credentialsByUsername(ctx.db, field(msg, 'user', 'string'));
  const ha1 = ha1ForRequest(sender, ctx.cfg.sipRealm);
  if (!sender || !ctx.chat) return { type: 'chat', tindex, tlabel, ha1, code: 403, reason: 'Forbidden' };
  const decision = await ctx.chat.check(sender.agentId, typeof msg.ruser === 'string' ? msg.ruser : '', typeof msg.body === 'string' ? msg.body : '');
  return { type: 'chat', tindex, tlabel, ha1, ...decision };
};

export const chatOk: Handler = async (ctx, msg) => {
  await ctx.chat?.deliver(field(msg, 'pending', 'string'));
  return null;
};
