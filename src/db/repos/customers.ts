// Customers: the people behind conversations, matched by email when they
// give one. A normal operator sees only customers they have served.
import type { Queryable } from '../pool.js';

export interface Customer { id: string; name: string; email: string | null; externalId: string | null; tagIds: string[]; conversationCount: number; createdAt: Date; updatedAt: Date }

const COLS = `u.id, u.name, u.email, u.external_id AS "externalId",
  coalesce((SELECT array_agg(t.tag_id ORDER BY t.tag_id) FROM customer_tags t WHERE t.customer_id = u.id), '{}') AS "tagIds",
  (SELECT count(*)::int FROM conversations c WHERE c.customer_id = u.id AND ($1::uuid IS NULL OR c.agent_id = $1)) AS "conversationCount",
  u.created_at AS "createdAt", u.updated_at AS "updatedAt"`;

const VISIBLE = '($1::uuid IS NULL OR EXISTS (SELECT 1 FROM conversations c WHERE c.customer_id = u.id AND c.agent_id = $1))';

export interface CustomerFilter { limit: number; offset: number; q?: string; tagId?: string; servedBy?: string }

export async function listCustomers(db: Queryable, f: CustomerFilter): Promise<{ items: Customer[]; total: number }> {
  const where = `${VISIBLE} AND ($2::text IS NULL OR u.name ILIKE '%' || $2 || '%' OR u.email ILIKE '%' || $2 || '%')
    AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = u.id AND t.tag_id = $3))`;
  const args = [f.servedBy ?? null, f.q ?? null, f.tagId ?? null];
  const [items, total] = await Promise.all([
    db.query(`SELECT ${COLS} FROM customers u WHERE ${where} ORDER BY u.updated_at DESC, u.id LIMIT $4 OFFSET $5`, [...args, f.limit, f.offset]),
    db.query(`SELECT count(*)::int AS n FROM customers u WHERE ${where}`, args),
  ]);
  return { items: items.rows, total: total.rows[0].n };
}

export async function customerById(db: Queryable, id: string, servedBy?: string): Promise<Customer | null> {
  return (await db.query(`SELECT ${COLS} FROM customers u WHERE u.id = $2 AND ${VISIBLE}`, [servedBy ?? null, id])).rows[0] ?? null;
}
