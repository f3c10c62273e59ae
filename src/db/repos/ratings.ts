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

/**
 * Where a waiting chat stands in its room's queue (same department), and the
 * median wait of the room's last 20 answered chats; null position once it is
 * no longer waiting.
 */
export async function queueStanding(db: Queryable, conversationId: string): Promise<{ position: number | null; medianWaitSeconds: number | null }> {
  const r = await db.query(`
    SELECT CASE WHEN c.status = 'queued' AND c.channel = 'chat' THEN (
             SELECT count(*)::int + 1 FROM conversations q
             WHERE q.room_id = c.room_id AND q.status = 'queued' AND q.channel = 'chat' AND q.department_id IS NOT DISTINCT FROM c.department_id
               AND (q.created_at, q.id) < (c.created_at, c.id)) END AS position,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY w) FROM (
              SELECT extract(epoch FROM a.accepted_at - a.created_at) AS w FROM conversations a
              WHERE a.room_id = c.room_id AND a.channel = 'chat' AND a.accepted_at IS NOT NULL
              ORDER BY a.accepted_at DESC LIMIT 20) recent) AS median
    FROM conversations c WHERE c.id = $1`, [conversationId]);
  const row = r.rows[0] as { position: number | null; median: number | null } | undefined;
  return { position: row?.position ?? null, medianWaitSeconds: row?.median === null || row?.median === undefined ? null : Math.round(Number(row.median)) };
}
