// Listing conversations for the admin API: filters, pagination, total.
import type { Queryable } from '../pool.js';
import type { Conversation, ConversationStatus } from './conversations.js';

export interface ConversationFilter {
  limit: number; offset: number;
  status?: ConversationStatus; channel?: 'chat' | 'note'; roomId?: string; agentId?: string; customerId?: string; departmentId?: string; tagId?: string;
  /** created at or after */ from?: string;
  /** created before */ to?: string;
}

const COLS = `c.id, c.room_id AS "roomId", c.muc_node AS "mucNode", c.status, c.disposition, c.customer_name AS "customerName",
  c.customer_email AS "customerEmail", c.first_message AS "firstMessage", c.agent_id AS "agentId", c.customer_id AS "customerId",
  c.department_id AS "departmentId", c.channel, c.created_at AS "createdAt", c.customer_joined_at AS "customerJoinedAt",
  c.accepted_at AS "acceptedAt", c.closed_at AS "closedAt", c.closed_by AS "closedBy"`;

export async function listConversations(db: Queryable, f: ConversationFilter): Promise<{ items: Omit<Conversation, 'roomPassword'>[]; total: number }> {
  const where = `($1::text IS NULL OR c.status = $1) AND ($2::uuid IS NULL OR c.room_id = $2) AND ($3::uuid IS NULL OR c.agent_id = $3)
    AND ($4::uuid IS NULL OR c.customer_id = $4) AND ($5::uuid IS NULL OR c.department_id = $5)
    AND ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id AND t.tag_id = $6))
    AND ($7::timestamptz IS NULL OR c.created_at >= $7) AND ($8::timestamptz IS NULL OR c.created_at < $8)
    AND ($9::text IS NULL OR c.channel = $9)`;
  const args = [f.status ?? null, f.roomId ?? null, f.agentId ?? null, f.customerId ?? null, f.departmentId ?? null, f.tagId ?? null, f.from ?? null, f.to ?? null, f.channel ?? null];
  const [items, total] = await Promise.all([
    db.query(`SELECT ${COLS} FROM conversations c WHERE ${where} ORDER BY c.created_at DESC, c.id LIMIT $10 OFFSET $11`, [...args, f.limit, f.offset]),
    db.query(`SELECT count(*)::int AS n FROM conversations c WHERE ${where}`, args),
  ]);
  return { items: items.rows, total: total.rows[0].n };
}
