// SIP MESSAGE chat (RFC 3428) for agents who only use a SIP client: an agent
// whose registered client takes MESSAGE and who has no XMPP session gets
// offers, the conversation's lines and desk notices as MESSAGEs from the
// conversation's address sip:c-<node>@domain (desk notices from
// sip:desk@domain); writing back to that address takes an offered chat
// ("decline" refuses it), then posts into the conversation as the agent, and
// !cmd / /cmd run the same commands as in the MUC room.
import { randomUUID } from 'node:crypto';
import type { Config } from '../../src/config.js';
import { texts, type OfferText } from '../../src/core/texts.js';
import type { Db } from '../../src/db/pool.js';
import { conversationById, conversationByNode, type Conversation } from '../../src/db/repos/conversations.js';
import { insertMessage } from '../../src/db/repos/messages.js';
import type { Room } from '../../src/db/repos/rooms.js';
import type { Logger } from '../../src/log.js';
import type { AgentDirectory } from '../../src/app/agents.js';
import type { Routing } from '../../src/app/routing.js';
import { notice } from '../../components/muc/message.js';
import type { MucService, RoomLine } from '../../components/muc/service.js';
import { occupantJid, type Occupant, type RoomState } from '../../components/muc/state.js';
import { xml } from '../../components/xmpp.js';
import { sipUsernameOf } from '../calls/store.js';
import type { EvapiClient } from '../evapi/client.js';
import type { SipRegistry } from '../registry/registry.js';
import { agentText, CONVERSATION_ADDRESS, fromHeader, splitBody } from './text.js';

const NS_SID = 'urn:xmpp:sid:0';
const PENDING_MS = 60_000;

export interface SipChatDeps {
  db: Db; cfg: Config; log: Logger; evapi: EvapiClient; registry: SipRegistry;
  presence: (agentId: string) => 'available' | 'away' | 'offline';
  muc: MucService; routing: Routing; agents: AgentDirectory;
}

export class SipChat {
  /** MESSAGEs from agents that Kamailio still authenticates (delivered on its "chat_ok"). */
  private pending = new Map<string, { agentId: string; node: string; body: string; at: number }>();
  /** Outgoing work in order, so an agent reads lines in the order the room showed them. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly d: SipChatDeps) {}

  /** Chats reach this agent over SIP: a registered contact takes MESSAGE and the agent has no XMPP session. */
  reaches(agentId: string): boolean {
    return this.d.registry.acceptsMessages(agentId) && this.d.presence(agentId) === 'offline';
  }

  reachesJid(jid: string): boolean {
    const a = this.d.agents.byJid(jid);
    return !!a && this.reaches(a.id);
  }

  /** An offer (the routing also sends the XMPP invitation). */
  offer(conv: Conversation, room: Room, agentJid: string, timeoutSeconds: number): void {
    const agent = this.d.agents.byJid(agentJid);
    if (!agent) return;
    const o: OfferText = { customer: conv.customerName, email: conv.customerEmail, room: room.settings.name, firstMessage: conv.firstMessage, timeoutSeconds, roomJid: this.d.muc.roomJid(conv.mucNode) };
    this.queue(() => this.send(agent.id, this.fromConversation(conv), texts.sipOffer(o)));
  }

  /** A desk notice (offer taken, expired…). */
  tell(agentJid: string, text: string): void {
    const agent = this.d.agents.byJid(agentJid);
    if (agent) this.queue(() => this.send(agent.id, fromHeader('Switchboard desk', 'desk', this.d.cfg.sipDomain), text));
  }

  /** A line a room showed: to the serving agent when chats reach them over SIP (never their own lines). */
  line(room: RoomState, line: RoomLine): void {
    // The chat hot path: no store lookup unless some agent gets chats over SIP at all.
    if (!this.d.registry.registeredAgentIds().some((id) => this.reaches(id))) return;
    this.queue(async () => {
      const conv = await conversationById(this.d.db, room.conversation.id);
      const agentId = conv?.agentId;
      if (!conv || !agentId || line.agentId === agentId || !this.reaches(agentId)) return;
      if (line.to && !line.to.some((o) => o.agentId === agentId)) return;
      await this.send(agentId, this.fromConversation(conv), line.nick ? `${line.nick}: ${line.body}` : line.body);
    });
  }

