// The data of a transcript email, built from the stored messages. Agents'
// private notes (messages.private) are left out here, in SQL: they never
// reach the customer (seed 003: hidden messages are not in the chat logs
// sent to the chatter).
import { AppError } from '../core/errors.js';
import type { Queryable } from '../db/pool.js';
import type { TranscriptData, TranscriptLine } from './templates/index.js';

export interface TranscriptSource extends Omit<TranscriptData, 'profile'> {
  /** Where the customer asked to receive it, if the form had an email. */
  customerEmail: string | null;
}

const FALLBACK_NAME = { customer: 'Customer', agent: 'Agent', system: 'Notice' } as const;

export async function transcriptData(db: Queryable, conversationId: string): Promise<TranscriptSource> {
  if (!/^[0-9a-f-]{36}$/i.test(conversationId)) throw new AppError('not_found', `conversation ${conversationId} not found`);
  const c = (await db.query(`SELECT c.customer_name, c.customer_email, c.created_at, c.closed_at, r.settings->>'name' AS room_name
    FROM conversations c JOIN rooms r ON r.id = c.room_id WHERE c.id = $1`, [conversationId])).rows[0];
  if (!c) throw new AppError('not_found', `conversation ${conversationId} not found`);
  const rows = (await db.query(`SELECT sender_kind, sender_nick, body, created_at FROM messages
    WHERE conversation_id = $1 AND NOT private ORDER BY seq`, [conversationId])).rows;
  const messages: TranscriptLine[] = rows.map((m) => ({
    at: (m.created_at as Date).toISOString(),
    from: (m.sender_nick as string | null) ?? (m.sender_kind === 'customer' ? c.customer_name : FALLBACK_NAME[m.sender_kind as TranscriptLine['kind']]),
    kind: m.sender_kind,
    body: m.body,
  }));
  return {
    customer: { name: c.customer_name }, room: { name: c.room_name ?? 'Chat' },
    startedAt: (c.created_at as Date).toISOString(), closedAt: c.closed_at ? (c.closed_at as Date).toISOString() : null,
    messages, customerEmail: c.customer_email,
  };
}
