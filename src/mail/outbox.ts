// The outbox table (schemas/migrations/003_mail.sql): every statement the
// mail service runs. Times come from the database clock, so several
// processes agree on what is due.
import { inTransaction, type Db, type Queryable } from '../db/pool.js';
import type { EnqueuedEmail, FileAttachment, OutboxEmail, OutboxEntry, OutboxStatus } from './types.js';

const ENTRY = `id, message_id AS "messageId", batch_id AS "batchId", template, conversation_id AS "conversationId",
  recipient, recipient_name AS "recipientName", from_name AS "fromName", from_address AS "fromAddress", reply_to AS "replyTo",
  subject, status, attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError", eml_path AS "emlPath",
  created_at AS "createdAt", sent_at AS "sentAt"`;
const EMAIL = `${ENTRY}, html, text, attachments, auto_submitted AS "autoSubmitted"`;

/** Statuses holding a share of the quota: taken, or on their way. */
const COUNTED = `('queued', 'sending', 'sent')`;
const QUOTA_LOCK = 0x5b0a4e; // next to migrate.ts's lock; serialises quota checks

export interface NewEmail {
  id: string; messageId: string; batchId: string; template: string; conversationId: string | null;
  recipient: string; recipientName: string | null; fromName: string; fromAddress: string; replyTo: string | null;
  subject: string; html: string; text: string; attachments: FileAttachment[]; autoSubmitted: boolean;
}

/**
 * Stores a batch, each row queued while the quota lasts and refused_quota past
 * it. The advisory lock makes count-then-insert atomic across processes.
 */
export async function insertWithinQuota(db: Db, emails: NewEmail[], quota: number): Promise<EnqueuedEmail[]> {
  return inTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [QUOTA_LOCK]);
    let used = (await tx.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE status IN ${COUNTED}`)).rows[0].n as number;
    const out: EnqueuedEmail[] = [];
    for (const e of emails) {
      const status = used < quota ? 'queued' : 'refused_quota';
      if (status === 'queued') used++;
      const why = status === 'refused_quota' ? `quota of ${quota} emails reached` : null;
      await tx.query(`INSERT INTO mail_outbox (id, message_id, batch_id, template, conversation_id, recipient, recipient_name,
          from_name, from_address, reply_to, subject, html, text, attachments, auto_submitted, status, last_error)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [e.id, e.messageId, e.batchId, e.template, e.conversationId, e.recipient, e.recipientName, e.fromName, e.fromAddress,
        e.replyTo, e.subject, e.html, e.text, JSON.stringify(e.attachments), e.autoSubmitted, status, why]);
      out.push({ id: e.id, recipient: e.recipient, messageId: e.messageId, status });
    }
    return out;
  });
}

/**
 * Claims one due email: queued and due, or sending with its lease run out
 * (its worker died). SKIP LOCKED lets concurrent workers each take another
 * row; the lease is written into next_attempt_at and `attempts` is the fence
 * every later update checks. `horizon` (the database time of a pass's first
 * claim) keeps one pass from claiming again an email it just rescheduled.
 */
