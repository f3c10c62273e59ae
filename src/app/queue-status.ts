// Queue position and estimated wait, pushed to every waiting customer when
// they change (issue 4). The customer page gets, from the MUC room itself, a
// groupchat message with a text for any client and a machine-readable
//   <queue xmlns='urn:switchboard:queue' position='2' eta='45' state='waiting'/>
// (eta in seconds, left out when unknown; state 'unmanaged' = no agent is
// available at all), marked <no-store/> (XEP-0334) and never stored in the
// conversation's history. The first one goes with the notice the customer gets
// on joining; then one per change, at most one round per throttle interval.
import { ETA_SAMPLE, median } from '../core/eta.js';
import { queueStatuses, sameStatus, type QueuedChat, type QueueStatus } from '../core/queue-status.js';
import { queueTexts } from '../core/texts.js';
import type { Db } from '../db/pool.js';
import { recentWaits } from '../db/repos/queue.js';
import type { Room } from '../db/repos/rooms.js';
import type { Logger } from '../log.js';
import type { MucService } from '../../components/muc/service.js';
import type { Occupant, RoomState } from '../../components/muc/state.js';
import { xml } from '../../components/xmpp.js';

export const NS_QUEUE = 'urn:switchboard:queue';
/** How long a room's median wait is reused before it is read again. */
const MEDIAN_TTL_MS = 10_000;
/**
 * A round that told many customers delays the next by this much per customer
 * told: with a long queue every claim moves everyone, and telling thousands
 * of customers every second would slow the very routing that shortens it.
 */
const SPACING_PER_PUSH_MS = 5;

export interface WaitingChat extends QueuedChat { mucNode: string }

export interface QueueStatusDeps { db: Db; log: Logger; muc: MucService; room(id: string): Promise<Room>; throttleMs: number }

export class QueueStatusPusher {
  private waiting: WaitingChat[] = [];
  private availableAgents = 0;
  /** Last status pushed per waiting chat; present = the customer was greeted, so changes are pushed. */
  private readonly sent = new Map<string, QueueStatus | null>();
  private readonly medians = new Map<string, { value: number | null; at: number }>();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private nextRunAt = 0;
  private stopped = false;

  constructor(private readonly d: QueueStatusDeps) {}

  /** Chats already waiting when we (re)started: their customers were greeted by the previous run. */
  greeted(ids: Iterable<string>): void { for (const id of ids) if (!this.sent.has(id)) this.sent.set(id, null); }

  /** After each dispatch: who waits now, and how many agents are available. */
  update(waiting: WaitingChat[], availableAgents: number): void {
    this.waiting = waiting;
    this.availableAgents = availableAgents;
    const ids = new Set(waiting.map((w) => w.id));
    for (const id of this.sent.keys()) if (!ids.has(id)) this.sent.delete(id);
    this.schedule();
  }

  availableNow(): number { return this.availableAgents; }

  /** A waiting conversation's place and estimated wait as last pushed (the page's poll asks the same). */
  statusOf(conversationId: string): QueueStatus | undefined { return this.statuses().get(conversationId); }

  /** The customer's joining notice, with their queue status when they are in the queue. */
  async welcome(room: RoomState, occ: Occupant, text: string): Promise<void> {
    const status = this.statuses().get(room.conversation.id);
    this.send(room, [occ], text, status);
    this.sent.set(room.conversation.id, status ?? null);
  }

  stop(): void { this.stopped = true; if (this.timer) clearTimeout(this.timer); }

  private statuses(): Map<string, QueueStatus> {
    return queueStatuses(this.waiting, { medianWaitSeconds: (roomId) => this.medians.get(roomId)?.value ?? null, availableAgents: this.availableAgents });
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    if (this.running) { this.again = true; return; }
    const delay = Math.max(0, this.nextRunAt - Date.now());
    this.timer = setTimeout(() => { this.timer = undefined; this.running = this.push().catch((e: Error) => this.d.log.error(`queue status: ${e.stack}`)).finally(() => {
      this.running = null;
      if (this.again) { this.again = false; this.schedule(); }
    }); }, delay);
  }

  private async push(): Promise<void> {
    const now = Date.now();
    this.nextRunAt = now + this.d.throttleMs;
    const stale = [...new Set(this.waiting.map((w) => w.roomId))].filter((id) => (this.medians.get(id)?.at ?? 0) + MEDIAN_TTL_MS < now);
    if (stale.length) {
      const waits = await recentWaits(this.d.db, stale, ETA_SAMPLE);
      for (const id of stale) this.medians.set(id, { value: median(waits.get(id) ?? []), at: now });
    }
    let told = 0;
    const statuses = this.statuses();
    for (const w of this.waiting) {
      const status = statuses.get(w.id)!;
      if (!this.sent.has(w.id) || sameStatus(this.sent.get(w.id) ?? undefined, status)) continue;
      const room = this.d.muc.rooms.get(w.mucNode);
      const customers = room ? [...room.occupants.values()].filter((o) => o.kind === 'customer') : [];
      if (!room || customers.length === 0) continue;
      const settings = (await this.d.room(w.roomId)).settings;
      const text = status.state === 'unmanaged'
        ? queueTexts.positionUnmanaged(status.position, { leaveNote: settings.interactions.leaveEmail, email: settings.publicProfile.contactEmail })
        : queueTexts.position(status.position, status.etaSeconds);
      this.send(room, customers, text, status);
      this.sent.set(w.id, status);
      told++;
    }
    this.nextRunAt = Math.max(this.nextRunAt, now + told * SPACING_PER_PUSH_MS);
  }

  private send(room: RoomState, to: Occupant[], text: string, status: QueueStatus | undefined): void {
    const id = `q-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    for (const o of to) {
      this.d.muc.send(xml('message', { from: room.jid, to: o.realJid, type: 'groupchat', id },
        xml('body', {}, text),
        status ? xml('queue', { xmlns: NS_QUEUE, position: String(status.position), eta: status.etaSeconds === null ? undefined : String(status.etaSeconds), state: status.state }) : null,
        xml('no-store', { xmlns: 'urn:xmpp:hints' })));
    }
  }
}
