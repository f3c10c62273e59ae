// Delivers the outbox: claims one due email at a time, sends it, records the
// outcome. Wakes when an email is enqueued here, when the next retry is due,
// and at least every pollMs (emails enqueued by another process).
//
// An email is sent once, except in one window SMTP itself leaves open. Claims
// are atomic (SKIP LOCKED) and the attempt counter fences every later update
// against a stale worker. A claim is a lease, renewed while the send runs and
// the send aborted when the lease cannot be kept (lease.ts), so a slow send
// is never claimed and sent by a second worker. Once the server has taken the
// email, recording it is retried until the database answers: a database
// hiccup does not make the email look unsent.
//
// The window: our process dies after the SMTP server accepted the email but
// before the row says 'sent' (or the connection drops between the end of the
// message and the server's reply, RFC 1047). No protocol step can tell us the
// server has it, so the lease runs out and the email is sent again — with the
// same Message-ID and Date, so mail clients can recognise the copy. The
// alternative (at-most-once: give up on such rows) would silently lose a
// customer's message; a rare duplicate is the lesser harm.
import type { Db } from '../db/pool.js';
import type { Logger } from '../log.js';
import { ClaimLease } from './lease.js';
import { claimNext, markFailed, markRetry, markSent, msUntilDue } from './outbox.js';
import { backoffSeconds, classifyFailure, errorText } from './retry.js';
import { openTransport, type Delivery, type MailTransport } from './transport.js';
import type { OutboxEmail, SmtpSettings } from './types.js';

const RECORD_TRIES_WHEN_STOPPING = 5;

export interface WorkerOptions {
  db: Db;
  log: Logger;
  settings: () => Promise<SmtpSettings | null>;
  emlDir: string;
  retry: { baseSeconds: number; maxSeconds: number; giveUpHours: number };
  /** How long a claim lasts unless renewed; renewed every quarter of it while the email is being sent. */
  leaseSeconds: number;
  pollMs: number;
}

export class OutboxWorker {
  private running: Promise<void> | null = null;
  private stopping = false;
  private kicked = false;
  private wake: (() => void) | null = null;

  constructor(private readonly o: WorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Lets the email being sent finish, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  /** Something was enqueued: run a pass now. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Delivers every email due now, whether or not the loop runs; returns how many were attempted. */
  drain(): Promise<number> {
    return this.pass(() => false);
  }

  /**
   * One delivery pass over the emails due when it starts, each tried once.
   * The settings are read, and a transport opened, only once there is
   * something to send: an idle pass costs one query.
   */
  private async pass(stopNow: () => boolean): Promise<number> {
    let transport: MailTransport | null = null;
    let horizon: Date | null = null;
    let n = 0;
    try {
      while (!stopNow()) {
        const claim = await claimNext(this.o.db, this.o.leaseSeconds, horizon);
        if (!claim) break;
        const { email } = claim;
        horizon ??= claim.at;
        n++;
        if (!transport) {
          try { transport = openTransport(await this.o.settings(), this.o.emlDir); } catch (e) {
            await this.retryLater(email, e); // the settings cannot be read: nothing else can go either
            break;
          }
        }
        await this.deliver(transport, email);
      }
    } finally {
      transport?.close();
    }
    return n;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.kicked = false;
      try { await this.pass(() => this.stopping); } catch (e) { this.o.log.warn(`mail: delivery pass failed: ${errorText(e)}`); }
      if (this.stopping) break;
      let wait = this.o.pollMs;
      try {
        const due = await msUntilDue(this.o.db);
        if (due !== null) wait = Math.min(wait, Math.max(due, 50));
      } catch { /* the database is away: poll again later */ }
      await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.kicked || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { clearTimeout(t); this.wake = null; resolve(); };
      const t = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async deliver(t: MailTransport, e: OutboxEmail): Promise<void> {
    const lease = new ClaimLease({ db: this.o.db, email: e, leaseSeconds: this.o.leaseSeconds });
    let res;
    try {
      res = await t.send(e, lease.signal);
    } catch (err) {
      lease.stop();
      if (lease.lost) {
        this.o.log.warn(`mail ${e.id} to ${e.recipient}: send stopped, ${lease.lost}; the row goes to whoever claims it once its lease has run out`);
        return;
      }
      if (classifyFailure(err) !== 'permanent') return this.retryLater(e, err);
      const why = errorText(err);
      await markFailed(this.o.db, e, why);
      this.o.log.warn(`mail ${e.id} (${e.template}) to ${e.recipient} failed for good: ${why}`);
      return;
    }
    try {
      await this.recordSent(t, e, res);
    } finally {
      lease.stop();
    }
  }

  /**
   * The server has the email: an unrecorded send would be sent again once the
   * lease runs out, so a failed update is retried every second at most until
   * the database answers — or, when stopping, a few times.
   */
  private async recordSent(t: MailTransport, e: OutboxEmail, res: Delivery): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        if (await markSent(this.o.db, e, res)) this.o.log.debug(`mail ${e.id} (${e.template}) to ${e.recipient} sent via ${t.kind}`);
        else this.o.log.warn(`mail ${e.id}: sent, but its lease had run out and another worker claimed it; both copies carry Message-ID ${e.messageId}`);
        return;
      } catch (err) {
        if (this.stopping && i >= RECORD_TRIES_WHEN_STOPPING) {
          this.o.log.error(`mail ${e.id} to ${e.recipient}: sent, but not recorded (${errorText(err)}); it will be sent again once its lease runs out, same Message-ID`);
          return;
        }
        this.o.log.warn(`mail ${e.id} to ${e.recipient}: sent; recording it failed (${errorText(err)}), trying again`);
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** i, 1_000)));
      }
    }
  }

  private async retryLater(e: OutboxEmail, err: unknown): Promise<void> {
    const { retry, log } = this.o;
    const why = errorText(err);
    const delay = backoffSeconds(e.attempts, retry.baseSeconds, retry.maxSeconds);
    const status = await markRetry(this.o.db, e, { delaySeconds: delay, giveUpHours: retry.giveUpHours, error: why });
    if (status === 'failed') log.warn(`mail ${e.id} to ${e.recipient}: giving up after ${e.attempts} attempts over ${retry.giveUpHours} h: ${why}`);
    else log.info(`mail ${e.id} to ${e.recipient}: attempt ${e.attempts} failed (${why}); next in ${delay} s`);
  }
}
