// Holds an outbox claim while its email is being sent. The claim is a lease
// (outbox.ts claimNext); a send may outlast it — a slow server, a large
// attachment — and another worker would then claim the row and send a second
// copy. So the lease is renewed while the send runs, fenced by the attempt
// counter; when it cannot be kept (another worker holds the row now, or the
// database has not confirmed it for most of a lease) the send is aborted:
// an SMTP server keeps nothing of a message whose DATA never ended.
import type { Queryable } from '../db/pool.js';
import { renewLease } from './outbox.js';
import type { OutboxEmail } from './types.js';

export interface LeaseOptions {
  db: Queryable;
  email: Pick<OutboxEmail, 'id' | 'attempts'>;
  leaseSeconds: number;
  /** Monotonic milliseconds (tests may pass their own). */
  now?: () => number;
}

/** Renewed every quarter lease; given up once three quarters pass without a renewal. */
export const RENEW_FRACTION = 0.25;
export const GIVE_UP_FRACTION = 0.75;

export class ClaimLease {
  private readonly ac = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private renewedAt: number;
  private renewing = false;
  /** Why the claim was lost, or null while it is held. */
  lost: string | null = null;

  constructor(private readonly o: LeaseOptions) {
    this.now = o.now ?? (() => performance.now());
    this.renewedAt = this.now();
    this.timer = setInterval(() => void this.tick(), Math.max(100, o.leaseSeconds * 1000 * RENEW_FRACTION));
  }

  /** Aborted when the claim is lost: pass it to the send. */
  get signal(): AbortSignal { return this.ac.signal; }

  stop(): void { clearInterval(this.timer); }

  private async tick(): Promise<void> {
    if (this.lost) return;
    // Checked before anything else: a renewal stuck on an unreachable database must not keep the send going.
    if (this.now() - this.renewedAt > this.o.leaseSeconds * 1000 * GIVE_UP_FRACTION) {
      return this.lose('its lease could not be renewed in time');
    }
    if (this.renewing) return;
    this.renewing = true;
    try {
      if (await renewLease(this.o.db, this.o.email, this.o.leaseSeconds)) this.renewedAt = this.now();
      else this.lose('another worker claimed it after its lease ran out');
    } catch {
      // The database is away: tried again next tick, until the give-up point above.
    } finally {
      this.renewing = false;
    }
  }

  private lose(why: string): void {
    if (this.lost) return;
    this.lost = why;
    this.ac.abort(new Error(why));
  }
}
