// A customer who leaves the MUC room while still waiting in the queue (tab
// closed, connection lost for good): agents must not go on being offered a
// room nobody waits in. The customer has the room's disconnectGraceSeconds to
// come back (a reload or a dropped connection rejoins well within it, see the
// customer page's resume); after that the chat is closed as abandoned (or
// unmanaged) by one guarded UPDATE (still queued), which withdraws its offers.
// An agent who takes the chat meanwhile keeps it: the customer may still come back.
import type { Room } from '../db/repos/rooms.js';
import type { Logger } from '../log.js';
import type { Occupant, RoomState } from '../../components/muc/state.js';

export interface CustomerGoneDeps {
  log: Logger;
  room(id: string): Promise<Room>;
  /** Closes the chat if it is still queued. */
  closeIfQueued(conversationId: string): Promise<void>;
}

export class CustomerGone {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly d: CustomerGoneDeps) {}

  async left(room: RoomState, occ: Occupant): Promise<void> {
    const conv = room.conversation;
    if (occ.kind !== 'customer' || conv.status !== 'queued' || this.timers.has(conv.id)) return;
    // Another session of the customer (a second tab) is still there.
    if ([...room.occupants.values()].some((o) => o.kind === 'customer')) return;
    const grace = (await this.d.room(conv.roomId)).settings.disconnectGraceSeconds;
    if (this.timers.has(conv.id)) return;
    this.timers.set(conv.id, setTimeout(() => {
      this.timers.delete(conv.id);
      // Back while the room's settings were read, before the timer existed: nothing to do.
      if ([...room.occupants.values()].some((o) => o.kind === 'customer')) return;
      this.d.closeIfQueued(conv.id).catch((e: Error) => this.d.log.error(`abandoned chat ${conv.id}: ${e.stack}`));
    }, Math.max(0, grace) * 1000));
  }

  joined(room: RoomState, occ: Occupant): void {
    if (occ.kind !== 'customer') return;
    const t = this.timers.get(room.conversation.id);
    if (t) { clearTimeout(t); this.timers.delete(room.conversation.id); }
  }

  stop(): void { for (const t of this.timers.values()) clearTimeout(t); this.timers.clear(); }
}
