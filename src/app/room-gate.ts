// Offline mode at the door of a room (seed 002): a chat cannot start outside
// the room's working hours or once its maxConcurrentSessions are open; the
// customer page then offers the leave-a-note form. Also the room's mode for
// its public view (online / offline / unmanaged).
import { isOpen } from '../core/room-hours.js';
import { isFull, roomMode, RoomOfflineError, type Availability } from '../core/room-mode.js';
import { queueTexts } from '../core/texts.js';
import { inTransaction, type Db, type Queryable } from '../db/pool.js';
import { lockRoomForStart, openSessions } from '../db/repos/queue.js';
import type { Room } from '../db/repos/rooms.js';

export class RoomGate {
  constructor(private readonly d: { db: Db; availableAgents: () => number }) {}

  async availability(room: Room, now: number): Promise<Availability> {
    const max = room.settings.maxConcurrentSessions;
    return roomMode({
      open: isOpen(room.settings.hours, now), maxConcurrentSessions: max,
      openSessions: max > 0 ? await openSessions(this.d.db, room.id) : 0, agentsAvailable: this.d.availableAgents(),
    });
  }

  /**
   * Runs `insert` (the new chat) unless the room is offline. With a limit, the
   * count and the insert run under a lock on the room's row, so chats started
   * at the same instant cannot overshoot it.
   */
  async admit<T>(room: Room, now: number, insert: (q: Queryable) => Promise<T>): Promise<T> {
    if (!isOpen(room.settings.hours, now)) throw new RoomOfflineError('closed', queueTexts.roomClosedNow);
    const max = room.settings.maxConcurrentSessions;
    if (max <= 0) return insert(this.d.db);
    return inTransaction(this.d.db, async (tx) => {
      await lockRoomForStart(tx, room.id);
      if (isFull(max, await openSessions(tx, room.id))) throw new RoomOfflineError('full', queueTexts.roomFull(max));
      return insert(tx);
    });
  }
}
