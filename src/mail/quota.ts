// Entitlement (seed 000: "every email sent … will consume the quota of 500
// Company Entitlements"). Emails sent or on their way hold a share; failed
// and refused ones do not. Pure: the counts come from the outbox.
import type { MailUsage, OutboxStatus } from './types.js';

export function usageFrom(counts: Record<OutboxStatus, number>, quota: number): MailUsage {
  const pending = counts.queued + counts.sending;
  const used = counts.sent + pending;
  const remaining = Math.max(0, quota - used);
  const refused = counts.refused_quota;
  const reason = remaining > 0 ? null
    : `The email quota of ${quota} is used up (${counts.sent} sent, ${pending} waiting): new emails are refused`
      + `${refused ? ` (${refused} so far)` : ''}. Raise MAIL_QUOTA to send more.`;
  return { quota, sent: counts.sent, pending, remaining, refused, failed: counts.failed, reason };
}
