import type { Queryable } from '../pool.js';

export type OfferStatus = 'pending' | 'accepted' | 'declined' | 'timed_out' | 'withdrawn';
export interface Offer { id: string; conversationId: string; agentId: string; status: OfferStatus; createdAt: Date; deadline: Date; endedAt: Date | null }

const COLS = 'id, conversation_id AS "conversationId", agent_id AS "agentId", status, created_at AS "createdAt", deadline, ended_at AS "endedAt"';

/**
 * Offers one queued conversation to several agents in one statement. The
 * conversation row is share-locked and must still be queued: a claim that
 * commits first leaves nothing to insert, and a claim that comes after waits
 * for this insert and then withdraws what it made.
 */
export async function insertOffers(db: Queryable, conversationId: string, agentIds: string[], deadline: Date): Promise<Offer[]> {
  const r = await db.query(`INSERT INTO offers (conversation_id, agent_id, deadline)
    SELECT c.id, a.agent_id, $3 FROM (SELECT id FROM conversations WHERE id = $1 AND status = 'queued' FOR SHARE) c
    CROSS JOIN unnest($2::uuid[]) AS a(agent_id)
    ON CONFLICT (conversation_id, agent_id) WHERE status = 'pending' DO NOTHING RETURNING ${COLS}`, [conversationId, agentIds, deadline]);
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

/** Who declined or missed offers for open conversations, with when. */
export async function refusals(db: Queryable): Promise<Offer[]> {
  return (await db.query(`SELECT ${COLS} FROM offers o WHERE status IN ('declined', 'timed_out')
    AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = o.conversation_id AND c.status = 'queued')`)).rows;
}
