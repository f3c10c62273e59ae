// Conversations: created from a room's contact form, admitted into their MUC
// room, closed by the agent or the customer. Implements the hooks the MUC and
// desk services call.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { customerNick, validateContact, type ContactInput } from '../core/contact-form.js';
import { validateContext, type ContactContext } from '../core/contact-context.js';
import { AppError, conflict, invalid } from '../core/errors.js';
import { routingSettings } from '../db/repos/company-settings.js';
import { departmentsForVisitors } from '../db/repos/departments.js';
import { offerReason, offerText, texts } from '../core/texts.js';
import type { Db } from '../db/pool.js';
import { addEvent, closeConversation, conversationById, customerTokenMatches, insertConversation, markAskAll, markCustomerJoined, previousAgents, saveContext, type Conversation } from '../db/repos/conversations.js';
import { pendingOffers } from '../db/repos/offers.js';
import { roomBySlug, roomSecret, type Room } from '../db/repos/rooms.js';
import { identityWho, verifyIdentity, type VerifiedIdentity } from '../core/identity.js';
import type { Logger } from '../log.js';
import { destroyRoom, sendInvitation } from '../../components/muc/actions.js';
import type { Admission, JoinRequest, MucHooks } from '../../components/muc/hooks.js';
import { notice } from '../../components/muc/message.js';
import type { MucService } from '../../components/muc/service.js';
import type { Occupant, RoomState } from '../../components/muc/state.js';
import type { DeskHooks, DeskService } from '../../components/desk/service.js';
import { bareJid, domainOf } from '../../components/xmpp.js';
import type { AgentDirectory } from './agents.js';
import type { QueueBehaviour } from './queue-behaviour.js';
import type { Routing } from './routing.js';
import { secret, sha256 } from './secrets.js';
import { AgentCommands } from './agent-commands.js';

export interface StartedConversation {
  id: string; roomJid: string; password: string; nick: string; customerToken: string; websocketPath: string; guestDomain: string;
  /** The customer may press "Ask all agents": a returning customer in a room that offers them first to their last agent. */
  askAll: boolean;
}

export class Conversations implements MucHooks, DeskHooks {
  /** Called when an agent becomes available (the email alerts of waiting customers). */
  onAgentAvailable: () => Promise<void> = async () => {};
  routing!: Routing;
  /** Queue behaviours: offline mode, queue status, grace, unattended, wrap-up (app/queue-behaviour.ts). */
  queue!: QueueBehaviour;

  /** Agents' commands in rooms and at the desk, transfers, team rooms (issue 4). */
  readonly commands: AgentCommands;

  constructor(private readonly deps: { db: Db; cfg: Config; log: Logger; agents: AgentDirectory; muc: MucService; desk: DeskService }) {
    this.commands = new AgentCommands({ ...deps, routing: () => this.routing, close: (conv, by) => this.close(conv, by) });
  }

  private get db() { return this.deps.db; }

  /** A chat from the room's form; refused when the room is offline (RoomOfflineError), unless it is a note. */
  async start(slug: string, input: ContactInput, opts: { note?: boolean } = {}): Promise<StartedConversation> {
    const room = await roomBySlug(this.db, slug);
    if (!room) throw new AppError('not_found', `room: there is no room "${slug}"`, 'slug');
    const { departmentId, context, identity, ...answers } = input;
    const pageContext = validateContext(context);
    const department = await this.departmentChoice(departmentId);
    const contact = validateContact(room.settings, answers);
    const verifiedIdentity = await this.verifiedIdentity(room, identity);
    const password = secret(20);
    const customerToken = secret(32);
    const row = {
      roomId: room.id, mucNode: `c-${randomUUID().replace(/-/g, '').slice(0, 20)}`, customerName: contact.name,
      customerEmail: contact.email, firstMessage: contact.message, form: { ...contact }, roomPassword: password, customerTokenHash: sha256(customerToken), departmentId: department, verifiedIdentity,
    };
    const nick = customerNick(contact.name);
    // The form's first message opens the conversation (the agent sees it in the room's history); one statement with the row.
    const also = { firstLine: { id: randomUUID(), nick }, created: { room: slug } };
    const conv = opts.note ? await insertConversation(this.db, row, also) : await this.queue.admit(room, Date.now(), (q) => insertConversation(q, row, also));
    const askAll = await this.routingContext(conv.id, room, pageContext);
    return { id: conv.id, roomJid: this.deps.muc.roomJid(conv.mucNode), password, nick, customerToken, websocketPath: '/xmpp-websocket', guestDomain: this.deps.cfg.guestDomain, askAll };
  }

