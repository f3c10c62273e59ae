// Transfers ("t") and invitations ("invite") between agents (seeds 003, 004).
// The serving agent names an agent or a department; each candidate gets a MUC
// invitation from the desk; the first to accept — by joining the room, or
// "a" to the desk or in the room — wins in one guarded SQL statement. A
// transfer moves the conversation to the acceptor and the first agent, who
// stayed until then, leaves; an invitation adds a second agent.
import type { Agent } from '../db/repos/agents.js';
import type { Db } from '../db/pool.js';
import { addEvent, conversationById, type Conversation } from '../db/repos/conversations.js';
import { roomById } from '../db/repos/rooms.js';
import {
  acceptTransfer, allPending, type Accepted, conversationsWithRequests, declineTransfer, endTransfer, handOver, insertTransfer, invitedMember, leaveInvitation,
  type Transfer, type TransferKind,
} from '../db/repos/transfers.js';
import { agentMatches, type Target } from '../core/commands.js';
import { commandTexts as T, texts } from '../core/texts.js';
import type { Logger } from '../log.js';
import { sendInvitation } from '../../components/muc/actions.js';
import { notice } from '../../components/muc/message.js';
import { removeOccupantSession } from '../../components/muc/leave.js';
import { xml } from '../../components/xmpp.js';
import type { MucService } from '../../components/muc/service.js';
import type { RoomState } from '../../components/muc/state.js';
import type { DeskService } from '../../components/desk/service.js';
import type { AgentDirectory } from './agents.js';

/** How long a transfer or invitation waits for an answer. */
export const TRANSFER_TIMEOUT_SECONDS = 120;

/** Agents who only use a SIP client (sip/chat/): set by the switchboard once voice runs. */
export interface TransferSip {
  /** Chats reach this agent as SIP MESSAGE (registered client that reads MESSAGE, no XMPP session). */
  reaches(jid: string): boolean;
  /** Reached over SIP and not set away. */
  available(jid: string): boolean;
  /** A MESSAGE to the agent from the conversation's address. */
  say(conv: Conversation, jid: string, text: string): void;
}

export interface TransferDeps { db: Db; log: Logger; agents: AgentDirectory; muc: MucService; desk: DeskService; kick: () => Promise<void> }

const what = (k: TransferKind) => (k === 'transfer' ? 'transfer' : 'invitation');

export class Transfers {
  private timers = new Map<string, NodeJS.Timeout>();
  /** How long a new request waits for an answer (tests shorten it). */
  timeoutSeconds = TRANSFER_TIMEOUT_SECONDS;
  sip: TransferSip | null = null;
  /**
   * Open conversations that have had a transfer or an invitation. Another
   * agent's join of an active chat outside this set is refused without a
   * store lookup: with several agents offered a chat, every late join is one.
   */
  private requested = new Set<string>();
  constructor(private readonly d: TransferDeps) {}

  async start(): Promise<void> {
    for (const id of await conversationsWithRequests(this.d.db)) this.requested.add(id);
    for (const t of await allPending(this.d.db)) this.arm(t);
  }
  stop(): void { for (const t of this.timers.values()) clearTimeout(t); }

  /** A conversation closed: nobody joins it any more. */
  forget(conversationId: string): void { this.requested.delete(conversationId); }

  /** Agents of the room's conversation (bare agent ids present as occupants). */
  private present(room: RoomState): Set<string> {
    return new Set([...room.occupants.values()].filter((o) => o.kind === 'agent' && o.agentId).map((o) => o.agentId!));
  }

  /** Candidates for a target, or the reason there are none. */
  async resolve(room: RoomState, from: Agent, kind: TransferKind, target: Target): Promise<{ ids: string[]; label: string; departmentId: string | null } | string> {
    const { agents, desk, db } = this.d;
    const present = this.present(room);
    if (target.kind === 'agent') {
      const found = agents.all().filter((a) => agentMatches(target.name, a));
      if (found.length === 0) return T.noSuchAgent(target.name);
      if (found.length > 1) return T.ambiguousAgent(target.name, found.map((a) => `${a.name} <${a.jid}>`));
      const a = found[0]!;
      if (a.id === from.id) return T.notYourself;
      if (kind === 'invite' && present.has(a.id)) return T.alreadyHere(a.nickname);
      if (!desk.presence.online(a.jid) && !this.sip?.reaches(a.jid)) return T.offline(a.nickname);
      return { ids: [a.id], label: a.nickname, departmentId: null };
    }
    const dept = (await db.query('SELECT id, name FROM departments WHERE lower(name) = lower($1)', [target.name])).rows[0] as { id: string; name: string } | undefined;
    if (!dept) return T.noSuchDepartment(target.name);
    const members = new Set((await db.query('SELECT agent_id::text AS id FROM department_members WHERE department_id = $1', [dept.id])).rows.map((r) => r.id as string));
    const ids = agents.all().filter((a) => members.has(a.id) && a.id !== from.id && !(kind === 'invite' && present.has(a.id)) && (desk.presence.available(a.jid) || !!this.sip?.available(a.jid))).map((a) => a.id);
    if (ids.length === 0) return T.nobodyAvailable(dept.name);
    return { ids, label: dept.name, departmentId: dept.id };
  }

