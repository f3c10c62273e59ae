import type { Queryable } from '../pool.js';

export type OfferStatus = 'pending' | 'accepted' | 'declined' | 'timed_out' | 'withdrawn';
export interface Offer { id: string; conversationId: string; agentId: string; status: OfferStatus; createdAt: Date; deadline: Date; endedAt: Date | null }

export const OFFER_COLS = 'id, conversation_id AS "conversationId", agent_id AS "agentId", status, created_at AS "createdAt", deadline, ended_at AS "endedAt"';
const COLS = OFFER_COLS;

export interface NewOffer { conversationId: string; agentId: string; deadline: Date }

/**
 * Makes a dispatch's offers, for any number of conversations, and their
 * "offered" events, in one statement. Each conversation row is share-locked
 * and must still be queued: a claim that commits first leaves nothing to
 * insert for its conversation, and a claim that comes after waits for this
 * insert and then withdraws what it made. A claim locks its conversation and
 * its agent row, the latter FOR NO KEY UPDATE, which does not block this
 * statement's foreign-key checks on agents: so waiting on several
 * conversation rows here cannot deadlock with claims.
 */
export async function insertOffers(db: Queryable, offers: readonly NewOffer[], rotation: ReadonlyMap<string, string> = new Map()): Promise<Offer[]> {
  if (offers.length === 0) return [];
  // Round robin: where each room's rotation stands, stored in the same statement as the offers it made.
  const turned = rotation.size === 0 ? '' : `,
    turned AS (INSERT INTO routing_rotation (room_id, last_agent_id) SELECT * FROM unnest($4::uuid[], $5::uuid[])
      ON CONFLICT (room_id) DO UPDATE SET last_agent_id = excluded.last_agent_id, at = now())`;
  const r = await db.query(`WITH queued AS (SELECT id FROM conversations WHERE id = ANY($1::uuid[]) AND status = 'queued' FOR SHARE),
    made AS (INSERT INTO offers (conversation_id, agent_id, deadline)
      SELECT o.conversation_id, o.agent_id, o.deadline FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) WITH ORDINALITY AS o(conversation_id, agent_id, deadline, n)
      JOIN queued q ON q.id = o.conversation_id ORDER BY o.n
      ON CONFLICT (conversation_id, agent_id) WHERE status = 'pending' DO NOTHING RETURNING ${COLS}),
    events AS (INSERT INTO conversation_events (conversation_id, kind, data)
      SELECT m."conversationId", 'offered', jsonb_build_object('agents', jsonb_agg(a.jid ORDER BY a.jid)) FROM made m JOIN agents a ON a.id = m."agentId" GROUP BY m."conversationId")${turned}
    SELECT * FROM made`,
  [offers.map((o) => o.conversationId), offers.map((o) => o.agentId), offers.map((o) => o.deadline), ...(turned ? [[...rotation.keys()], [...rotation.values()]] : [])]);
  return r.rows;
}

/** Ends pending offers; returns the ones this call ended (status-guarded). */
export async function endOffers(db: Queryable, where: { conversationId?: string; agentId?: string; offerId?: string }, status: Exclude<OfferStatus, 'pending'>): Promise<Offer[]> {
  const r = await db.query(`UPDATE offers SET status = $4, ended_at = now()
    WHERE status = 'pending' AND ($1::uuid IS NULL OR conversation_id = $1) AND ($2::uuid IS NULL OR agent_id = $2) AND ($3::uuid IS NULL OR id = $3)
    RETURNING ${COLS}`, [where.conversationId ?? null, where.agentId ?? null, where.offerId ?? null, status]);
  return r.rows;
}

/** Pending offers, all or only those of one conversation or one agent (newest first). */
export async function pendingOffers(db: Queryable, where: { conversationId?: string; agentId?: string } = {}): Promise<Offer[]> {
  return (await db.query(`SELECT ${COLS} FROM offers WHERE status = 'pending'
    AND ($1::uuid IS NULL OR conversation_id = $1) AND ($2::uuid IS NULL OR agent_id = $2) ORDER BY created_at DESC`,
  [where.conversationId ?? null, where.agentId ?? null])).rows;
}

/** Chats and pending offers per agent (only agents with any). */
export async function agentLoads(db: Queryable): Promise<Map<string, { active: number; pending: number }>> {
  const r = await db.query(`SELECT agent_id::text AS id, count(*) FILTER (WHERE active)::int AS active, count(*) FILTER (WHERE NOT active)::int AS pending
    FROM (SELECT agent_id, true AS active FROM conversations WHERE status = 'active'
          UNION ALL SELECT agent_id, false FROM offers WHERE status = 'pending') x GROUP BY agent_id`);
  return new Map(r.rows.map((x) => [x.id as string, { active: x.active as number, pending: x.pending as number }]));
}

/** The round-robin rotation of rooms: the agent each gave a conversation to last. */
export async function rotations(db: Queryable, roomIds: readonly string[]): Promise<Map<string, string | null>> {
  if (roomIds.length === 0) return new Map();
  const r = await db.query('SELECT room_id::text AS room, last_agent_id::text AS agent FROM routing_rotation WHERE room_id = ANY($1::uuid[])', [roomIds]);
  return new Map(r.rows.map((x) => [x.room as string, x.agent as string | null]));
}

