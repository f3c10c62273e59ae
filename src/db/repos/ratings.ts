// Satisfaction ratings (issue 6, seed 001): one per conversation, the latest wins.
import type { Queryable } from '../pool.js';

export interface Rating { score: number; comment: string; createdAt: Date; updatedAt: Date }

export async function saveRating(db: Queryable, conversationId: string, score: number, comment: string): Promise<void> {
  await db.query(`INSERT INTO conversation_ratings (conversation_id, score, comment) VALUES ($1, $2, $3)
    ON CONFLICT (conversation_id) DO UPDATE SET score = EXCLUDED.score, comment = EXCLUDED.comment, updated_at = now()`, [conversationId, score, comment]);
}

export async function ratingOf(db: Queryable, conversationId: string): Promise<Rating | null> {
  const r = await db.query(`SELECT score, comment, created_at AS "createdAt", updated_at AS "updatedAt"
    FROM conversation_ratings WHERE conversation_id = $1`, [conversationId]);
  return r.rows[0] ?? null;
}

/** The agents in a conversation's MUC room now, as the customer may see them. */
export async function agentsInRoom(db: Queryable, mucNode: string): Promise<Array<{ nick: string; avatarUrl: string | null }>> {
  const r = await db.query(`SELECT DISTINCT ON (o.nick) o.nick, a.avatar_url AS "avatarUrl" FROM occupants o
    JOIN agents a ON a.id = o.agent_id WHERE o.muc_node = $1 AND o.kind = 'agent' ORDER BY o.nick, o.joined_at`, [mucNode]);
  return r.rows;
}
