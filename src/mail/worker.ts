// Delivers the outbox: claims one due email at a time, sends it, records the
// outcome. Wakes when an email is enqueued here, when the next retry is due,
// and at least every pollMs (emails enqueued by another process).
//
// Delivery is at-least-once, deliberately. A claim is a lease; if our process
// dies after the SMTP server accepted an email but before the row says 'sent',
// the lease runs out and the email is sent again — with the same Message-ID
// and Date, so mail clients can recognise the copy. The alternative
// (at-most-once: give up on rows whose lease ran out) would silently lose a
// customer's message in that window; a rare duplicate is the lesser harm.
// Outside that window an email is sent once: claims are atomic (SKIP LOCKED),
// and the attempt counter fences every update against a stale worker.
import type { Db } from '../db/pool.js';
import type { Logger } from '../log.js';
import { claimNext, markFailed, markRetry, markSent, msUntilDue } from './outbox.js';
import { backoffSeconds, classifyFailure, errorText } from './retry.js';
import { openTransport, type MailTransport } from './transport.js';
import type { OutboxEmail, SmtpSettings } from './types.js';

export interface WorkerOptions {
  db: Db;
  log: Logger;
  settings: () => Promise<SmtpSettings | null>;
  emlDir: string;
  retry: { baseSeconds: number; maxSeconds: number; giveUpHours: number };
  /** How long a claim lasts; far above the SMTP timeouts (smtp-settings.ts). */
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
    let res;
    try {
      res = await t.send(e);
    } catch (err) {
      if (classifyFailure(err) !== 'permanent') return this.retryLater(e, err);
      const why = errorText(err);
      await markFailed(this.o.db, e, why);
      this.o.log.warn(`mail ${e.id} (${e.template}) to ${e.recipient} failed for good: ${why}`);
      return;
    }
    if (await markSent(this.o.db, e, res)) this.o.log.debug(`mail ${e.id} (${e.template}) to ${e.recipient} sent via ${t.kind}`);
    else this.o.log.warn(`mail ${e.id}: sent, but its lease had run out and another worker claimed it; both copies carry Message-ID ${e.messageId}`);
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
