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
  // The REGISTER that caused this report: its Accept header speaks for its own contact when it had no Allow.
  const accept = orNull(msg.accept);
  const callId = orNull(msg.callid);
  await ctx.registry.snapshot(agent.agentId, list.map((c) => {
    const contactCallId = orNull(c.callid);
    const messages = takesMessage(Number(c.methods)) ?? (accept !== null && callId !== null && contactCallId === callId ? acceptsText(accept) : undefined);
    return {
      uri: String(c.uri), expires: Number(c.expires), callId: contactCallId, received: orNull(c.received),
      userAgent: orNull(c.user_agent), source: orNull(msg.src), messages,
    };
  }), now);
  // A client that did not say what it takes (no Allow header) is asked (RFC 3261 §11).
  if (ctx.registry.unknownMessages(agent.agentId).length > 0 && !ctx.probe(user)) ctx.log.warn(`sip: could not ask ${user}'s client what it takes (not connected)`);
  return null;
};

/** The final answer to our OPTIONS query to an agent's address, with its Allow header. */
export const probeReply: Handler = async (ctx, msg) => {
  const user = field(msg, 'user', 'string');
  const code = field(msg, 'code', 'number');
  const agent = await credentialsByUsername(ctx.db, user);
  if (!agent) return null;
  // Only a 2xx tells what the client takes; an error or no answer leaves it unknown (no chats, calls only).
  if (code < 200 || code > 299) { ctx.log.info(`sip: ${user}'s client answered OPTIONS with ${code}; taken for calls only`); return null; }
  const allow = orNull(msg.allow);
  const accept = orNull(msg.accept);
  await ctx.registry.probed(agent.agentId, allow !== null ? allowsMessage(allow) : accept !== null && acceptsText(accept));
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
 * methods", which says nothing (RFC 3261 §20.5): undefined. Then the
 * REGISTER's Accept header decides (text/plain = reads MESSAGE; Linphone sends
 * Accept but no Allow); with neither the client is asked with OPTIONS, and
 * until it answers it gets calls only.
 */
export function takesMessage(methods: number): boolean | undefined {
  if (!Number.isFinite(methods) || methods === -1 || methods >>> 0 === 0xffffffff) return undefined;
  return (methods & 256) !== 0;
}

/** Accept header values (all of them, comma-joined) that take text/plain bodies (RFC 3261 §20.1). */
export function acceptsText(accept: string): boolean {
  return accept.split(',').some((t) => /^(text\/plain|text\/\*|\*\/\*)$/i.test(t.split(';')[0]!.trim()));
}

/** An Allow header's value lists MESSAGE (methods are case-sensitive tokens, RFC 3261 §7.1). */
export function allowsMessage(allow: string | null): boolean {
  return (allow ?? '').split(',').some((m) => m.trim() === 'MESSAGE');
}
