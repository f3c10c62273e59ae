// Pieces the admin resource repositories share: text search, turning
// constraint violations into errors that name the field, checking operator ids.
import { AppError, invalid } from '../../core/errors.js';
import type { Queryable } from '../pool.js';

/** An ILIKE pattern that finds q anywhere, with q's own % _ \ taken literally. */
export const containing = (q: string | undefined): string | null =>
  q === undefined ? null : `%${q.replace(/[\\%_]/g, '\\$&')}%`;

export interface ViolationMap { unique?: () => AppError; foreign?: (constraint: string) => AppError }

/**
 * A .catch() handler: unique (23505) and foreign-key (23503) violations become
 * the given errors; anything else is rethrown. Concurrent writers that slip past
 * an earlier check end here rather than in a 500.
 */
export const violation = (map: ViolationMap) => (e: { code?: string; constraint?: string }): never => {
  if (e.code === '23505' && map.unique) throw map.unique();
  if (e.code === '23503' && map.foreign) throw map.foreign(e.constraint ?? '');
  throw e;
};

/** Refuses ids that are not live operators (deleted ones keep their row). */
export async function requireLiveAgents(db: Queryable, ids: readonly string[], field = 'agentIds'): Promise<void> {
  if (!ids.length) return;
  const r = await db.query('SELECT id FROM agents WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL', [ids]);
  const live = new Set(r.rows.map((x: { id: string }) => x.id));
  const missing = ids.find((id) => !live.has(id));
  if (missing) throw invalid(field, `${missing} is not an operator`);
}

export const unknownAgent = (field = 'agentIds') => () => invalid(field, 'names an operator that does not exist');
