// Kamailio's reports about registrations: the contact set after each
// successful REGISTER (including un-REGISTER, RFC 3261 §10.2.2), a contact
// its timer expired, and a source banned for failed digest attempts.
import { credentialsByUsername } from '../store.js';
import { field, orNull, type Handler } from './types.js';

export const contacts: Handler = async (ctx, msg) => {
  const user = field(msg, 'user', 'string');
  const now = field(msg, 'now', 'number');
  const list = Array.isArray(msg.contacts) ? (msg.contacts as Array<Record<string, unknown>>) : [];
  const agent = await credentialsByUsername(ctx.db, user);
  if (!agent) { ctx.log.warn(`sip: contacts reported for ${user}, who is no agent`); return null; }
  await ctx.registry.snapshot(agent.agentId, list.map((c) => ({
    uri: String(c.uri), expires: Number(c.expires), callId: orNull(c.callid), received: orNull(c.received),
    userAgent: orNull(c.user_agent), source: orNull(msg.src),
    messages: takesMessage(Number(c.methods)),
  })), now);
  return null;
};

export const expired: Handler = async (ctx, msg) => {
  const agent = await credentialsByUsername(ctx.db, field(msg, 'user', 'string'));
  if (agent) await ctx.registry.contactExpired(agent.agentId, field(msg, 'uri', 'string'));
  return null;
};

export const banned: Handler = async (ctx, msg) => {
  ctx.log.warn(`sip: ${orNull(msg.src) ?? 'a source'} banned for ${ctx.cfg.sipBanSeconds} s after ${ctx.cfg.sipAuthMaxFailures} failed digest attempts`);
  return null;
};

/**
 * Kamailio's method mask of a contact, from its REGISTER's Allow header
 * (METHOD_MESSAGE = 256). Without an Allow header the registrar stores "all
 * methods": such a phone is taken to do calls only, so chats go only to
 * clients that list MESSAGE.
 */
export function takesMessage(methods: number): boolean {
  if (!Number.isFinite(methods) || methods === -1 || methods >>> 0 === 0xffffffff) return false;
  return (methods & 256) !== 0;
}
