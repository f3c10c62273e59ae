// An agent leaving an active chat without closing it (lost connection, client
// quit: XEP-0045 unavailable presence, or found gone after our restart): the
// customer is told at once; if the agent is not back within the room's
// disconnectGraceSeconds the chat goes back to the queue — one guarded UPDATE —
// with its history, and is offered to other agents. Coming back in time
// changes nothing.
import { requeueAt } from '../core/grace.js';
import { queueTexts } from '../core/texts.js';
import type { Db } from '../db/pool.js';
import { conversationById } from '../db/repos/conversations.js';
import { activeWithoutOwner, requeueAbandoned } from '../db/repos/queue.js';
import type { Room } from '../db/repos/rooms.js';
import type { Logger } from '../log.js';
import { notice } from '../../components/muc/message.js';
import type { MucService } from '../../components/muc/service.js';
import type { Occupant, RoomState } from '../../components/muc/state.js';
import type { AgentDirectory } from './agents.js';

export interface GraceDeps {
  db: Db; log: Logger; muc: MucService; agents: AgentDirectory;
  room(id: string): Promise<Room>;
  /** The chat is queued again: route it. */
  requeued(): Promise<void>;
  tellAgent(jid: string, text: string): void;
}

export class DisconnectGrace {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly d: GraceDeps) {}

  async left(room: RoomState, occ: Occupant): Promise<void> {
    const conv = room.conversation;
    const stillIn = [...room.occupants.values()].some((o) => o.agentId !== null && o.agentId === occ.agentId);
    const grace = (await this.d.room(conv.roomId)).settings.disconnectGraceSeconds;
    const at = requeueAt({ status: conv.status, ownerId: conv.agentId, leftAgentId: occ.agentId, stillIn, leftAt: Date.now(), graceSeconds: grace });
    if (at === null || this.timers.has(conv.id)) return;
    this.arm(conv.id, occ.agentId!, at);
    await notice(this.d.muc, room, queueTexts.agentDisconnected(occ.nick, grace));
  }

  async joined(room: RoomState, occ: Occupant): Promise<void> {
    const t = this.timers.get(room.conversation.id);
    if (!t || occ.kind !== 'agent' || occ.agentId !== room.conversation.agentId) return;
    clearTimeout(t);
    this.timers.delete(room.conversation.id);
    await notice(this.d.muc, room, queueTexts.agentBack(occ.nick));
  }

  /** After a restart: active chats whose agent is in no session of the room get the rest of their grace. */
  async restore(): Promise<void> {
    for (const a of await activeWithoutOwner(this.d.db)) {
      const grace = (await this.d.room(a.roomId)).settings.disconnectGraceSeconds;
      this.arm(a.conversationId, a.agentId, (a.leftAt?.getTime() ?? Date.now()) + grace * 1000);
    }
  }

  stop(): void { for (const t of this.timers.values()) clearTimeout(t); this.timers.clear(); }

  private arm(conversationId: string, agentId: string, at: number): void {
    this.timers.set(conversationId, setTimeout(() => {
      this.timers.delete(conversationId);
      this.requeue(conversationId, agentId).catch((e: Error) => this.d.log.error(`requeue ${conversationId}: ${e.stack}`));
    }, Math.max(0, at - Date.now())));
  }

  private async requeue(conversationId: string, agentId: string): Promise<void> {
    const agent = this.d.agents.byId(agentId);
    if (!(await requeueAbandoned(this.d.db, conversationId, agentId, agent?.jid ?? null))) return;
    const conv = (await conversationById(this.d.db, conversationId))!;
    const room = this.d.muc.rooms.get(conv.mucNode);
    if (room) {
      room.conversation = conv; // joins are admitted from this copy: the chat is open to claims again
      await notice(this.d.muc, room, queueTexts.requeued);
    }
    if (agent) this.d.tellAgent(agent.jid, queueTexts.requeuedAgent(conv.customerName));
    await this.d.requeued();
  }
}