  /** "t …" or "invite …" by the serving agent: the reply they see. */
  async request(room: RoomState, from: Agent, kind: TransferKind, target: Target): Promise<string> {
    const conv = room.conversation;
    if (conv.agentId !== from.id) return T.notOwner;
    const r = await this.resolve(room, from, kind, target);
    if (typeof r === 'string') return r;
    const t = await insertTransfer(this.d.db, {
      conversationId: conv.id, kind, fromAgentId: from.id, candidates: r.ids, departmentId: r.departmentId,
      deadline: new Date(Date.now() + this.timeoutSeconds * 1000),
    });
    if (!t) return T.pendingExists('transfer or invitation');
    this.requested.add(conv.id);
    this.arm(t);
    await addEvent(this.d.db, conv.id, kind === 'transfer' ? 'transfer_asked' : 'invite_asked', { from: from.jid, to: r.ids.map((id) => this.d.agents.byId(id)?.jid) });
    const roomName = (await roomById(this.d.db, conv.roomId))?.settings.name ?? 'chat';
    const reason = (kind === 'transfer' ? T.transferInvitation : T.inviteInvitation)(from.nickname, conv.customerName, roomName);
    for (const id of r.ids) {
      const jid = this.d.agents.byId(id)!.jid;
      this.invite(conv, jid, reason);
      // An agent on SIP MESSAGE only gets it from the conversation's address and answers there (sip/chat/).
      if (this.sip?.reaches(jid)) this.sip.say(conv, jid, texts.sipRequest(kind, from.nickname, conv.customerName, roomName));
    }
    return kind === 'transfer' ? T.transferAsked(r.label) : T.inviteAsked(r.label);
  }

  private invite(conv: Conversation, to: string, reason: string): void {
    const roomJid = this.d.muc.roomJid(conv.mucNode);
    sendInvitation(this.d.muc, { roomJid, to, from: this.d.desk.jid, password: conv.roomPassword, reason, body: `${reason}\nRoom: ${roomJid}` });
  }

  /**
   * An agent who is not the conversation's agent asks to join: allowed when
   * they accepted an invitation before (a rejoin), or when a pending request
   * names them (joining = accepting). Returns the conversation as it now is.
   */
  async admit(conv: Conversation, agent: Agent): Promise<Conversation | null> {
    if (!this.requested.has(conv.id)) return null;
    if (await invitedMember(this.d.db, conv.id, agent.id)) return conv;
    const won = await acceptTransfer(this.d.db, agent.id, conv.id);
    if (!won) return null;
    await this.accepted(won.conversation, won.transfer, agent);
    return won.conversation;
  }

  /** "a" (at the desk, or in a room): accept the oldest request naming the agent, or this room's. */
  async accept(agent: Agent, conversationId: string | null): Promise<string> {
    return (await this.take(agent, conversationId)).text;
  }

  /** As accept, also saying what was won (a reply over SIP MESSAGE goes on from there). */
  async take(agent: Agent, conversationId: string | null): Promise<{ text: string; won: Accepted | null }> {
    const won = await acceptTransfer(this.d.db, agent.id, conversationId);
    if (!won) return { text: T.nothingToAccept, won: null };
    await this.accepted(won.conversation, won.transfer, agent);
    const roomJid = this.d.muc.roomJid(won.conversation.mucNode);
    const room = this.d.muc.rooms.get(won.conversation.mucNode);
    const inRoom = room ? [...room.occupants.values()].some((o) => o.agentId === agent.id) : false;
    if (!inRoom && !this.sip?.reaches(agent.jid)) this.invite(won.conversation, agent.jid, won.transfer.kind === 'transfer' ? T.youTookOver(won.conversation.customerName, roomJid) : T.youJoinedInvite(won.conversation.customerName, roomJid));
    return { text: won.transfer.kind === 'transfer' ? T.youTookOver(won.conversation.customerName, roomJid) : T.youJoinedInvite(won.conversation.customerName, roomJid), won };
  }