  /** The customer's "End chat": authorised by the token given at start. */
  /** Attributes the company's site signed with the room's secret (seed 003); a bad signature is just not trusted. */
  private async verifiedIdentity(room: Room, raw: unknown): Promise<VerifiedIdentity | null> {
    if (raw === undefined || raw === null) return null;
    const secret = await roomSecret(this.db, room.id);
    return secret ? verifyIdentity(secret, room.slug, raw, Date.now()) : null;
  }

  /** The department a visitor chose (seed 004), when the company routes by department. */
  private async departmentChoice(v: unknown): Promise<string | null> {
    if (v === undefined || v === null || v === '') return null;
    if (!(await routingSettings(this.db)).departmentRouting) throw invalid('departmentId', 'this company does not route by department');
    if (typeof v !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) throw invalid('departmentId', 'must be the id of one of the departments offered');
    if (!(await departmentsForVisitors(this.db)).some((d) => d.id === v.toLowerCase())) throw invalid('departmentId', 'must be the id of one of the departments offered');
    return v.toLowerCase();
  }

  async endByCustomer(id: string, token: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/.test(id) || !(await customerTokenMatches(this.db, id, sha256(token)))) throw new AppError('not_found', 'conversation: not found or wrong token', 'id');
    const conv = (await conversationById(this.db, id))!;
    await this.close(conv, 'customer');
  }

  /** Stores what the page told (URL, visitor id, location); says whether the customer may ask all agents. */
  private async routingContext(id: string, room: Room, context: ContactContext): Promise<boolean> {
    await saveContext(this.db, id, context);
    if (!room.settings.stickyAgent || !room.settings.askAllAllowed) return false;
    return ((await previousAgents(this.db, [id])).get(id) ?? null) !== null;
  }

  /** The customer's "Ask all agents" while the room offers them first to the agent who served them (seed 000). */
  async askAll(id: string, token: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/.test(id) || !(await customerTokenMatches(this.db, id, sha256(token)))) throw new AppError('not_found', 'conversation: not found or wrong token', 'id');
    const conv = (await conversationById(this.db, id))!;
    const { settings } = await this.routing.room(conv.roomId);
    if (!settings.stickyAgent || !settings.askAllAllowed) throw conflict('id', 'this room does not let customers ask all agents');
    if (!(await markAskAll(this.db, id))) throw conflict('id', 'the conversation is not waiting for an agent');
    await addEvent(this.db, id, 'ask_all');
    await this.routing.kick();
  }

  async close(conv: Conversation, by: 'customer' | string, opts: { disposition?: string; text?: string; onlyIfQueued?: boolean } = {}): Promise<boolean> {
    const disposition = opts.disposition ?? (conv.agentId || conv.status === 'active' ? 'served' : await this.queue.unservedDisposition(conv));
    const closed = await closeConversation(this.db, conv.id, by, disposition, opts.onlyIfQueued ? 'queued' : undefined);
    if (!closed) return false;
    this.commands.transfers.forget(conv.id);
    await this.routing.closed(closed);
    // Its agent has a chat less: waiting customers who asked for an email alert hear an agent is free again (seed 000).
    const freed = closed.agentId ? this.deps.agents.byId(closed.agentId) : undefined;
    if (freed && this.commands.desk.available(freed.jid)) void this.onAgentAvailable().catch((e: Error) => this.deps.log.error(`after close: ${e.stack}`));
    const room = this.deps.muc.rooms.get(conv.mucNode);
    const who = opts.text ?? (by === 'customer' ? texts.closedByCustomer(customerNick(conv.customerName)) : texts.closedByAgent(this.deps.agents.byJid(by)?.nickname ?? 'The agent'));
    if (room) {
      await notice(this.deps.muc, room, who);
      await destroyRoom(this.deps.muc, room, who);
    }
    return true;
  }

  // ---- MUC hooks ----

  async admit(req: JoinRequest): Promise<Admission> {
    const { conversation: conv, realJid } = req;
    const domain = domainOf(realJid);
    const { cfg, agents } = this.deps;
    if (domain === cfg.guestDomain) {
      if (req.password !== conv.roomPassword) return { ok: false, type: 'auth', condition: 'not-authorized', text: texts.wrongPassword };
      return { ok: true, kind: 'customer', agentId: null, nick: customerNick(conv.customerName), conversation: conv };
    }
    const agent = domain === cfg.xmppDomain ? agents.byJid(bareJid(realJid)) : undefined;
    if (!agent) return { ok: false, type: 'auth', condition: 'forbidden', text: texts.notAnAgent };
    const nick = agent.nickname;
    if (conv.status === 'active') {
      if (conv.agentId === agent.id) return { ok: true, kind: 'agent', agentId: agent.id, nick, conversation: conv };
      const viaTransfer = await this.commands.transfers.admit(conv, agent);
      if (viaTransfer) return { ok: true, kind: 'agent', agentId: agent.id, nick, conversation: viaTransfer };
      return { ok: false, type: 'auth', condition: 'registration-required', text: texts.taken(agents.byId(conv.agentId ?? '')?.nickname ?? 'another agent') };
    }
    const claimed = await this.routing.claim(conv.id, agent.id);
    if (claimed) return { ok: true, kind: 'agent', agentId: agent.id, nick, conversation: claimed };
    const now = await conversationById(this.db, conv.id);
    if (now?.status === 'active') return { ok: false, type: 'auth', condition: 'registration-required', text: texts.taken(agents.byId(now.agentId ?? '')?.nickname ?? 'another agent') };
    if (now?.status === 'closed') return { ok: false, type: 'cancel', condition: 'gone', text: texts.roomClosed };
    return { ok: false, type: 'wait', condition: 'resource-constraint', text: `You already have ${agent.maxChats} chats open, your limit. Close one first.` };
  }

  async joined(room: RoomState, occ: Occupant): Promise<void> {
    const conv = room.conversation;
    if (occ.kind === 'customer') {
      this.queue.customerGone.joined(room, occ); // back in time (a reload, a rejoin): the chat waits on
      if (!(await markCustomerJoined(this.db, conv.id))) return;
      await this.routing.kick();
      const offered = (await pendingOffers(this.db, { conversationId: conv.id })).length > 0;
      await this.queue.customerJoined(room, occ, offered);
      return;
    }
    // The agent's arrival shows as their occupant presence; no notice on top.
    await this.queue.agentJoined(room, occ);
  }

  stored(room: RoomState, occ: Occupant): void { this.queue.stored(room, occ); }

  async left(room: RoomState, occ: Occupant): Promise<void> {
    await addEvent(this.db, room.conversation.id, occ.kind === 'agent' ? 'agent_left' : 'customer_left', { jid: occ.realJid });
    await this.queue.left(room, occ);
  }

  async command(room: RoomState, occ: Occupant, text: string): Promise<void> {
    await this.commands.room.run(room, occ, text);
  }

  async declined(_room: RoomState | null, conv: Conversation, fromJid: string): Promise<void> {
    const agent = this.deps.agents.byJid(bareJid(fromJid));
    if (agent && !(await this.routing.declined(conv.id, agent.id))) await this.commands.transfers.decline(agent, conv.id);
  }

  /** Sends an offer's invitation (see components/muc/actions.ts). */
  invite(conv: Conversation, room: Room, agentJid: string, timeoutSeconds: number): void {
    const roomJid = this.deps.muc.roomJid(conv.mucNode);
    const o = { customer: conv.customerName, email: conv.customerEmail, room: room.settings.name, firstMessage: conv.firstMessage, timeoutSeconds, roomJid,
      verified: conv.verifiedIdentity ? identityWho(conv.verifiedIdentity) : null };
    sendInvitation(this.deps.muc, { roomJid, to: agentJid, from: this.deps.desk.jid, password: conv.roomPassword, reason: offerReason(o), body: offerText(o) });
  }

  // ---- desk hooks ----

  isAgent(bare: string): boolean { return this.deps.agents.byJid(bare) !== undefined; }

  availability(bare: string, available: boolean): void {
    const agent = this.deps.agents.byJid(bare);
    if (agent) void this.routing.availability(agent.id, available);
    if (agent && available) void this.onAgentAvailable().catch((e: Error) => this.deps.log.error(`after availability: ${e.stack}`));
  }

  async deskCommand(bare: string, text: string): Promise<string | null> {
    return this.commands.desk.chat(bare, text);
  }
}