export async function claimNext(db: Queryable, leaseSeconds: number, horizon: Date | null = null): Promise<{ email: OutboxEmail; at: Date } | null> {
  const r = await db.query(`UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, updated_at = now(),
      next_attempt_at = now() + make_interval(secs => $1)
    WHERE id = (SELECT id FROM mail_outbox WHERE status IN ('queued', 'sending') AND next_attempt_at <= COALESCE($2, now())
      ORDER BY next_attempt_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING ${EMAIL}, now() AS "claimedAt"`, [leaseSeconds, horizon]);
  if (!r.rows[0]) return null;
  const { claimedAt, ...email } = r.rows[0];
  return { email: email as OutboxEmail, at: claimedAt as Date };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FENCE = `WHERE id = $1 AND status = 'sending' AND attempts = $2`;

/** Extends a claim this worker still holds (same attempt); false when another worker has claimed the row since. */
export async function renewLease(db: Queryable, e: Pick<OutboxEmail, 'id' | 'attempts'>, leaseSeconds: number): Promise<boolean> {
  const r = await db.query(`UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $3), updated_at = now() ${FENCE}`,
    [e.id, e.attempts, leaseSeconds]);
  return r.rowCount === 1;
}

export async function markSent(db: Queryable, e: Pick<OutboxEmail, 'id' | 'attempts'>, res: { emlPath: string | null; response: string | null }): Promise<boolean> {
  const r = await db.query(`UPDATE mail_outbox SET status = 'sent', sent_at = now(), updated_at = now(), last_error = NULL,
    eml_path = $3, smtp_response = $4 ${FENCE}`, [e.id, e.attempts, res.emlPath, res.response]);
  return r.rowCount === 1;
}

/** Back to queued after `delaySeconds`, or failed once the email is older than giveUpHours. Returns the new status. */
export async function markRetry(db: Queryable, e: Pick<OutboxEmail, 'id' | 'attempts'>, o: { delaySeconds: number; giveUpHours: number; error: string }): Promise<OutboxStatus | null> {
  const r = await db.query(`UPDATE mail_outbox SET updated_at = now(), last_error = $3,
      status = CASE WHEN created_at < now() - make_interval(hours => $5) THEN 'failed' ELSE 'queued' END,
      next_attempt_at = now() + make_interval(secs => $4)
    ${FENCE} RETURNING status`, [e.id, e.attempts, o.error, o.delaySeconds, o.giveUpHours]);
  return r.rows[0]?.status ?? null;
}

export async function markFailed(db: Queryable, e: Pick<OutboxEmail, 'id' | 'attempts'>, error: string): Promise<boolean> {
  const r = await db.query(`UPDATE mail_outbox SET status = 'failed', updated_at = now(), last_error = $3 ${FENCE}`, [e.id, e.attempts, error]);
  return r.rowCount === 1;
}

/** Milliseconds until the next email is due (0 if one is due now), null when none waits. */
export async function msUntilDue(db: Queryable): Promise<number | null> {
  // Not GREATEST(0, min(…)): GREATEST skips a NULL, so an empty outbox would read as "due now".
  const r = await db.query(`SELECT (EXTRACT(EPOCH FROM (min(next_attempt_at) - now())) * 1000)::float8 AS ms
    FROM mail_outbox WHERE status IN ('queued', 'sending')`);
  const ms = r.rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Math.ceil(Number(ms)));
}

export interface OutboxQuery { status?: OutboxStatus; template?: string; conversationId?: string; limit?: number; offset?: number }

/** Newest first. */
export async function listOutbox(db: Queryable, q: OutboxQuery = {}): Promise<{ items: OutboxEntry[]; total: number }> {
  if (q.conversationId !== undefined && !UUID.test(q.conversationId)) return { items: [], total: 0 };
  const where = `WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR template = $2) AND ($3::uuid IS NULL OR conversation_id = $3)`;
  const args = [q.status ?? null, q.template ?? null, q.conversationId ?? null];
  const items = (await db.query(`SELECT ${ENTRY} FROM mail_outbox ${where} ORDER BY created_at DESC, id LIMIT $4 OFFSET $5`,
    [...args, Math.min(Math.max(q.limit ?? 50, 1), 500), Math.max(q.offset ?? 0, 0)])).rows;
  const total = (await db.query(`SELECT count(*)::int AS n FROM mail_outbox ${where}`, args)).rows[0].n as number;
  return { items, total };
}

export async function getEmail(db: Queryable, id: string): Promise<OutboxEmail | null> {
  if (!UUID.test(id)) return null;
  return (await db.query(`SELECT ${EMAIL} FROM mail_outbox WHERE id = $1`, [id])).rows[0] ?? null;
}

export async function countByStatus(db: Queryable): Promise<Record<OutboxStatus, number>> {
  const out: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0, refused_quota: 0 };
  for (const r of (await db.query('SELECT status, count(*)::int AS n FROM mail_outbox GROUP BY status')).rows) out[r.status as OutboxStatus] = r.n;
  return out;
}
