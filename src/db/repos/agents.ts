import type { Queryable } from '../pool.js';

export interface Agent {
  id: string; jid: string; name: string; nickname: string; email: string | null;
  role: 'administrator' | 'normal'; maxChats: number; createdAt: Date;
}

const COLS = 'id, jid, name, nickname, email, role, max_chats AS "maxChats", created_at AS "createdAt"';

export interface NewAgent { jid: string; name: string; nickname: string; email: string | null; role: Agent['role']; maxChats: number; passwordHash: string | null }

export async function insertAgent(db: Queryable, a: NewAgent): Promise<Agent> {
  const r = await db.query(`INSERT INTO agents (jid, name, nickname, email, role, max_chats, password_hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLS}`, [a.jid, a.name, a.nickname, a.email, a.role, a.maxChats, a.passwordHash]);
  return r.rows[0];
}

export async function listAgents(db: Queryable, opts: { limit: number; offset: number }): Promise<{ items: Agent[]; total: number }> {
  const r = await db.query(`SELECT ${COLS}, count(*) OVER () AS total FROM agents WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT $1 OFFSET $2`, [opts.limit, opts.offset]);
  const total = r.rows[0] ? Number(r.rows[0].total) : (await db.query('SELECT count(*)::int AS n FROM agents WHERE deleted_at IS NULL')).rows[0].n;
  return { items: r.rows.map(({ total: _t, ...a }) => a as Agent), total };
}

export async function allAgents(db: Queryable): Promise<Agent[]> {
  return (await db.query(`SELECT ${COLS} FROM agents WHERE deleted_at IS NULL`)).rows;
}

export async function agentByJid(db: Queryable, jid: string): Promise<Agent | null> {
  return (await db.query(`SELECT ${COLS} FROM agents WHERE jid = $1 AND deleted_at IS NULL`, [jid])).rows[0] ?? null;
}

export async function agentById(db: Queryable, id: string): Promise<Agent | null> {
  return (await db.query(`SELECT ${COLS} FROM agents WHERE id = $1`, [id])).rows[0] ?? null;
}

export async function countAgents(db: Queryable): Promise<number> {
  return (await db.query('SELECT count(*)::int AS n FROM agents')).rows[0].n;
}
