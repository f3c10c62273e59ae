// The email service the rest of the process uses: enqueue an email from a
// template (rendered, checked and stored before anything is sent), and the
// outbox worker that delivers it. Flows (offline form, Add Alert, transcript
// request, profile edits) call these; the admin API reads usage and outbox.
import { randomUUID } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Config } from '../config.js';
import { invalid } from '../core/errors.js';
import type { Db } from '../db/pool.js';
import type { Logger } from '../log.js';
import { isAddress, normalizeRecipients } from './addresses.js';
import { countByStatus, getEmail, insertWithinQuota, listOutbox, type NewEmail, type OutboxQuery } from './outbox.js';
import { usageFrom } from './quota.js';
import { compileTemplates, renderEmail, type CompiledTemplates } from './render.js';
import { smtpFromUrl } from './smtp-settings.js';
import type { MailTemplates, TemplateName } from './templates/index.js';
import { transcriptData } from './transcript-data.js';
import type { EnqueuedEmail, FileAttachment, MailUsage, OutboxEmail, OutboxEntry, ProfileSource, Recipient, RecipientInput, SmtpProvider, SmtpSettings } from './types.js';
import { OutboxWorker } from './worker.js';

export interface MailServiceOptions {
  db: Db;
  cfg: Config;
  log: Logger;
  /** SMTP settings stored through the admin API. Order: these, else SMTP_URL, else .eml files. */
  smtp?: SmtpProvider;
  /** Attached files must live under this directory (default: the data dir). */
  attachmentsRoot?: string;
  /** How long a claim lasts unless renewed (default MAIL_LEASE_SECONDS): how soon an email left by a dead worker is tried again. */
  leaseSeconds?: number;
  pollMs?: number;
}

const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

export class MailService {
  readonly emlDir: string;
  private readonly worker: OutboxWorker;
  private templates: CompiledTemplates | null = null;
  private started = false;

  constructor(private readonly o: MailServiceOptions) {
    this.emlDir = resolve(o.cfg.dataDir, 'mail');
    const { cfg } = o;
    this.worker = new OutboxWorker({
      db: o.db, log: o.log, emlDir: this.emlDir, settings: () => this.smtpSettings(),
      retry: { baseSeconds: cfg.mailRetryBaseSeconds, maxSeconds: cfg.mailRetryMaxSeconds, giveUpHours: cfg.mailGiveUpHours },
      leaseSeconds: o.leaseSeconds ?? cfg.mailLeaseSeconds, pollMs: o.pollMs ?? 5_000,
    });
  }

  /** Compiles the templates (a broken one stops start-up) and starts delivering. */
  async start(): Promise<void> {
    this.templates = await compileTemplates();
    this.worker.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.worker.stop();
  }

  /**
   * Renders the template once and stores one email per recipient (so one bad
   * mailbox never holds up the others), each queued while the quota lasts and
   * refused_quota past it. Throws AppError 'invalid' naming the field
   * (`recipients[1]`, `data.customer.email`) before anything is stored.
   */
  async enqueue<T extends TemplateName>(template: T, data: MailTemplates[T], recipients: readonly RecipientInput[], opts: { conversationId?: string } = {}): Promise<EnqueuedEmail[]> {
    const to = normalizeRecipients(recipients);
    const rendered = renderEmail(this.templates ?? await compileTemplates(), template, data, { fallback: this.fallbackSender() });
    const attachments = template === 'offline-message' ? this.files(data as MailTemplates['offline-message']) : [];
    const domain = rendered.sender.contactEmail.split('@').pop() || this.o.cfg.xmppDomain;
    const batchId = randomUUID();
    const rows: NewEmail[] = to.map((r) => {
      const id = randomUUID();
      return {
        id, messageId: `<${id}@${domain}>`, batchId, template, conversationId: opts.conversationId ?? null,
        recipient: r.address, recipientName: r.name, fromName: rendered.sender.companyName, fromAddress: rendered.sender.contactEmail,
        replyTo: rendered.replyTo, subject: rendered.subject, html: rendered.html, text: rendered.text, attachments,
        autoSubmitted: rendered.autoSubmitted,
      };
    });
    const out = await insertWithinQuota(this.o.db, rows, this.o.cfg.mailQuota);
    const refused = out.filter((e) => e.status === 'refused_quota').length;
    if (refused) this.o.log.warn(`mail: ${refused} ${template} email(s) refused: quota of ${this.o.cfg.mailQuota} reached`);
    if (this.started && refused < out.length) this.worker.kick();
    return out;
  }

  /** The transcript without private notes, to `to` or else the customer's address from the form. */
  async sendTranscript(conversationId: string, o: { profile: ProfileSource; to?: RecipientInput }): Promise<EnqueuedEmail[]> {
    const { customerEmail, ...data } = await transcriptData(this.o.db, conversationId);
    const to = o.to ?? customerEmail;
    if (!to) throw invalid('to', 'the conversation has no customer email address; give one');
    return this.enqueue('transcript', { ...data, profile: o.profile }, [to], { conversationId });
  }

  /** Administrators with an email address: who gets the profile-edited notice. */
  async administrators(): Promise<Recipient[]> {
    const r = await this.o.db.query(`SELECT name, email FROM agents
      WHERE role = 'administrator' AND email IS NOT NULL AND deleted_at IS NULL ORDER BY created_at`);
    return r.rows.filter((a) => isAddress(a.email)).map((a) => ({ name: a.name, address: a.email }));
  }

  async usage(): Promise<MailUsage> {
    return usageFrom(await countByStatus(this.o.db), this.o.cfg.mailQuota);
  }

  /** Newest first, without bodies; `emlPath` is set for emails written as files. */
  outbox(q: OutboxQuery = {}): Promise<{ items: OutboxEntry[]; total: number }> {
    return listOutbox(this.o.db, q);
  }

  email(id: string): Promise<OutboxEmail | null> {
    return getEmail(this.o.db, id);
  }

  /** Delivers everything due now, without waiting for the worker; returns how many were attempted. */
  drain(): Promise<number> {
    return this.worker.drain();
  }

  /** The settings deliveries use now: the admin API's, else SMTP_URL, else null (.eml files). */
  async smtpSettings(): Promise<SmtpSettings | null> {
    const stored = await this.o.smtp?.();
    if (stored) return stored;
    const { smtpUrl, smtpFrom } = this.o.cfg;
    return smtpUrl ? smtpFromUrl(smtpUrl, smtpFrom || undefined) : null;
  }

  private fallbackSender() {
    return { companyName: 'Switchboard', address: this.o.cfg.smtpFrom || `no-reply@${this.o.cfg.xmppDomain}` };
  }

  /** Files to attach: each an existing regular file under the attachments root. */
  private files(d: MailTemplates['offline-message']): FileAttachment[] {
    const out: FileAttachment[] = [];
    (d.attachments ?? []).forEach((a, i) => {
      if (!a.path) return;
      const field = `data.attachments[${i}].path`;
      const root = realpathSync(resolve(this.o.attachmentsRoot ?? this.o.cfg.dataDir));
      let real: string;
      try { real = realpathSync(a.path); } catch { throw invalid(field, 'no such file'); }
      if (!real.startsWith(root + sep)) throw invalid(field, 'must be a file under the data directory');
      const st = statSync(real);
      if (!st.isFile()) throw invalid(field, 'is not a regular file');
      if (st.size > MAX_ATTACHMENT_BYTES) throw invalid(field, `is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
      out.push({ filename: a.filename, path: real, ...(a.contentType ? { contentType: a.contentType } : {}) });
    });
    return out;
  }
}
