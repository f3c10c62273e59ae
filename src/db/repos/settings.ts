// Company-wide settings: one JSON document per key, read with its defaults.
import type { Queryable } from '../pool.js';

export async function getSetting<T extends object>(db: Queryable, key: string, defaults: T): Promise<T> {
  const r = await db.query('SELECT value FROM settings WHERE key = $1', [key]);
  return { ...defaults, ...(r.rows[0]?.value ?? {}) };
}

export async function putSetting<T extends object>(db: Queryable, key: string, value: T): Promise<T> {
  await db.query(`INSERT INTO settings (key, value) VALUES ($1, $2)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, [key, value]);
  return value;
}
