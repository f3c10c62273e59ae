// Mail tests without the XMPP side: a fresh migrated database with room
// general, and MailService instances on it with test-friendly settings.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config.js';
import { defaultRoomSettings } from '../../src/core/room-settings.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, type Db } from '../../src/db/pool.js';
import { ensureRoom } from '../../src/db/repos/rooms.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { MailService, type MailServiceOptions } from '../../src/mail/index.js';
import { freshDatabase, testEnv } from './env.js';

export const mailLog = process.env.TEST_LOG ? createLogger('debug', 'mail') : silentLogger;

export interface MailDb { db: Db; url: string; cfg: Config; services: MailService[]; close(): Promise<void> }

/** A fresh database with our migrations and room general; cfg has its own data dir and quick retries. */
export async function mailDb(overrides: Partial<Config> = {}): Promise<MailDb> {
  const env = await testEnv();
  const url = await freshDatabase(env);
  const db = createPool(url, mailLog, 5);
  await migrate(db);
  await ensureRoom(db, 'general', defaultRoomSettings());
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-mail-'));
  const cfg: Config = { ...env.baseConfig, dataDir, mailRetryBaseSeconds: 1, mailRetryMaxSeconds: 1, smtpUrl: '', ...overrides };
  const services: MailService[] = [];
  return {
    db, url, cfg, services,
    async close() {
      await Promise.all(services.splice(0).map((s) => s.stop()));
      await db.end();
      if (!process.env.KEEP_TEST_DIRS) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A MailService on that database (started unless told otherwise), stopped by close(). */
export async function mailService(m: MailDb, cfg: Partial<Config> = {}, o: Partial<MailServiceOptions> & { start?: boolean } = {}): Promise<MailService> {
  const s = new MailService({ db: m.db, cfg: { ...m.cfg, ...cfg }, log: mailLog, pollMs: 200, ...o });
  m.services.push(s);
  if (o.start !== false) await s.start();
  return s;
}

/** A closed conversation in room general with the given messages (private ones too). */
export async function conversationWith(db: Db, customer: { name: string; email: string | null }, msgs: Array<{ kind: 'customer' | 'agent' | 'system'; nick: string | null; body: string; private?: boolean }>): Promise<string> {
  const r = await db.query(`INSERT INTO conversations (room_id, muc_node, status, customer_name, customer_email, room_password, customer_token_hash, closed_at)
    SELECT id, $1, 'closed', $2, $3, 'pw', 'hash', now() FROM rooms WHERE slug = 'general' RETURNING id`, [`c-${randomUUID()}`, customer.name, customer.email]);
  const id = r.rows[0].id as string;
  for (const m of msgs) {
    await db.query(`INSERT INTO messages (id, conversation_id, sender_kind, sender_nick, body, private) VALUES ($1, $2, $3, $4, $5, $6)`,
      [randomUUID(), id, m.kind, m.nick, m.body, m.private ?? false]);
  }
  return id;
}
