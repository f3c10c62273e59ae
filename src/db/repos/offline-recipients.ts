// Which operators receive offline messages (notes) by email (seed 004).
import type { Queryable } from '../pool.js';

export interface OfflineRecipient { id: string; name: string; email: string }

/** The recipients' ids, live operators only. */
export async function offlineRecipientIds(db: Queryable): Promise<string[]> {
  return (await db.query(`SELECT o.agent_id AS id FROM offline_recipients o JOIN agents a ON a.id = o.agent_id
    WHERE a.deleted_at IS NULL ORDER BY o.agent_id`)).rows.map((r: { id: string }) => r.id);
}

/** Who to email a new offline message to: live recipients that have an email address. */
export async function offlineRecipients(db: Queryable): Promise<OfflineRecipient[]> {
  return (await db.query(`SELECT a.id, a.name, a.email FROM offline_recipients o JOIN agents a ON a.id = o.agent_id
    WHERE a.deleted_at IS NULL AND a.email IS NOT NULL ORDER BY a.name, a.id`)).rows;
}

export async function setOfflineRecipients(db: Queryable, agentIds: readonly string[]): Promise<void> {
  await db.query('DELETE FROM offline_recipients WHERE NOT (agent_id = ANY($1::uuid[]))', [agentIds]);
  await db.query('INSERT INTO offline_recipients (agent_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING', [agentIds]);
}

/** The first of ids whose operator has no email address, or null. */
export async function firstWithoutEmail(db: Queryable, ids: readonly string[]): Promise<{ id: string; name: string } | null> {
  const r = await db.query('SELECT id, name FROM agents WHERE id = ANY($1::uuid[]) AND email IS NULL ORDER BY name LIMIT 1', [ids]);
  return r.rows[0] ?? null;
}
