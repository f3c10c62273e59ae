// Predefined messages (seed 003): a supervisor's stock messages an agent
// picks from a list, each with a title.
import type { Queryable } from '../pool.js';
import { containing } from './shared.js';

export interface PredefinedMessage { id: string; title: string; text: string; createdAt: Date; updatedAt: Date }

const COLS = 'id, title, text, created_at AS "createdAt", updated_at AS "updatedAt"';

export async function predefinedById(db: Queryable, id: string): Promise<PredefinedMessage | null> {
  return (await db.query(`SELECT ${COLS} FROM predefined_messages WHERE id = $1`, [id])).rows[0] ?? null;
}

export async function listPredefined(db: Queryable, f: { limit: number; offset: number; q?: string }): Promise<{ items: PredefinedMessage[]; total: number }> {
  const where = '($1::text IS NULL OR title ILIKE $1 OR text ILIKE $1)';
  const args = [containing(f.q)];
  const [items, total] = await Promise.all([
    db.query(`SELECT ${COLS} FROM predefined_messages WHERE ${where} ORDER BY lower(title), id LIMIT $2 OFFSET $3`, [...args, f.limit, f.offset]),
    db.query(`SELECT count(*)::int AS n FROM predefined_messages WHERE ${where}`, args),
  ]);
  return { items: items.rows, total: total.rows[0].n };
}

export async function insertPredefined(db: Queryable, m: { title: string; text: string }): Promise<PredefinedMessage> {
  return (await db.query(`INSERT INTO predefined_messages (title, text) VALUES ($1, $2) RETURNING ${COLS}`, [m.title, m.text])).rows[0];
}

export async function updatePredefined(db: Queryable, id: string, m: { title?: string; text?: string }): Promise<PredefinedMessage | null> {
  return (await db.query(`UPDATE predefined_messages SET title = coalesce($2, title), text = coalesce($3, text), updated_at = now()
    WHERE id = $1 RETURNING ${COLS}`, [id, m.title ?? null, m.text ?? null])).rows[0] ?? null;
}

export async function deletePredefined(db: Queryable, id: string): Promise<PredefinedMessage | null> {
  return (await db.query(`DELETE FROM predefined_messages WHERE id = $1 RETURNING ${COLS}`, [id])).rows[0] ?? null;
}
