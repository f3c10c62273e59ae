import type { VerifiedIdentity } from '../../core/identity.js';
import type { Queryable, Tx } from '../pool.js';
import { OFFER_COLS, type Offer } from './offers.js';

export type ConversationStatus = 'queued' | 'active' | 'closed';

export interface Conversation {
  id: string; roomId: string; mucNode: string; status: ConversationStatus; disposition: string | null;
  customerName: string; customerEmail: string | null; firstMessage: string | null;
  roomPassword: string; agentId: string | null; customerId: string | null; departmentId: string | null; channel: 'chat' | 'note';
  createdAt: Date; customerJoinedAt: Date | null; acceptedAt: Date | null; closedAt: Date | null; closedBy: string | null;
  /** What the company's site vouched for (seed 003), when its signature checked out. */
  verifiedIdentity: VerifiedIdentity | null;
}

const COLS = `id, room_id AS "roomId", muc_node AS "mucNode", status, disposition,
  customer_name AS "customerName", customer_email AS "customerEmail", first_message AS "firstMessage",
  room_password AS "roomPassword", agent_id AS "agentId", customer_id AS "customerId", department_id AS "departmentId", channel, created_at AS "createdAt",
  customer_joined_at AS "customerJoinedAt", accepted_at AS "acceptedAt", closed_at AS "closedAt", closed_by AS "closedBy",
  verified_identity AS "verifiedIdentity"`;

export interface NewConversation {
  roomId: string; mucNode: string; customerName: string; customerEmail: string | null; firstMessage: string | null;
  form: Record<string, unknown>; roomPassword: string; customerTokenHash: string; departmentId?: string | null;
  verifiedIdentity?: VerifiedIdentity | null;
}

/** Inserts a conversation and links its customer: the one with that email, or a new one. */
/**
 * The conversation, its customer (matched by email) and, in the same
 * statement, the form's first message as the customer's opening line
 * (`firstLine`: its message id and the customer's nick) and the 'created' event.
 */
