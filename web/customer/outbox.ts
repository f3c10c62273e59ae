// The customer's messages between "Send" and the room's reflection of them.
// A line stays pending until the reflection (matched by origin-id, XEP-0359)
// arrives. A bounced message is sent again after RETRY_MS for up to GIVE_UP_MS:
// while our component restarts, Prosody answers with an error instead of
// queueing. While we are not in the room, messages wait for flush().
import { randomId } from './dom.js';

export const RETRY_MS = 2_000;
export const GIVE_UP_MS = 60_000;

export interface OutboxPorts {
  /** True when a message sent now would reach the room. */
  canSend(): boolean;
  /** Sends the message stanza; rejects if the connection is down. */
  send(id: string, body: string, oob: boolean): Promise<void>;
  /** Shows a new pending line; returns a handle for the calls below. `oob`: the body is an uploaded file's URL. */
  show(body: string, oob: boolean): HTMLLIElement;
  delivered(line: HTMLLIElement): void;
  failed(line: HTMLLIElement, retry: () => void): void;
  /** The customer asked to try a failed message again: pending once more. */
  retrying(line: HTMLLIElement): void;
  /** What is still undelivered, after every change (kept across a reload of the page). */
  persist?(pending: PendingMessage[]): void;
}

export interface PendingMessage { id: string; body: string; oob?: boolean }
interface Pending { id: string; body: string; oob: boolean; line: HTMLLIElement; since: number; timer?: ReturnType<typeof setTimeout>; failed: boolean }

export class Outbox {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly ports: OutboxPorts, private readonly now = () => Date.now()) {}

  /** Queues a new message and sends it if we can; returns its origin-id. */
  add(body: string, oob = false): string {
    const id = this.queue(body, undefined, oob);
    this.trySend(id);
    return id;
  }

  /** Queues without sending (the next flush() sends it); `id`: one kept from before a reload. */
  queue(body: string, id = randomId(), oob = false): string {
    this.pending.set(id, { id, body, oob, line: this.ports.show(body, oob), since: this.now(), failed: false });
    this.save();
    return id;
  }

  private save(): void {
    this.ports.persist?.([...this.pending.values()].map((p) => ({ id: p.id, body: p.body, ...(p.oob ? { oob: true } : {}) })));
  }

  /** The room reflected a message with this origin-id: true if it was ours and pending. */
  delivered(originId: string | undefined): boolean {
    const p = originId === undefined ? undefined : this.pending.get(originId);
    if (!p) return false;
    clearTimeout(p.timer);
    this.pending.delete(p.id);
    this.save();
    this.ports.delivered(p.line);
    return true;
  }

  /** The message with this id bounced; retry later or give up. */
  bounced(id: string | undefined): void {
    const p = id === undefined ? undefined : this.pending.get(id);
    if (!p || p.failed) return;
    clearTimeout(p.timer);
    if (this.now() - p.since >= GIVE_UP_MS) {
      p.failed = true;
      this.ports.failed(p.line, () => this.retry(p.id));
      return;
    }
    p.timer = setTimeout(() => { p.timer = undefined; this.trySend(p.id); }, RETRY_MS);
  }

  /** We are (back) in the room: send everything still waiting. */
  flush(): void {
    for (const p of this.pending.values()) {
      if (!p.failed && p.timer === undefined) this.trySend(p.id);
    }
  }

  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.save();
  }

  private retry(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    p.failed = false;
    p.since = this.now();
    this.ports.retrying(p.line);
    this.trySend(id);
  }

  private trySend(id: string): void {
    const p = this.pending.get(id);
    if (!p || !this.ports.canSend()) return;
    // A rejected send means the connection dropped: flush() after the rejoin sends it.
    this.ports.send(p.id, p.body, p.oob).catch(() => {});
  }
}
