import type { Queryable, Tx } from '../pool.js';

export type ConversationStatus = 'queued' | 'active' | 'closed';

export interface Conversation {
  id: string; roomId: string; mucNode: string; status: ConversationStatus; disposition: string | null;
  customerName: string; customerEmail: string | null; firstMessage: string | null;
  roomPassword: string; agentId: string | null; customerId: string | null; departmentId: string | null; channel: 'chat' | 'note';
  createdAt: Date; customerJoinedAt: Date | null; acceptedAt: Date | null; closedAt: Date | null; closedBy: string | null;
}

const COLS = `id, room_id AS "roomId", muc_node AS "mucNode", status, disposition,
  customer_name AS "customerName", customer_email AS "customerEmail", first_message AS "firstMessage",
  room_password AS "roomPassword", agent_id AS "agentId", customer_id AS "customerId", department_id AS "departmentId", channel, created_at AS "createdAt",
  customer_joined_at AS "customerJoinedAt", accepted_at AS "acceptedAt", closed_at AS "closedAt", closed_by AS "closedBy"`;

export interface NewConversation {
  roomId: string; mucNode: string; customerName: string; customerEmail: string | null; firstMessage: string | null;
  form: Record<string, unknown>; roomPassword: string; customerTokenHash: string; departmentId?: string | null;
}

/** Inserts a conversation and links its customer: the one with that email, or a new one. */
export async function insertConversation(db: Queryable, c: NewConversation): Promise<Conversation> {
  const r = await db.query(`WITH cust AS (
      INSERT INTO customers (name, email) VALUES ($3, $4)
      ON CONFLICT ((lower(email))) WHERE email IS NOT NULL DO UPDATE SET updated_at = now()
      RETURNING id)
    INSERT INTO conversations (room_id, muc_node, customer_name, customer_email, first_message, form, room_password, customer_token_hash, customer_id, department_id)
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, cust.id, $9 FROM cust RETURNING ${COLS}`,
  [c.roomId, c.mucNode, c.customerName, c.customerEmail, c.firstMessage, c.form, c.roomPassword, c.customerTokenHash, c.departmentId ?? null]);
  return r.rows[0];
}

export async function conversationByNode(db: Queryable, node: string): Promise<Conversation | null> {
  return (await db.query(`SELECT ${COLS} FROM conversations WHERE muc_node = $1`, [node])).rows[0] ?? null;
}

export async function conversationById(db: Queryable, id: string): Promise<Conversation | null> {
  return (await db.query(`SELECT ${COLS} FROM conversations WHERE id = $1`, [id])).rows[0] ?? null;
}

export async function customerTokenMatches(db: Queryable, id: string, tokenHash: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM conversations WHERE id = $1 AND customer_token_hash = $2', [id, tokenHash])).rowCount === 1;
}

export async function markCustomerJoined(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query('UPDATE conversations SET customer_joined_at = now() WHERE id = $1 AND customer_joined_at IS NULL', [id]);
  return r.rowCount === 1;
}

/** Queued conversations whose customer is in the room, oldest first. */
export async function waitingConversations(db: Queryable): Promise<Conversation[]> {
  return (await db.query(`SELECT ${COLS} FROM conversations WHERE status = 'queued' AND customer_joined_at IS NOT NULL ORDER BY created_at`)).rows;
}

export async function activeCounts(db: Queryable): Promise<Map<string, number>> {
  const r = await db.query(`SELECT agent_id, count(*)::int AS n FROM conversations WHERE status = 'active' GROUP BY agent_id`);
  return new Map(r.rows.map((x) => [x.agent_id as string, x.n as number]));
}

/**
 * The claim: one agent becomes the owner of a queued conversation. The agent
 * row is locked so two claims by the same agent cannot both pass the capacity
 * check; the status guard makes the first claimant win (architecture: claims
 * are atomic in SQL, never read-then-write).
 */
export async function claimConversation(tx: Tx, conversationId: string, agentId: string): Promise<Conversation | null> {
  const a = await tx.query('SELECT max_chats FROM agents WHERE id = $1 AND deleted_at IS NULL FOR UPDATE', [agentId]);
  if (a.rowCount === 0) return null;
  const r = await tx.query(`UPDATE conversations SET status = 'active', agent_id = $2, accepted_at = now()
    WHERE id = $1 AND status = 'queued'
      AND (SELECT count(*) FROM conversations WHERE agent_id = $2 AND status = 'active') < $3
    RETURNING ${COLS}`, [conversationId, agentId, a.rows[0].max_chats]);
  return r.rows[0] ?? null;
}

export async function closeConversation(db: Queryable, id: string, by: string, disposition: string): Promise<Conversation | null> {
  const r = await db.query(`UPDATE conversations SET status = 'closed', closed_at = now(), closed_by = $2, disposition = $3
    WHERE id = $1 AND status <> 'closed' RETURNING ${COLS}`, [id, by, disposition]);
  return r.rows[0] ?? null;
}

export async function addEvent(db: Queryable, conversationId: string, kind: string, data: Record<string, unknown> = {}): Promise<void> {
  await db.query('INSERT INTO conversation_events (conversation_id, kind, data) VALUES ($1, $2, $3)', [conversationId, kind, data]);
}
