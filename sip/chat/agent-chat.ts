// SIP MESSAGE chat (RFC 3428) for agents who only use a SIP client: an agent
// whose registered client takes MESSAGE and who has no XMPP session gets
// offers, the conversation's lines and desk notices as MESSAGEs from the
// conversation's address sip:c-<node>@domain (desk notices from
// sip:desk@domain); writing back to that address takes an offered chat
// ("decline" refuses it), then posts into the conversation as the agent, and
// !cmd / /cmd run the same commands as in the MUC room. Writing to
// sip:desk@domain runs the desk's commands (status, queue, accept <id>…),
// the same code as chatting with the desk over XMPP, answered from there.
// A transfer or invitation naming such an agent comes from the conversation's
// address too, and a reply there accepts it (the transfers' own claim); an
// agent who accepted an invitation gets the room's lines as the serving agent
// does; the agent who transferred the chat away is told, and answered "no
// longer yours" when writing there afterwards.
import { randomUUID } from 'node:crypto';
import type { Config } from '../../src/config.js';
import { texts, type OfferText } from '../../src/core/texts.js';
import type { Db } from '../../src/db/pool.js';
import { conversationById, conversationByNode, type Conversation } from '../../src/db/repos/conversations.js';
import { insertMessage } from '../../src/db/repos/messages.js';
import type { Room } from '../../src/db/repos/rooms.js';
import type { Logger } from '../../src/log.js';
import type { AgentDirectory } from '../../src/app/agents.js';
import type { Agent } from '../../src/db/repos/agents.js';
import type { Routing } from '../../src/app/routing.js';
import type { Transfers } from '../../src/app/transfers.js';
import { notice } from '../../components/muc/message.js';
import type { MucService, RoomLine } from '../../components/muc/service.js';
import { occupantJid, type Occupant, type RoomState } from '../../components/muc/state.js';
import { xml } from '../../components/xmpp.js';
import { sipUsernameOf } from '../calls/store.js';
import type { EvapiClient } from '../evapi/client.js';
import type { SipRegistry } from '../registry/registry.js';
import { parseDeskCommand } from '../../src/core/commands.js';
import { agentText, CONVERSATION_ADDRESS, DESK_ADDRESS, fromHeader, splitBody } from './text.js';

const NS_SID = 'urn:xmpp:sid:0';
const PENDING_MS = 60_000;

export interface SipChatDeps {
  db: Db; cfg: Config; log: Logger; evapi: EvapiClient; registry: SipRegistry;
  presence: (agentId: string) => 'available' | 'away' | 'offline';
  muc: MucService; routing: Routing; agents: AgentDirectory;
  /** The desk's answer to an agent's text (the XMPP desk's own command path); null when a notice answers. */
  deskCommand?: (agentJid: string, text: string) => Promise<string | null>;
  /** The agent set a manual state (available / away / auto): routing hears of their availability again. */
  availabilityChanged?: (agentId: string) => void;
  /** Transfers and invitations: a reply to a request naming the agent accepts or declines it. */
  transfers?: Pick<Transfers, 'take' | 'decline'>;
}

