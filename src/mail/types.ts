// Shapes shared by the mail modules: SMTP settings, profiles, outbox rows.

/** How to reach an SMTP server; stored by the admin API or read from SMTP_URL. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** true = TLS from the first byte (port 465); false = plain, upgraded by STARTTLS when offered. */
  secure: boolean;
  user?: string;
  password?: string;
  /** Address the server lets this account send as; the profile's contact email becomes Reply-To. */
  from?: string;
}

/** Returns the SMTP settings to use now, or null when none are stored. Called before every delivery pass. */
export type SmtpProvider = () => Promise<SmtpSettings | null>;

/** A room's or the company's public profile (seed 000): who the customer's emails come from. */
export interface PublicProfile {
  companyName?: string | null;
  contactEmail?: string | null;
}

/** Every template's data carries the profiles; the room's fields win, empty ones fall back to the company's. */
export interface ProfileSource {
  room?: PublicProfile | null;
  company?: PublicProfile | null;
}

export type RecipientInput = string | { name?: string | null; address: string };
export interface Recipient { name: string | null; address: string }

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'refused_quota';

export interface FileAttachment { filename: string; path: string; contentType?: string }

/** One outbox row as the admin API lists it (without the bodies). */
export interface OutboxEntry {
  id: string;
  messageId: string;
  batchId: string;
  template: string;
  conversationId: string | null;
  recipient: string;
  recipientName: string | null;
  fromName: string;
  fromAddress: string;
  replyTo: string | null;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  emlPath: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** A whole outbox row: the entry plus what is sent. */
export interface OutboxEmail extends OutboxEntry {
  html: string;
  text: string;
  attachments: FileAttachment[];
  autoSubmitted: boolean;
}

/** What enqueue reports per recipient. */
export interface EnqueuedEmail { id: string; recipient: string; messageId: string; status: 'queued' | 'refused_quota' }

/** Entitlement usage for the admin API. `reason` says why emails are refused, null while under quota. */
export interface MailUsage {
  quota: number;
  /** Emails the SMTP server (or the .eml outbox) took. */
  sent: number;
  /** Emails waiting or being sent; they hold their share of the quota. */
  pending: number;
  remaining: number;
  refused: number;
  failed: number;
  reason: string | null;
}
