// Tags on conversations and on customers: one table, two kinds. A name is
// unique within its kind whatever its case. Deleting a tag detaches it.
import type { Queryable } from '../pool.js';
import { containing } from './shared.js';

export type TagKind = 'conversation' | 'customer';
export interface Tag { id: string; kind: TagKind; name: string; color: string; createdAt: Date; updatedAt: Date }

const COLS = 't.id, t.kind, t.name, t.color, t.created_at AS "createdAt", t.updated_at AS "updatedAt"';

export async function tagById(db: Queryable, id: string): Promise<Tag | null> {
  return (await db.query(`SELECT ${COLS} FROM tags t WHERE t.id = $1`, [id])).rows[0] ?? null;
}

export async function listTags(db: Queryable, f: { limit: number; offset: number; q?: string; kind?: TagKind }): Promise<{ items: Tag[]; total: number }> {
  const where = '($1::text IS NULL OR t.name ILIKE $1) AND ($2::text IS NULL OR t.kind = $2)';
  const args = [containing(f.q), f.kind ?? null];
  const [items, total] = await Promise.all([
    db.query(`SELECT ${COLS} FROM tags t WHERE ${where} ORDER BY t.kind, lower(t.name), t.id LIMIT $3 OFFSET $4`, [...args, f.limit, f.offset]),
    db.query(`SELECT count(*)::int AS n FROM tags t WHERE ${where}`, args),
  ]);
  return { items: items.rows, total: total.rows[0].n };
}

export async function insertTag(db: Queryable, t: { kind: TagKind; name: string; color: string }): Promise<Tag> {
  return (await db.query(`INSERT INTO tags AS t (kind, name, color) VALUES ($1, $2, $3) RETURNING ${COLS}`, [t.kind, t.name, t.color])).rows[0];
}

export async function updateTag(db: Queryable, id: string, t: { name?: string; color?: string }): Promise<Tag | null> {
  return (await db.query(`UPDATE tags AS t SET name = coalesce($2, name), color = coalesce($3, color), updated_at = now()
    WHERE t.id = $1 RETURNING ${COLS}`, [id, t.name ?? null, t.color ?? null])).rows[0] ?? null;
}

export async function deleteTag(db: Queryable, id: string): Promise<Tag | null> {
  return (await db.query(`DELETE FROM tags AS t WHERE t.id = $1 RETURNING ${COLS}`, [id])).rows[0] ?? null;
}

/** The first of ids that is not a tag of this kind, or null. */
export async function notOfKind(db: Queryable, ids: readonly string[], kind: TagKind): Promise<string | null> {
  if (!ids.length) return null;
  const r = await db.query('SELECT id FROM tags WHERE id = ANY($1::uuid[]) AND kind = $2', [ids, kind]);
  const ok = new Set(r.rows.map((x: { id: string }) => x.id));
  return ids.find((id) => !ok.has(id)) ?? null;
}

// The two attachment tables, named here only (never from input).
const LINKS = {
  conversation: { table: 'conversation_tags', owner: 'conversation_id' },
  customer: { table: 'customer_tags', owner: 'customer_id' },
} as const;

export async function tagsOf(db: Queryable, kind: TagKind, ownerId: string): Promise<Tag[]> {
  const { table, owner } = LINKS[kind];
  return (await db.query(`SELECT ${COLS} FROM ${table} l JOIN tags t ON t.id = l.tag_id WHERE l.${owner} = $1 ORDER BY lower(t.name), t.id`, [ownerId])).rows;
}

/** Makes tagIds the whole set of tags on a conversation or a customer. */
export async function setTagsOf(db: Queryable, kind: TagKind, ownerId: string, tagIds: readonly string[]): Promise<void> {
  const { table, owner } = LINKS[kind];
  await db.query(`DELETE FROM ${table} WHERE ${owner} = $1 AND NOT (tag_id = ANY($2::uuid[]))`, [ownerId, tagIds]);
  await db.query(`INSERT INTO ${table} (${owner}, tag_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [ownerId, tagIds]);
}

export async function customerExists(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM customers WHERE id = $1', [id])).rowCount === 1;
}
