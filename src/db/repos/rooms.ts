import { withDefaults, type RoomSettings } from '../../core/room-settings.js';
import type { Queryable } from '../pool.js';

export interface Room { id: string; slug: string; settings: RoomSettings; updatedAt: Date }

const COLS = 'id, slug, settings, updated_at AS "updatedAt"';
const read = (row: Room | undefined): Room | null => (row ? { ...row, settings: withDefaults(row.settings) } : null);

export async function roomBySlug(db: Queryable, slug: string): Promise<Room | null> {
  return read((await db.query(`SELECT ${COLS} FROM rooms WHERE slug = $1`, [slug])).rows[0]);
}

export async function roomById(db: Queryable, id: string): Promise<Room | null> {
  return read((await db.query(`SELECT ${COLS} FROM rooms WHERE id = $1`, [id])).rows[0]);
}

export async function ensureRoom(db: Queryable, slug: string, settings: RoomSettings): Promise<void> {
  await db.query('INSERT INTO rooms (slug, settings) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING', [slug, settings]);
}

export async function updateRoomSettings(db: Queryable, slug: string, settings: RoomSettings): Promise<Room | null> {
  return read((await db.query(`UPDATE rooms SET settings = $2, updated_at = now() WHERE slug = $1 RETURNING ${COLS}`, [slug, settings])).rows[0]);
}
