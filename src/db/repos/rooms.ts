// Rooms: the entry points customers come through (glossary), public or an
// operator's private room. A deleted room keeps its row for its conversations.
import type { RoomSettings } from '../../core/room-settings.js';
import type { Queryable } from '../pool.js';

export interface Room {
  id: string; slug: string; kind: 'public' | 'private'; ownerAgentId: string | null;
  settings: RoomSettings; createdAt: Date; updatedAt: Date; deletedAt: Date | null;
}

const COLS = 'id, slug, kind, owner_agent_id AS "ownerAgentId", settings, created_at AS "createdAt", updated_at AS "updatedAt", deleted_at AS "deletedAt"';

export async function roomBySlug(db: Queryable, slug: string): Promise<Room | null> {
  return (await db.query(`SELECT ${COLS} FROM rooms WHERE slug = $1 AND deleted_at IS NULL`, [slug])).rows[0] ?? null;
}

export async function roomById(db: Queryable, id: string): Promise<Room | null> {
  return (await db.query(`SELECT ${COLS} FROM rooms WHERE id = $1`, [id])).rows[0] ?? null;
}

export async function roomSecret(db: Queryable, id: string): Promise<string | null> {
  return (await db.query('SELECT secret FROM rooms WHERE id = $1', [id])).rows[0]?.secret ?? null;
}

export async function ensureRoom(db: Queryable, slug: string, settings: RoomSettings): Promise<void> {
  await db.query('INSERT INTO rooms (slug, settings) SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE slug = $1 AND deleted_at IS NULL)', [slug, settings]);
}

export async function insertRoom(db: Queryable, r: { slug: string; kind: Room['kind']; ownerAgentId?: string | null; settings: RoomSettings }): Promise<Room> {
  return (await db.query(`INSERT INTO rooms (slug, kind, owner_agent_id, settings) VALUES ($1, $2, $3, $4) RETURNING ${COLS}`,
    [r.slug, r.kind, r.ownerAgentId ?? null, r.settings])).rows[0];
}

export async function slugTaken(db: Queryable, slug: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM rooms WHERE slug = $1 AND deleted_at IS NULL', [slug])).rowCount! > 0;
}

export async function privateRoomOf(db: Queryable, agentId: string): Promise<Room | null> {
  return (await db.query(`SELECT ${COLS} FROM rooms WHERE owner_agent_id = $1 AND kind = 'private' AND deleted_at IS NULL`, [agentId])).rows[0] ?? null;
}

export async function updateRoomSettings(db: Queryable, slug: string, settings: RoomSettings): Promise<Room | null> {
  return (await db.query(`UPDATE rooms SET settings = $2, updated_at = now() WHERE slug = $1 AND deleted_at IS NULL RETURNING ${COLS}`, [slug, settings])).rows[0] ?? null;
}

export async function deleteRoom(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('UPDATE rooms SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL', [id])).rowCount! > 0;
}
