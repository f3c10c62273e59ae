// Unattended chats (seed 002 "disposed as Timeout"): an active chat whose
// customer has waited the room's unattendedTimeoutSeconds for an answer from
// the agent is closed with disposition "timeout", and the customer is told.
// Timers are armed from messages as they are stored; when one fires the
// deadline is computed again from the stored messages (core/unattended.ts),
// so a timer armed early only costs a lookup. Rebuilt from the store after a
// restart.
import { unattendedDeadline } from '../core/unattended.js';
import type { Db } from '../db/pool.js';
import { conversationById, type Conversation } from '../db/repos/conversations.js';
import { activeTimelines, type ActiveTimeline } from '../db/repos/queue.js';
import type { Room } from '../db/repos/rooms.js';
import type { Logger } from '../log.js';
import type { Occupant, RoomState } from '../../components/muc/state.js';

export interface UnattendedDeps {
  db: Db; log: Logger;
  room(id: string): Promise<Room>;
  /** Closes the chat as timed out, telling the customer. */
  close(conv: Conversation): Promise<void>;
}

export class Unattended {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly d: UnattendedDeps) {}

  /** A message was stored in the room: an agent's answers; a customer's may start the wait. */
  stored(room: RoomState, occ: Occupant): void {
    const conv = room.conversation;
    if (conv.status !== 'active') return;
    if (occ.kind === 'agent') { this.clear(conv.id); return; }
    if (this.timers.has(conv.id)) return;
    const armedAt = Date.now();
    void this.d.room(conv.roomId).then((r) => {
      const s = r.settings.unattendedTimeoutSeconds;
      if (s > 0 && !this.timers.has(conv.id)) this.arm(conv.id, armedAt + s * 1000);
    }).catch((e: Error) => this.d.log.error(`unattended: ${e.stack}`));
  }

  /** An agent took the chat: a customer who wrote before waits from now on. */
  async check(conv: Conversation): Promise<void> {
    if ((await this.d.room(conv.roomId)).settings.unattendedTimeoutSeconds <= 0) return; // no lookup in rooms without the rule
    for (const t of await activeTimelines(this.d.db, conv.id)) await this.schedule(t);
  }

  async restore(): Promise<void> {
    for (const t of await activeTimelines(this.d.db)) await this.schedule(t);
  }

  stop(): void { for (const t of this.timers.values()) clearTimeout(t); this.timers.clear(); }

  private async schedule(t: ActiveTimeline): Promise<number | null> {
    const due = deadline(t, (await this.d.room(t.roomId)).settings.unattendedTimeoutSeconds);
    this.clear(t.id);
    if (due !== null) this.arm(t.id, due);
    return due;
  }

  private arm(id: string, at: number): void {
    this.timers.set(id, setTimeout(() => {
      this.timers.delete(id);
      this.fire(id).catch((e: Error) => this.d.log.error(`unattended ${id}: ${e.stack}`));
    }, Math.max(0, at - Date.now())));
  }

  private clear(id: string): void {
    const t = this.timers.get(id);
    if (t) { clearTimeout(t); this.timers.delete(id); }
  }

  private async fire(id: string): Promise<void> {
    const [t] = await activeTimelines(this.d.db, id);
    if (!t) return;
    const due = deadline(t, (await this.d.room(t.roomId)).settings.unattendedTimeoutSeconds);
    if (due === null) return;
    if (due > Date.now()) { if (!this.timers.has(id)) this.arm(id, due); return; }
    const conv = await conversationById(this.d.db, id);
    if (conv?.status === 'active') await this.d.close(conv);
  }
}

function deadline(t: ActiveTimeline, timeoutSeconds: number): number | null {
  const messages: Array<{ from: 'agent' | 'customer'; at: number }> = [];
  if (t.lastAgentAt) messages.push({ from: 'agent', at: t.lastAgentAt.getTime() });
  if (t.firstCustomerAt) messages.push({ from: 'customer', at: t.firstCustomerAt.getTime() });
  return unattendedDeadline({ acceptedAt: t.acceptedAt.getTime(), messages }, timeoutSeconds);
}