  /** An agent's MESSAGE to sip:<ruser>@domain, before Kamailio has checked the digest: a refusal, or held until it has. */
  async check(agentId: string, ruser: string, body: string): Promise<{ pending: string } | { code: number; reason: string }> {
    if (!CONVERSATION_ADDRESS.test(ruser)) return { code: 404, reason: 'Not Found' };
    const conv = await conversationByNode(this.d.db, ruser);
    if (!conv || conv.status === 'closed') return { code: 404, reason: 'Not Found' };
    if (conv.status === 'active' && conv.agentId !== agentId) return { code: 403, reason: 'Forbidden' };
    const now = Date.now();
    for (const [k, p] of this.pending) if (now - p.at > PENDING_MS) this.pending.delete(k);
    const id = randomUUID();
    this.pending.set(id, { agentId, node: ruser, body, at: now });
    return { pending: id };
  }

  /** Kamailio proved the sender: the text goes into the conversation. */
  async deliver(pendingId: string): Promise<void> {
    const p = this.pending.get(pendingId);
    if (!p) return;
    this.pending.delete(pendingId);
    const agent = this.d.agents.byId(p.agentId);
    const conv = await conversationByNode(this.d.db, p.node);
    if (!agent || !conv) return;
    const t = agentText(p.body);
    const from = this.fromConversation(conv);
    let current = conv;
    if (conv.status === 'queued') {
      if (t.kind === 'decline') { await this.d.routing.declined(conv.id, agent.id); return; }
      const claimed = await this.d.routing.claim(conv.id, agent.id);
      if (!claimed) { this.queue(() => this.send(agent.id, from, texts.taken('another agent'))); return; }
      current = claimed;
      const room = await this.d.muc.room(conv.mucNode);
      if (room) {
        room.conversation = claimed;
        const customers = [...room.occupants.values()].filter((o) => o.kind === 'customer');
        if (customers.length) await notice(this.d.muc, room, texts.agentJoined(agent.nickname), { to: customers, store: true });
      }
      this.queue(() => this.send(agent.id, from, texts.sipTaken(conv.customerName)));
      if (t.kind === 'accept') return;
    } else if (conv.status !== 'active' || conv.agentId !== agent.id) {
      this.queue(() => this.send(agent.id, from, texts.roomClosed));
      return;
    }
    const room = await this.d.muc.room(current.mucNode);
    if (!room) return;
    const occ: Occupant = [...room.occupants.values()].find((o) => o.agentId === agent.id)
      ?? { realJid: agent.jid, nick: agent.nickname, kind: 'agent', agentId: agent.id };
    if (t.kind === 'command') await this.d.muc.hooks.command(room, occ, t.text);
    else await this.post(room, occ, p.body.trim());
  }

  /** Stored first, then shown to every occupant, as the agent's own message in the room would be. */
  private async post(room: RoomState, occ: Occupant, body: string): Promise<void> {
    if (!body) return;
    const stored = await insertMessage(this.d.db, {
      id: randomUUID(), conversationId: room.conversation.id, senderKind: 'agent', senderNick: occ.nick, senderJid: occ.realJid,
      agentId: occ.agentId, body, originId: null, private: false,
    });
    for (const o of room.occupants.values()) {
      this.d.muc.send(xml('message', { from: occupantJid(room, occ.nick), to: o.realJid, type: 'groupchat', id: stored.id },
        xml('body', {}, body), xml('stanza-id', { xmlns: NS_SID, id: stored.id, by: room.jid })));
    }
  }

  private fromConversation(conv: Conversation): string {
    return fromHeader(conv.customerName, conv.mucNode, this.d.cfg.sipDomain);
  }

  private async send(agentId: string, from: string, text: string): Promise<void> {
    const to = await sipUsernameOf(this.d.db, agentId);
    if (!to) return;
    for (const body of splitBody(text)) {
      if (!this.d.evapi.send({ type: 'send_message', to, from, body })) this.d.log.warn(`sip chat: not connected to Kamailio, a MESSAGE to ${to} is lost`);
    }
  }

  private queue(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch((e: Error) => this.d.log.error(`sip chat: ${e.stack}`));
  }
}
