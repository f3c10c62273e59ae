// SMTP settings: from SMTP_URL, and into nodemailer's transport options.
import type { SMTPTransportOptions } from 'nodemailer';
import type { SmtpSettings } from './types.js';

/** smtp://user:password@host:587 (STARTTLS when offered) or smtps://user:password@host:465. */
export function smtpFromUrl(url: string, from?: string): SmtpSettings {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  if (!secure && u.protocol !== 'smtp:') throw new Error(`SMTP URL must start with smtp:// or smtps://, got ${u.protocol}//`);
  const out: SmtpSettings = { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : secure ? 465 : 587, secure };
  if (u.username) out.user = decodeURIComponent(u.username);
  if (u.password) out.password = decodeURIComponent(u.password);
  if (from) out.from = from;
  return out;
}

/**
 * A silent server fails a send after these; a server that answers slowly but
 * keeps answering does not, and the claim's lease is renewed meanwhile
 * (lease.ts), so such a send is never claimed by a second worker.
 */
export const SMTP_TIMEOUTS_MS = { connection: 30_000, greeting: 30_000, socket: 60_000 } as const;

export function smtpTransportOptions(s: SmtpSettings): SMTPTransportOptions {
  return {
    host: s.host, port: s.port, secure: s.secure,
    auth: s.user ? { user: s.user, pass: s.password ?? '' } : undefined,
    connectionTimeout: SMTP_TIMEOUTS_MS.connection,
    greetingTimeout: SMTP_TIMEOUTS_MS.greeting,
    socketTimeout: SMTP_TIMEOUTS_MS.socket,
    // Attachments are our own files; never let a message make us fetch a URL.
    disableUrlAccess: true,
  };
}