/** How an agent who does not serve an active conversation stands in it. */
type Role = 'candidate' | 'member' | 'former' | null;

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
    if (agent) this.queue(() => this.send(agent.id, this.fromDesk(), text));
  }

  /** A line a room showed: to the serving agent when chats reach them over SIP (never their own lines). */
  line(room: RoomState, line: RoomLine): void {
    // The chat hot path: no store lookup unless some agent gets chats over SIP at all.
    if (!this.d.registry.registeredAgentIds().some((id) => this.reaches(id))) return;
    this.queue(async () => {
      const conv = await conversationById(this.d.db, room.conversation.id);
      if (!conv?.agentId) return;
      // The serving agent, and agents who accepted an invitation.
      const members = (await this.d.db.query("SELECT accepted_by::text AS id FROM transfers WHERE conversation_id = $1 AND kind = 'invite' AND status = 'accepted'", [conv.id])).rows.map((r) => r.id as string);
      for (const agentId of new Set([conv.agentId, ...members])) {
        if (line.agentId === agentId || !this.reaches(agentId)) continue;
        if (line.to && !line.to.some((o) => o.agentId === agentId)) continue;
        await this.send(agentId, this.fromConversation(conv), line.nick ? `${line.nick}: ${line.body}` : line.body);
      }
    });
  }

  /** An agent's MESSAGE to sip:<ruser>@domain, before Kamailio has checked the digest: a refusal, or held until it has. */
  async check(agentId: string, ruser: string, body: string): Promise<{ pending: string } | { code: number; reason: string }> {
    if (ruser === DESK_ADDRESS) {
      if (!this.d.deskCommand) return { code: 404, reason: 'Not Found' };
    } else {
      if (!CONVERSATION_ADDRESS.test(ruser)) return { code: 404, reason: 'Not Found' };
      const conv = await conversationByNode(this.d.db, ruser);
      if (!conv || conv.status === 'closed') return { code: 404, reason: 'Not Found' };
      if (conv.status === 'active' && conv.agentId !== agentId && !(await this.role(conv.id, agentId))) return { code: 403, reason: 'Forbidden' };
    }
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
    if (agent && p.node === DESK_ADDRESS) { await this.desk(agent, p.body); return; }
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
      await this.taken(claimed, agent);
      if (t.kind === 'accept') return;
    } else if (conv.status === 'active' && conv.agentId !== agent.id) {
      const role = await this.role(conv.id, agent.id);
      if (role === 'candidate' && this.d.transfers) {
        if (t.kind === 'decline') { await this.d.transfers.decline(agent, conv.id); return; }
        const r = await this.d.transfers.take(agent, conv.id);
        this.queue(() => this.send(agent.id, from, r.won ? texts.sipTaken(conv.customerName) : r.text));
        if (!r.won) return;
        current = r.won.conversation;
        if (t.kind === 'accept' || /^a$/i.test(p.body.trim())) return;
      } else if (role !== 'member') {
        this.queue(() => this.send(agent.id, from, role === 'former' ? texts.sipNotYours(conv.customerName) : texts.roomClosed));
        return;
      }
    } else if (conv.status !== 'active' || conv.agentId !== agent.id) {
      this.queue(() => this.send(agent.id, from, texts.roomClosed));
      return;
    }
    const room = await this.d.muc.room(current.mucNode);
    if (!room) return;
    const occ: Occupant = [...room.occupants.values()].find((o) => o.agentId === agent.id)
      ?? { realJid: agent.jid, nick: agent.nickname, kind: 'agent', agentId: agent.id };
    // "!accept" / "!decline" in a chat already theirs are the room's commands too, not words for the customer.
    const command = t.kind === 'command' || /^[/!]\S/.test(p.body.trim());
    if (!command) { await this.post(room, occ, p.body.trim()); return; }
    await this.d.muc.hooks.command(room, occ, p.body.trim());
    // "leave" (and anything else that hands the chat on) ends the lines to this agent: say so.
    const after = await conversationById(this.d.db, current.id);
    if (after && after.status !== 'closed' && after.agentId !== agent.id) this.queue(() => this.send(agent.id, from, texts.sipNotYours(current.customerName)));
  }

  /**
   * A MESSAGE to sip:desk@domain: the desk's command, answered from there. A
   * chat it gave the agent (accept <id>, a transfer accepted with "a") is
   * introduced from the conversation's address, as a chat taken by replying is.
   */
  private async desk(agent: Agent, body: string): Promise<void> {
    const mine = async () => new Set((await this.d.db.query("SELECT id::text FROM conversations WHERE agent_id = $1 AND status = 'active'", [agent.id])).rows.map((r) => r.id as string));
    const before = await mine();
    const reply = await this.d.deskCommand!(agent.jid, body);
    if (reply !== null) this.queue(() => this.send(agent.id, this.fromDesk(), reply));
    const name = parseDeskCommand(body).name;
    if (name === 'available' || name === 'away' || name === 'auto') this.d.availabilityChanged?.(agent.id);
    for (const id of await mine()) {
      if (before.has(id)) continue;
      const conv = await conversationById(this.d.db, id);
      if (conv) await this.taken(conv, agent);
    }
  }

  /** The agent has just taken the chat: the customer reads who joined, the agent gets the conversation's address. */
  private async taken(conv: Conversation, agent: Agent): Promise<void> {
    const room = await this.d.muc.room(conv.mucNode);
    if (room) {
      room.conversation = conv;
      const customers = [...room.occupants.values()].filter((o) => o.kind === 'customer');
      if (customers.length) await notice(this.d.muc, room, texts.agentJoined(agent.nickname), { to: customers, store: true });
    }
    this.queue(() => this.send(agent.id, this.fromConversation(conv), texts.sipTaken(conv.customerName)));
  }

  /**
   * An agent not serving an active conversation: named by its pending transfer
   * or invitation, in it through an accepted invitation, or the agent who
   * transferred it away; null for anyone else.
   */
  private async role(conversationId: string, agentId: string): Promise<Role> {
    const r = await this.d.db.query(`SELECT CASE WHEN status = 'pending' THEN 'candidate' WHEN kind = 'invite' THEN 'member' ELSE 'former' END AS role
      FROM transfers WHERE conversation_id = $1 AND (
        (status = 'pending' AND deadline > now() AND $2::uuid = ANY(candidates))
        OR (kind = 'invite' AND status = 'accepted' AND accepted_by = $2)
        OR (kind = 'transfer' AND status = 'accepted' AND from_agent_id = $2))
      ORDER BY CASE WHEN status = 'pending' THEN 0 WHEN kind = 'invite' THEN 1 ELSE 2 END LIMIT 1`, [conversationId, agentId]);
    return (r.rows[0]?.role as Role | undefined) ?? null;
  }

  /** A MESSAGE from the conversation's address (a transfer or invitation, the requester told it was accepted). */
  say(conv: Conversation, agentJid: string, text: string): void {
    const agent = this.d.agents.byJid(agentJid);
    if (agent) this.queue(() => this.send(agent.id, this.fromConversation(conv), text));
  }

  private fromDesk(): string {
    return fromHeader('Switchboard desk', DESK_ADDRESS, this.d.cfg.sipDomain);
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
