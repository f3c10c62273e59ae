// URL routing rules (seed 004): a page pattern and the operators its chats
// go to, with an enable flag. Patterns are stored normalised (core/url-routing.ts)
// and are unique whatever their case.
import type { Queryable } from '../pool.js';
import { containing } from './shared.js';

export interface UrlRoute { id: string; pattern: string; enabled: boolean; agentIds: string[]; createdAt: Date; updatedAt: Date }

const COLS = `r.id, r.pattern, r.enabled,
  coalesce((SELECT array_agg(x.agent_id ORDER BY x.agent_id) FROM url_route_agents x JOIN agents a ON a.id = x.agent_id
    WHERE x.url_route_id = r.id AND a.deleted_at IS NULL), '{}') AS "agentIds",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

export async function urlRouteById(db: Queryable, id: string): Promise<UrlRoute | null> {
  return (await db.query(`SELECT ${COLS} FROM url_routes r WHERE r.id = $1`, [id])).rows[0] ?? null;
}

export async function listUrlRoutes(db: Queryable, f: { limit: number; offset: number; q?: string; enabled?: boolean }): Promise<{ items: UrlRoute[]; total: number }> {
  const where = '($1::text IS NULL OR r.pattern ILIKE $1) AND ($2::boolean IS NULL OR r.enabled = $2)';
  const args = [containing(f.q), f.enabled ?? null];
  const [items, total] = await Promise.all([
    db.query(`SELECT ${COLS} FROM url_routes r WHERE ${where} ORDER BY r.created_at, r.id LIMIT $3 OFFSET $4`, [...args, f.limit, f.offset]),
    db.query(`SELECT count(*)::int AS n FROM url_routes r WHERE ${where}`, args),
  ]);
  return { items: items.rows, total: total.rows[0].n };
}

/** The rules routing applies, oldest first (the tie-break order of matchUrlRoute). */
export async function enabledUrlRoutes(db: Queryable): Promise<UrlRoute[]> {
  return (await db.query(`SELECT ${COLS} FROM url_routes r WHERE r.enabled ORDER BY r.created_at, r.id`)).rows;
}

export async function countEnabledUrlRoutes(db: Queryable): Promise<number> {
  return (await db.query('SELECT count(*)::int AS n FROM url_routes WHERE enabled')).rows[0].n;
}

export async function insertUrlRoute(db: Queryable, r: { pattern: string; enabled: boolean }): Promise<string> {
  return (await db.query('INSERT INTO url_routes (pattern, enabled) VALUES ($1, $2) RETURNING id', [r.pattern, r.enabled])).rows[0].id;
}

export async function updateUrlRoute(db: Queryable, id: string, r: { pattern?: string; enabled?: boolean }): Promise<boolean> {
  const u = await db.query(`UPDATE url_routes SET pattern = coalesce($2, pattern), enabled = coalesce($3, enabled), updated_at = now()
    WHERE id = $1`, [id, r.pattern ?? null, r.enabled ?? null]);
  return u.rowCount === 1;
}

export async function setUrlRouteAgents(db: Queryable, id: string, agentIds: readonly string[]): Promise<void> {
  await db.query('DELETE FROM url_route_agents WHERE url_route_id = $1 AND NOT (agent_id = ANY($2::uuid[]))', [id, agentIds]);
  await db.query('INSERT INTO url_route_agents (url_route_id, agent_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [id, agentIds]);
}

export async function deleteUrlRoute(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('DELETE FROM url_routes WHERE id = $1', [id])).rowCount === 1;
}
