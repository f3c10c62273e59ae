// Notes (offline messages) and email alerts: the store side of the offline flows.
import type { Queryable } from '../pool.js';

/**
 * The claim of a note: the replying agent becomes its owner if it is still
 * open, or already is. One guarded statement (architecture: no read-then-write).
 */
export async function claimNote(db: Queryable, conversationId: string, agentId: string): Promise<boolean> {
  const r = await db.query(`UPDATE conversations SET status = 'active', agent_id = $2, accepted_at = coalesce(accepted_at, now())
    WHERE id = $1 AND channel = 'note' AND (status = 'queued' OR (status = 'active' AND agent_id = $2))`, [conversationId, agentId]);
  return r.rowCount === 1;
}

export async function markNote(db: Queryable, conversationId: string): Promise<void> {
  await db.query("UPDATE conversations SET channel = 'note' WHERE id = $1", [conversationId]);
}

/** Records an alert; false if the conversation already has one. */
export async function addAlert(db: Queryable, conversationId: string, email: string): Promise<boolean> {
  const r = await db.query('INSERT INTO conversation_alerts (conversation_id, email) VALUES ($1, $2) ON CONFLICT DO NOTHING', [conversationId, email]);
  return r.rowCount === 1;
}

export interface DueAlert { conversationId: string; email: string; customerName: string; roomId: string; createdAt: Date }

/** Takes the alerts of conversations still waiting, marking them sent in the same statement (each goes out once). */
export async function takeDueAlerts(db: Queryable): Promise<DueAlert[]> {
  const r = await db.query(`UPDATE conversation_alerts a SET customer_alerted_at = now()
    FROM conversations c WHERE c.id = a.conversation_id AND a.customer_alerted_at IS NULL AND c.status = 'queued'
    RETURNING a.conversation_id AS "conversationId", a.email, c.customer_name AS "customerName", c.room_id AS "roomId", c.created_at AS "createdAt"`);
  return r.rows;
}

/** Operators who asked for email alerts (seed 000, private profile). */
export async function alertedAgents(db: Queryable): Promise<Array<{ name: string; address: string }>> {
  return (await db.query(`SELECT name, email AS address FROM agents WHERE email_alerts AND email IS NOT NULL AND deleted_at IS NULL ORDER BY created_at`)).rows;
}

/** Where offline messages go: the chosen operators' emails (seed 004). */
export async function offlineRecipientEmails(db: Queryable): Promise<Array<{ name: string; address: string }>> {
  return (await db.query(`SELECT a.name, a.email AS address FROM offline_recipients o JOIN agents a ON a.id = o.agent_id
    WHERE a.email IS NOT NULL AND a.deleted_at IS NULL ORDER BY a.created_at`)).rows;
}
