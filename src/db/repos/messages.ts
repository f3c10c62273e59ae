import type { Queryable } from '../pool.js';

export interface StoredMessage {
  id: string; seq: string; conversationId: string; senderKind: 'customer' | 'agent' | 'system';
  senderNick: string | null; senderJid: string | null; agentId: string | null; body: string;
  originId: string | null; private: boolean; createdAt: Date;
  /** The XEP-0066 URL of a file the message carried (an upload), if any. */
  fileUrl: string | null;
}

// seq goes out as text (a bigint may pass 2^53); order by messages.seq, never
// by the text alias, or 1000 sorts before 999.
const COLS = `id, seq::text AS seq, conversation_id AS "conversationId", sender_kind AS "senderKind", sender_nick AS "senderNick",
  sender_jid AS "senderJid", agent_id AS "agentId", body, origin_id AS "originId", private, created_at AS "createdAt", file_url AS "fileUrl"`;

export type NewMessage = Omit<StoredMessage, 'seq' | 'createdAt' | 'fileUrl'> & { fileUrl?: string | null };

export async function insertMessage(db: Queryable, m: NewMessage): Promise<StoredMessage> {
  const r = await db.query(`INSERT INTO messages (id, conversation_id, sender_kind, sender_nick, sender_jid, agent_id, body, origin_id, private, file_url)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLS}`,
  [m.id, m.conversationId, m.senderKind, m.senderNick, m.senderJid, m.agentId, m.body, m.originId, m.private, m.fileUrl ?? null]);
  return r.rows[0];
}

/** The last `limit` messages (oldest first), optionally only those after `since`. */
export async function recentMessages(db: Queryable, conversationId: string, opts: { limit: number; since?: Date; includePrivate: boolean }): Promise<StoredMessage[]> {
  const r = await db.query(`SELECT * FROM (SELECT ${COLS} FROM messages WHERE conversation_id = $1
      AND ($2::timestamptz IS NULL OR created_at > $2) AND ($3 OR NOT private)
      ORDER BY messages.seq DESC LIMIT $4) m ORDER BY m.seq::bigint`, [conversationId, opts.since ?? null, opts.includePrivate, opts.limit]);
  return r.rows;
}

export async function transcript(db: Queryable, conversationId: string): Promise<StoredMessage[]> {
  return (await db.query(`SELECT ${COLS} FROM messages WHERE conversation_id = $1 ORDER BY messages.seq`, [conversationId])).rows;
}

/** One page of a conversation's messages in stored order, with how many there are. */
export async function messagePage(db: Queryable, conversationId: string, p: { limit: number; offset: number; includePrivate: boolean }): Promise<{ items: StoredMessage[]; total: number }> {
  const [items, total] = await Promise.all([
    db.query(`SELECT ${COLS} FROM messages WHERE conversation_id = $1 AND ($2 OR NOT private) ORDER BY messages.seq LIMIT $3 OFFSET $4`, [conversationId, p.includePrivate, p.limit, p.offset]),
    db.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND ($2 OR NOT private)', [conversationId, p.includePrivate]),
  ]);
  return { items: items.rows, total: total.rows[0].n };
}
