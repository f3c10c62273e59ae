// When to try an email again, and whether trying again can help at all.
// Pure: the outbox worker applies these to nodemailer's errors.

/** Delay before attempt `attempt + 1`: base · 2^(attempt − 1), capped at max. */
export function backoffSeconds(attempt: number, baseSeconds: number, maxSeconds: number): number {
  const exp = Math.min(Math.max(attempt, 1) - 1, 30);
  return Math.min(baseSeconds * 2 ** exp, maxSeconds);
}

export type FailureKind = 'transient' | 'permanent';

interface MailerError { code?: unknown; responseCode?: unknown; command?: unknown }

/**
 * Permanent = this email can never succeed as it is: its recipient refused with
 * a 5xx reply to RCPT TO (RFC 5321 §4.2.1), its content refused with a 5xx after
 * DATA, or an attached file unreadable. Everything else — server down, timeouts,
 * 4xx, a refused login or sender (settings an admin can fix) — is transient.
 */
export function classifyFailure(err: unknown): FailureKind {
  const e = (typeof err === 'object' && err !== null ? err : {}) as MailerError;
  const reply = typeof e.responseCode === 'number' ? e.responseCode : 0;
  if (e.code === 'ESTREAM') return 'permanent';
  if (reply >= 500 && e.code === 'EENVELOPE' && e.command === 'RCPT TO') return 'permanent';
  if (reply >= 500 && e.code === 'EMESSAGE') return 'permanent';
  return 'transient';
}

/** One bounded line for last_error. */
export function errorText(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as MailerError & { message?: unknown };
  const msg = typeof e.message === 'string' ? e.message : String(err);
  const code = typeof e.code === 'string' ? `${e.code}: ` : '';
  return `${code}${msg}`.replace(/\s+/g, ' ').trim().slice(0, 500);
}
