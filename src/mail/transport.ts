// Where an email goes: an SMTP server, or — with none configured — an .eml
// file under <dataDir>/mail/ (the embedded default, listed by the admin API).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { smtpTransportOptions } from './smtp-settings.js';
import type { OutboxEmail, SmtpSettings } from './types.js';

export interface Delivery { emlPath: string | null; response: string | null }

export interface MailTransport {
  readonly kind: 'smtp' | 'eml';
  /** `signal` aborts a send in progress (the connection is closed before the message is complete). */
  send(e: OutboxEmail, signal?: AbortSignal): Promise<Delivery>;
  close(): void;
}

/**
 * The message exactly as stored: the Message-ID and Date fixed at enqueue, so
 * every attempt produces the same email. With a forced From (the SMTP
 * account's own address) the profile's address moves to Reply-To.
 */
export function toMessage(e: OutboxEmail, forcedFrom: string | null): SendMailOptions {
  const from = forcedFrom ?? e.fromAddress;
  const replyTo = e.replyTo ?? (from.toLowerCase() !== e.fromAddress.toLowerCase() ? e.fromAddress : undefined);
  return {
    from: { name: e.fromName, address: from },
    replyTo,
    to: { name: e.recipientName ?? '', address: e.recipient },
    subject: e.subject,
    html: e.html,
    text: e.text,
    messageId: e.messageId,
    date: e.createdAt,
    // RFC 3834 §5: mark automatic emails so auto-responders do not answer them.
    headers: e.autoSubmitted ? { 'Auto-Submitted': 'auto-generated' } : {},
    attachments: e.attachments.map((a) => ({ filename: a.filename, path: a.path, contentType: a.contentType })),
    disableUrlAccess: true,
  };
}

export function openTransport(settings: SmtpSettings | null, emlDir: string): MailTransport {
  return settings ? smtpTransport(settings) : emlTransport(emlDir);
}

function smtpTransport(s: SmtpSettings): MailTransport {
  // One pooled connection per delivery pass: a burst reuses it, close() ends it.
  const t = nodemailer.createTransport({ ...smtpTransportOptions(s), pool: true, maxConnections: 1 });
  return {
    kind: 'smtp',
    async send(e, signal) {
      // nodemailer 10 honours `signal` (its types here predate it).
      const info = await t.sendMail({ ...toMessage(e, s.from ?? null), ...(signal ? { signal } : {}) } as SendMailOptions);
      return { emlPath: null, response: String(info.response ?? '') };
    },
    close: () => t.close(),
  };
}

function emlTransport(dir: string): MailTransport {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    kind: 'eml',
    async send(e, signal) {
      const info = await t.sendMail(toMessage(e, null));
      signal?.throwIfAborted();
      mkdirSync(dir, { recursive: true, mode: 0o750 });
      // Written whole then renamed: a reader never sees half a message, and a
      // second attempt of the same email overwrites the same file.
      const path = join(dir, `${e.id}.eml`);
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, info.message as Buffer, { mode: 0o640 });
      renameSync(tmp, path);
      return { emlPath: path, response: null };
    },
    close: () => t.close(),
  };
}