  /** After a won accept: the room's state, the people told, the first agent out (transfer). */
  private async accepted(conv: Conversation, t: Transfer, by: Agent): Promise<void> {
    this.disarm(t.id);
    const { muc, agents, desk, db } = this.d;
    const room = muc.rooms.get(conv.mucNode);
    if (room) room.conversation = conv;
    const from = agents.byId(t.fromAgentId);
    for (const id of t.candidates) {
      const other = agents.byId(id);
      if (other && id !== by.id) desk.tell(other.jid, T.taken(by.nickname));
    }
    if (t.kind === 'invite') {
      await addEvent(db, conv.id, 'invite_accepted', { agent: by.jid });
      return;
    }
    await addEvent(db, conv.id, 'transferred', { from: from?.jid, to: by.jid });
    if (room) {
      const customers = [...room.occupants.values()].filter((o) => o.kind === 'customer');
      const staff = [...room.occupants.values()].filter((o) => o.kind === 'agent');
      // The customer page reads the new agent from the payload (web/customer/read.ts).
      await notice(muc, room, T.transferredCustomer(by.nickname), { to: customers, store: true,
        payload: [xml('transferred', { xmlns: 'urn:switchboard:transfer', nick: by.nickname })] });
      await notice(muc, room, T.transferredAgents(from?.nickname ?? 'An agent', by.nickname), { to: staff, store: false });
      await this.removeAgent(room, t.fromAgentId, T.transferredAway(by.nickname));
    }
    // The agent who asked, on SIP MESSAGE only, has no room session to be told through.
    if (from && this.sip?.reaches(from.jid)) this.sip.say(conv, from.jid, texts.sipTransferredAway(conv.customerName, by.nickname));
    await this.d.kick(); // the first agent's slot is free
  }

  /** Takes an agent's sessions out of a room (an exit as in XEP-0045 §7.14, with the reason as status); the desk tells them why. */
  async removeAgent(room: RoomState, agentId: string, reason: string): Promise<void> {
    const sessions = [...room.occupants.values()].filter((o) => o.agentId === agentId);
    for (const occ of sessions) await removeOccupantSession(this.d.muc, room, occ, reason);
    const agent = this.d.agents.byId(agentId);
    if (agent && sessions.length > 0) this.d.desk.tell(agent.jid, `${room.conversation.customerName}: ${reason}`);
  }

  async cancel(room: RoomState, agent: Agent): Promise<string> {
    if (room.conversation.agentId !== agent.id) return T.notOwner;
    const t = await endTransfer(this.d.db, { conversationId: room.conversation.id }, 'cancelled');
    if (!t) return T.nothingToCancel;
    this.disarm(t.id);
    for (const id of t.candidates) { const a = this.d.agents.byId(id); if (a) this.d.desk.tell(a.jid, T.cancelledForYou(agent.nickname, room.conversation.customerName)); }
    return T.cancelled(what(t.kind));
  }

  /** A candidate says no (XEP-0045 decline, or "reject" at the desk). */
  async decline(agent: Agent, conversationId: string | null): Promise<Transfer | null> {
    const t = await declineTransfer(this.d.db, agent.id, conversationId);
    if (!t) return null;
    const conv = await conversationById(this.d.db, t.conversationId);
    this.d.desk.tell(agent.jid, T.youDeclined(conv?.customerName ?? 'a customer'));
    if (t.status === 'declined') {
      this.disarm(t.id);
      const from = this.d.agents.byId(t.fromAgentId);
      if (from) this.d.desk.tell(from.jid, T.declinedBy(agent.nickname, what(t.kind)));
    }
    return t;
  }

  /** "leave": an invited agent goes; the serving agent hands the chat to an invited agent present. */
  async leave(room: RoomState, agent: Agent): Promise<string | null> {
    const conv = room.conversation;
    if (conv.agentId !== agent.id) {
      await leaveInvitation(this.d.db, conv.id, agent.id);
      await notice(this.d.muc, room, T.left(agent.nickname), { to: [...room.occupants.values()].filter((o) => o.kind === 'agent' && o.agentId !== agent.id), store: false });
      await this.removeAgent(room, agent.id, T.left(agent.nickname));
      return null;
    }
    const other = [...room.occupants.values()].find((o) => o.kind === 'agent' && o.agentId && o.agentId !== agent.id);
    if (!other) return T.leaveNeedsAgent;
    const next = this.d.agents.byId(other.agentId!)!;
    const moved = await handOver(this.d.db, conv.id, agent.id, next.id);
    if (!moved) return T.notOwner;
    room.conversation = moved;
    await addEvent(this.d.db, conv.id, 'handed_over', { from: agent.jid, to: next.jid });
    await notice(this.d.muc, room, T.handedOver(agent.nickname, next.nickname));
    await this.removeAgent(room, agent.id, T.handedOver(agent.nickname, next.nickname));
    await this.d.kick();
    return null;
  }

  private arm(t: Transfer): void {
    const timer = setTimeout(() => void this.expire(t.id).catch((e: Error) => this.d.log.error(`transfer expiry: ${e.stack}`)), Math.max(0, new Date(t.deadline).getTime() - Date.now()));
    this.timers.set(t.id, timer);
  }

  private disarm(id: string): void { clearTimeout(this.timers.get(id)); this.timers.delete(id); }

  private async expire(id: string): Promise<void> {
    this.timers.delete(id);
    const t = await endTransfer(this.d.db, { id }, 'expired');
    if (!t) return;
    const conv = await conversationById(this.d.db, t.conversationId);
    const from = this.d.agents.byId(t.fromAgentId);
    if (from && conv?.status === 'active') {
      this.d.desk.tell(from.jid, T.expired(what(t.kind), t.candidates.map((c) => this.d.agents.byId(c)?.nickname ?? '?').join(', ')));
    }
  }
}
