// Canned responses (seed 004): a shortcut and its text, either everyone's
// (agent_id NULL) or one operator's own. A shortcut is unique per owner,
// whatever its case. Those of a deleted operator are hidden.
import type { Queryable } from '../pool.js';
import { containing } from './shared.js';

export interface CannedResponse { id: string; agentId: string | null; shortcut: string; text: string; createdAt: Date; updatedAt: Date }

const COLS = `c.id, c.agent_id AS "agentId", c.shortcut, c.text, c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;
const LIVE = '(c.agent_id IS NULL OR EXISTS (SELECT 1 FROM agents a WHERE a.id = c.agent_id AND a.deleted_at IS NULL))';

export async function cannedById(db: Queryable, id: string): Promise<CannedResponse | null> {
  return (await db.query(`SELECT ${COLS} FROM canned_responses c WHERE c.id = $1 AND ${LIVE}`, [id])).rows[0] ?? null;
}

export interface CannedFilter {
  limit: number; offset: number; q?: string;
  /** A normal operator sees everyone's and their own; null = an administrator, sees all. */
  viewer: string | null;
  /** Only everyone's (global) or only one owner's. */
  owner?: { global: true } | { agentId: string };
}

export async function listCanned(db: Queryable, f: CannedFilter): Promise<{ items: CannedResponse[]; total: number }> {
  const where = `${LIVE} AND ($1::uuid IS NULL OR c.agent_id IS NULL OR c.agent_id = $1)
    AND ($2::text IS NULL OR c.shortcut ILIKE $2 OR c.text ILIKE $2)
    AND (NOT $3::boolean OR c.agent_id IS NULL) AND ($4::uuid IS NULL OR c.agent_id = $4)`;
  const owner = f.owner ?? {};
  const args = [f.viewer, containing(f.q), 'global' in owner, 'agentId' in owner ? owner.agentId : null];
  const [items, total] = await Promise.all([
    db.query(`SELECT ${COLS} FROM canned_responses c WHERE ${where} ORDER BY c.agent_id NULLS FIRST, lower(c.shortcut), c.id LIMIT $5 OFFSET $6`, [...args, f.limit, f.offset]),
    db.query(`SELECT count(*)::int AS n FROM canned_responses c WHERE ${where}`, args),
  ]);
  return { items: items.rows, total: total.rows[0].n };
}

export async function insertCanned(db: Queryable, c: { agentId: string | null; shortcut: string; text: string }): Promise<CannedResponse> {
  const r = await db.query('INSERT INTO canned_responses (agent_id, shortcut, text) VALUES ($1, $2, $3) RETURNING id', [c.agentId, c.shortcut, c.text]);
  return (await cannedById(db, r.rows[0].id))!;
}

/** Changes the given fields (agentId null = make it everyone's); false when there is no such row. */
export async function updateCanned(db: Queryable, id: string, c: { agentId?: string | null; shortcut?: string; text?: string }): Promise<boolean> {
  const r = await db.query(`UPDATE canned_responses SET agent_id = CASE WHEN $2 THEN $3::uuid ELSE agent_id END,
    shortcut = coalesce($4, shortcut), text = coalesce($5, text), updated_at = now() WHERE id = $1`,
  [id, c.agentId !== undefined, c.agentId ?? null, c.shortcut ?? null, c.text ?? null]);
  return r.rowCount === 1;
}

export async function deleteCanned(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('DELETE FROM canned_responses WHERE id = $1', [id])).rowCount === 1;
}

/** What a shortcut typed by an operator stands for: their own first, else everyone's. */
export async function cannedForShortcut(db: Queryable, agentId: string, shortcut: string): Promise<CannedResponse | null> {
  const r = await db.query(`SELECT ${COLS} FROM canned_responses c WHERE lower(c.shortcut) = lower($2) AND (c.agent_id = $1 OR c.agent_id IS NULL)
    ORDER BY c.agent_id NULLS LAST LIMIT 1`, [agentId, shortcut]);
  return r.rows[0] ?? null;
}