export async function insertConversation(db: Queryable, c: NewConversation, also: { firstLine?: { id: string; nick: string }; created?: Record<string, unknown> } = {}): Promise<Conversation> {
  const r = await db.query(`WITH cust AS (
      INSERT INTO customers (name, email) VALUES ($3, $4)
      ON CONFLICT ((lower(email))) WHERE email IS NOT NULL DO UPDATE SET updated_at = now()
      RETURNING id),
    conv AS (
      INSERT INTO conversations (room_id, muc_node, customer_name, customer_email, first_message, form, room_password, customer_token_hash, customer_id, department_id, verified_identity)
      SELECT $1, $2, $3, $4, $5, $6, $7, $8, cust.id, $9, $10 FROM cust RETURNING *),
    line AS (
      INSERT INTO messages (id, conversation_id, sender_kind, sender_nick, body, private)
      SELECT $11::uuid, id, 'customer', $12, first_message, false FROM conv WHERE $11::uuid IS NOT NULL AND first_message <> ''),
    created AS (
      INSERT INTO conversation_events (conversation_id, kind, data) SELECT id, 'created', $13::jsonb FROM conv WHERE $13::jsonb IS NOT NULL)
    SELECT ${COLS} FROM conv`,
  [c.roomId, c.mucNode, c.customerName, c.customerEmail, c.firstMessage, c.form, c.roomPassword, c.customerTokenHash, c.departmentId ?? null, c.verifiedIdentity ?? null,
    also.firstLine?.id ?? null, also.firstLine?.nick ?? null, also.created ?? null]);
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

/** The customer is in the room (first time only), with its "customer_joined" event, in one statement. */
export async function markCustomerJoined(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query(`WITH marked AS (UPDATE conversations SET customer_joined_at = now() WHERE id = $1 AND customer_joined_at IS NULL RETURNING id)
    INSERT INTO conversation_events (conversation_id, kind) SELECT id, 'customer_joined' FROM marked`, [id]);
  return r.rowCount === 1;
}

export interface WaitingConversation extends Conversation {
  /** Agents holding a pending offer for it. */
  pendingAgents: string[];
  /** Agents who declined or let an offer time out, with when (ms). */
  refusals: Array<{ agentId: string; at: number }>;
  /** What routing reads besides (migration 006): the page URL, the customer's location, "Ask all agents" (ms). */
  pageUrl: string | null; latitude: number | null; longitude: number | null; askAllAt: number | null;
}

const ROUTING_COLS = `page_url AS "pageUrl", latitude, longitude, (extract(epoch FROM ask_all_at) * 1000)::bigint AS "askAllAt"`;

/**
 * Queued conversations whose customer is in the room, oldest first, each
 * with its pending offers and refusals aggregated in SQL: a dispatch reads
 * one row per waiting conversation, not one per offer (ring-all makes
 * hundreds of pending offers).
 */
export async function waitingConversations(db: Queryable): Promise<WaitingConversation[]> {
  const r = await db.query(`WITH w AS (SELECT ${COLS}, ${ROUTING_COLS} FROM conversations WHERE status = 'queued' AND customer_joined_at IS NOT NULL),
    p AS (SELECT conversation_id, array_agg(agent_id::text) AS agents FROM offers WHERE status = 'pending' GROUP BY conversation_id)
    SELECT w.*, coalesce(p.agents, '{}') AS "pendingAgents", coalesce(r.agents, '{}') AS refusals
    FROM w LEFT JOIN p ON p.conversation_id = w.id
    -- Per waiting conversation through offers_refused (migration 013): a join would scan every offer ever made.
    LEFT JOIN LATERAL (SELECT array_agg(o.agent_id::text || ' ' || (extract(epoch FROM coalesce(o.ended_at, o.created_at)) * 1000)::bigint) AS agents
      FROM offers o WHERE o.conversation_id = w.id AND o.status IN ('declined', 'timed_out')) r ON true
    ORDER BY w."createdAt"`);
  return r.rows.map((row) => ({
    ...row,
    askAllAt: row.askAllAt === null ? null : Number(row.askAllAt),
    refusals: (row.refusals as string[]).map((x) => { const [agentId, at] = x.split(' '); return { agentId: agentId!, at: Number(at) }; }),
  }));
}

/**
 * The claim, after the agent's row is locked (a concurrent claim by the same
 * agent waits, then counts with a fresh snapshot), one guarded UPDATE; in the
 * same statement its consequences: the
 * conversation's pending offers settle (this agent's accepted, the others
 * withdrawn) and the 'accepted' event is stored. Null when not claimed.
 */
export async function claimAndSettle(tx: Tx, conversationId: string, agentId: string, agentJid: string | null): Promise<{ conversation: Conversation; offers: Offer[] } | null> {
  const a = await tx.query('SELECT max_chats FROM agents WHERE id = $1 AND deleted_at IS NULL FOR NO KEY UPDATE', [agentId]);
  if (a.rowCount === 0) return null;
  const r = await tx.query(`WITH claimed AS (
      UPDATE conversations SET status = 'active', agent_id = $2, accepted_at = now()
      WHERE id = $1 AND status = 'queued'
        AND (SELECT count(*) FROM conversations WHERE agent_id = $2 AND status = 'active') < $3
      RETURNING *),
    settled AS (
      UPDATE offers SET status = CASE WHEN agent_id = $2 THEN 'accepted' ELSE 'withdrawn' END, ended_at = now()
      WHERE status = 'pending' AND conversation_id IN (SELECT id FROM claimed)
      RETURNING ${OFFER_COLS}),
    event AS (
      INSERT INTO conversation_events (conversation_id, kind, data) SELECT id, 'accepted', jsonb_build_object('agent', $4::text) FROM claimed)
    SELECT ${COLS}, (SELECT coalesce(json_agg(settled), '[]'::json) FROM settled) AS offers FROM claimed`,
  [conversationId, agentId, a.rows[0].max_chats, agentJid]);
  const row = r.rows[0];
  if (!row) return null;
  const { offers, ...conversation } = row;
  return {
    conversation,
    offers: (offers as Array<Offer & { createdAt: string; deadline: string; endedAt: string | null }>).map((o) => ({
      ...o, createdAt: new Date(o.createdAt), deadline: new Date(o.deadline), endedAt: o.endedAt ? new Date(o.endedAt) : null,
    })),
  };
}

/** Closes a conversation that is not closed yet (and is in `onlyIf` status when given), with its 'closed' event: one guarded statement. */
export async function closeConversation(db: Queryable, id: string, by: string, disposition: string, onlyIf?: 'queued' | 'active'): Promise<Conversation | null> {
  const r = await db.query(`WITH closed AS (
      UPDATE conversations SET status = 'closed', closed_at = now(), closed_by = $2, disposition = $3
      WHERE id = $1 AND status <> 'closed' AND ($4::text IS NULL OR status = $4) RETURNING *),
    event AS (INSERT INTO conversation_events (conversation_id, kind, data) SELECT id, 'closed', jsonb_build_object('by', $2::text) FROM closed)
    SELECT ${COLS} FROM closed`, [id, by, disposition, onlyIf ?? null]);
  return r.rows[0] ?? null;
}

export async function addEvent(db: Queryable, conversationId: string, kind: string, data: Record<string, unknown> = {}): Promise<void> {
  await db.query('INSERT INTO conversation_events (conversation_id, kind, data) VALUES ($1, $2, $3)', [conversationId, kind, data]);
}


// ---- routing inputs (issue 4: strategies and eligibility) ----

export interface ConversationContext { pageUrl: string | null; visitorId: string | null; location: { lat: number; lon: number } | null }

/** Stores what the customer's page told at start (URL routing, sticky agent, nearest agent). */
export async function saveContext(db: Queryable, id: string, c: ConversationContext): Promise<void> {
  if (!c.pageUrl && !c.visitorId && !c.location) return;
  await db.query('UPDATE conversations SET page_url = $2, visitor_id = $3, latitude = $4, longitude = $5 WHERE id = $1',
    [id, c.pageUrl, c.visitorId, c.location?.lat ?? null, c.location?.lon ?? null]);
}

/**
 * For each conversation, the agent (still an operator) who served the same
 * customer last: an earlier conversation with the same visitor cookie id, the
 * same customer (customers are one per email) or a customer with the same
 * verified id (customers.external_id). Each branch uses its own index.
 */
export async function previousAgents(db: Queryable, ids: readonly string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const r = await db.query(`SELECT w.id::text, (
      SELECT p.agent_id::text FROM (
          SELECT agent_id, accepted_at FROM conversations WHERE customer_id = w.customer_id AND created_at < w.created_at AND accepted_at IS NOT NULL
          UNION ALL SELECT agent_id, accepted_at FROM conversations WHERE w.visitor_id IS NOT NULL AND visitor_id = w.visitor_id AND created_at < w.created_at AND accepted_at IS NOT NULL
          UNION ALL SELECT agent_id, accepted_at FROM conversations WHERE w.verified_identity->>'id' IS NOT NULL
            AND verified_identity->>'id' = w.verified_identity->>'id' AND created_at < w.created_at AND accepted_at IS NOT NULL
          UNION ALL SELECT c.agent_id, c.accepted_at FROM customers me JOIN customers same ON same.external_id = me.external_id
            JOIN conversations c ON c.customer_id = same.id
            WHERE me.id = w.customer_id AND me.external_id IS NOT NULL AND c.created_at < w.created_at AND c.accepted_at IS NOT NULL
        ) p JOIN agents a ON a.id = p.agent_id AND a.deleted_at IS NULL
      ORDER BY p.accepted_at DESC LIMIT 1) AS agent
    FROM conversations w WHERE w.id = ANY($1::uuid[])`, [ids]);
  return new Map(r.rows.map((x) => [x.id as string, x.agent as string | null]));
}

/** The customer's "Ask all agents": first press only, while it waits. False when it is not waiting. */
export async function markAskAll(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query("UPDATE conversations SET ask_all_at = coalesce(ask_all_at, now()) WHERE id = $1 AND status = 'queued' RETURNING id", [id]);
  return r.rowCount === 1;
}
