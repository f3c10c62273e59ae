// The queue's behaviours around routing (issue 4), behind one object the
// conversations and the routing adapter call at their hook points: offline
// mode at the door (room-gate), queue position and wait (queue-status),
// unmanaged chats, an agent's disconnection (grace), unattended chats,
// wrap-up. Each behaviour lives in its own file; this wires them.
import type { AgentState } from '../core/queue.js';
import type { Availability } from '../core/room-mode.js';
import { queueTexts, texts } from '../core/texts.js';
import type { Db, Queryable } from '../db/pool.js';
import { addEvent, type Conversation, type WaitingConversation } from '../db/repos/conversations.js';
import { wasUnmanaged } from '../db/repos/queue.js';
import type { Room } from '../db/repos/rooms.js';
import type { Logger } from '../log.js';
import type { MucService } from '../../components/muc/service.js';
import type { Occupant, RoomState } from '../../components/muc/state.js';
import type { AgentDirectory } from './agents.js';
import { CustomerGone } from './customer-gone.js';
import { DisconnectGrace } from './grace.js';
import { QueueStatusPusher } from './queue-status.js';
import { RoomGate } from './room-gate.js';
import type { RoutingHooks } from './routing.js';
import { Unattended } from './unattended.js';
import { WrapUps } from './wrap-up.js';

export interface QueueBehaviourDeps {
  db: Db; log: Logger; muc: MucService; agents: AgentDirectory;
  room(id: string): Promise<Room>;
  isAvailable(jid: string): boolean;
  kick(): Promise<void>;
  tellAgent(jid: string, text: string): void;
  /** Closes a chat as timed out (unattended), telling the customer `text`. */
  closeAsTimeout(conv: Conversation, text: string): Promise<void>;
  /** Closes a chat whose customer left while it waited, if it is still queued. */
  closeAbandoned(conversationId: string): Promise<void>;
  /** Least time between two rounds of queue-status pushes (default 1 s). */
  statusThrottleMs?: number;
}

export class QueueBehaviour implements RoutingHooks {
  readonly gate: RoomGate;
  readonly status: QueueStatusPusher;
  readonly grace: DisconnectGrace;
  readonly customerGone: CustomerGone;
  readonly unattended: Unattended;
  readonly wrapUps: WrapUps;

  constructor(private readonly d: QueueBehaviourDeps) {
    this.gate = new RoomGate({ db: d.db, availableAgents: () => this.availableAgents() });
    this.status = new QueueStatusPusher({ db: d.db, log: d.log, muc: d.muc, room: d.room, throttleMs: d.statusThrottleMs ?? 1000 });
    this.grace = new DisconnectGrace({ db: d.db, log: d.log, muc: d.muc, agents: d.agents, room: d.room, requeued: d.kick, tellAgent: d.tellAgent });
    this.customerGone = new CustomerGone({ log: d.log, room: d.room, closeIfQueued: d.closeAbandoned });
    this.unattended = new Unattended({ db: d.db, log: d.log, room: d.room, close: (conv) => d.closeAsTimeout(conv, queueTexts.unattended) });
    this.wrapUps = new WrapUps(d.db);
  }

  /** After a restart: wrap-ups, grace periods and unattended deadlines from the store. */
  async start(): Promise<void> {
    const waiting = await this.d.db.query("SELECT id FROM conversations WHERE status = 'queued' AND customer_joined_at IS NOT NULL AND channel = 'chat'");
    this.status.greeted(waiting.rows.map((r) => r.id as string));
    await this.wrapUps.restore();
    await this.grace.restore();
    await this.unattended.restore();
  }

  stop(): void { this.status.stop(); this.grace.stop(); this.customerGone.stop(); this.unattended.stop(); }

  availableAgents(): number { return this.d.agents.all().filter((a) => this.d.isAvailable(a.jid)).length; }

  availability(room: Room, now: number): Promise<Availability> { return this.gate.availability(room, now); }

  /** Inserts a new chat unless the room is offline (closed, full): RoomOfflineError. */
  admit<T>(room: Room, now: number, insert: (q: Queryable) => Promise<T>): Promise<T> { return this.gate.admit(room, now, insert); }

  // ---- routing hooks ----

  agentsForPlan(agents: AgentState[], now: number): { agents: AgentState[]; wakeAt: number | null } { return this.wrapUps.apply(agents, now); }

  dispatched(waiting: readonly WaitingConversation[], agents: readonly AgentState[]): void {
    this.status.update(waiting.map((c) => ({ id: c.id, roomId: c.roomId, departmentId: c.departmentId, createdAt: c.createdAt.getTime(), mucNode: c.mucNode })), agents.filter((a) => a.available).length);
  }

  async closed(conv: Conversation): Promise<void> { this.wrapUps.closed(conv, await this.d.room(conv.roomId), Date.now()); }

  // ---- conversation hooks ----

  /** The customer is in the room: told whether an agent is being offered the chat, it waits, or nobody is there (unmanaged). */
  async customerJoined(room: RoomState, occ: Occupant, offered: boolean): Promise<void> {
    const conv = room.conversation;
    let text = offered ? texts.waiting(occ.nick) : texts.noAgent(occ.nick);
    if (!offered && this.availableAgents() === 0) {
      const s = (await this.d.room(conv.roomId)).settings;
      text = queueTexts.unmanaged(occ.nick, { leaveNote: s.interactions.leaveEmail, email: s.publicProfile.contactEmail });
      await addEvent(this.d.db, conv.id, 'unmanaged', {});
    }
    await this.status.welcome(room, occ, text);
  }

  async agentJoined(room: RoomState, occ: Occupant): Promise<void> {
    await this.grace.joined(room, occ);
    await this.unattended.check(room.conversation);
  }

  async left(room: RoomState, occ: Occupant): Promise<void> {
    if (occ.kind === 'agent') await this.grace.left(room, occ);
    else await this.customerGone.left(room, occ);
  }

  stored(room: RoomState, occ: Occupant): void { this.unattended.stored(room, occ); }

  /** How an unserved chat ends: unmanaged when nobody could ever be offered it, else abandoned. */
  async unservedDisposition(conv: Conversation): Promise<'unmanaged' | 'abandoned'> {
    return (await wasUnmanaged(this.d.db, conv.id)) ? 'unmanaged' : 'abandoned';
  }
}
