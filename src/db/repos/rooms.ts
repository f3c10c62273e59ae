// Rooms: the entry points customers come through (glossary), public or an
// operator's private room. A deleted room keeps its row for its conversations.
// Settings are completed with defaults as they are read (stored documents may
// predate settings added since).
import { normaliseRoomSettings } from '../../core/room-normalise.js';
import type { RoomSettings } from '../../core/room-settings.js';
import type { Queryable } from '../pool.js';

export type RoomKind = 'public' | 'private';

export interface Room {
  id: string; slug: string; kind: RoomKind; ownerAgentId: string | null;
  settings: RoomSettings; createdAt: Date; updatedAt: Date; deletedAt: Date | null;
}

const COLS = 'r.id, r.slug, r.kind, r.owner_agent_id AS "ownerAgentId", r.settings, r.created_at AS "createdAt", r.updated_at AS "updatedAt", r.deleted_at AS "deletedAt"';
const read = (row: Room | undefined): Room | null => (row ? { ...row, settings: normaliseRoomSettings(row.settings) } : null);

export async function roomBySlug(db: Queryable, slug: string, opts: { forUpdate?: boolean } = {}): Promise<Room | null> {
  return read((await db.query(`SELECT ${COLS} FROM rooms r WHERE r.slug = $1 AND r.deleted_at IS NULL${opts.forUpdate ? ' FOR UPDATE' : ''}`, [slug])).rows[0]);
}

export async function roomById(db: Queryable, id: string): Promise<Room | null> {
  return read((await db.query(`SELECT ${COLS} FROM rooms r WHERE r.id = $1`, [id])).rows[0]);
}

export async function roomSecret(db: Queryable, id: string): Promise<string | null> {
  return (await db.query('SELECT secret FROM rooms WHERE id = $1', [id])).rows[0]?.secret ?? null;
}

export interface RoomFilter { limit: number; offset: number; kind?: RoomKind; q?: string }

/** Live rooms, public first, then by slug; `q` matches the slug or the name. */
export async function listRooms(db: Queryable, f: RoomFilter): Promise<{ items: Room[]; total: number }> {
  const where = `r.deleted_at IS NULL AND ($1::text IS NULL OR r.kind = $1)
    AND ($2::text IS NULL OR r.slug ILIKE '%' || $2 || '%' ESCAPE '\\' OR r.settings->>'name' ILIKE '%' || $2 || '%' ESCAPE '\\')`;
  const args = [f.kind ?? null, f.q === undefined ? null : f.q.replace(/[\\%_]/g, (c) => `\\${c}`)];
  const [items, total] = await Promise.all([
    db.query(`SELECT ${COLS} FROM rooms r WHERE ${where} ORDER BY r.kind DESC, r.slug LIMIT $3 OFFSET $4`, [...args, f.limit, f.offset]),
    db.query(`SELECT count(*)::int AS n FROM rooms r WHERE ${where}`, args),
  ]);
  return { items: items.rows.map((r: Room) => read(r)!), total: total.rows[0].n };
}

export async function ensureRoom(db: Queryable, slug: string, settings: RoomSettings): Promise<void> {
  await db.query('INSERT INTO rooms (slug, settings) SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE slug = $1 AND deleted_at IS NULL)', [slug, settings]);
}

/** Inserts a room; a slug already live fails with unique violation 23505 (rooms_slug_live). */
export async function insertRoom(db: Queryable, r: { slug: string; kind: RoomKind; ownerAgentId?: string | null; settings: RoomSettings }): Promise<Room> {
  return read((await db.query(`INSERT INTO rooms AS r (slug, kind, owner_agent_id, settings) VALUES ($1, $2, $3, $4) RETURNING ${COLS}`,
    [r.slug, r.kind, r.ownerAgentId ?? null, r.settings])).rows[0])!;
}

export async function slugTaken(db: Queryable, slug: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM rooms WHERE slug = $1 AND deleted_at IS NULL', [slug])).rowCount! > 0;
}

export async function privateRoomOf(db: Queryable, agentId: string): Promise<Room | null> {
  return read((await db.query(`SELECT ${COLS} FROM rooms r WHERE r.owner_agent_id = $1 AND r.kind = 'private' AND r.deleted_at IS NULL`, [agentId])).rows[0]);
}

export async function updateRoomSettings(db: Queryable, id: string, settings: RoomSettings): Promise<Room | null> {
  return read((await db.query(`UPDATE rooms r SET settings = $2, updated_at = now() WHERE r.id = $1 AND r.deleted_at IS NULL RETURNING ${COLS}`, [id, settings])).rows[0]);
}

/** Whether the room is the private room of an operator who still exists. */
export async function ownerIsLive(db: Queryable, roomId: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM rooms r JOIN agents a ON a.id = r.owner_agent_id
    WHERE r.id = $1 AND r.kind = 'private' AND a.deleted_at IS NULL`, [roomId])).rowCount! > 0;
}

export async function deleteRoom(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('UPDATE rooms SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL', [id])).rowCount! > 0;
}
