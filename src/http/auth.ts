// Operators sign in with login (email or JID) + password and get a bearer
// token; a session ends after 5 h without activity.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import type { Db } from '../db/pool.js';
import { agentById, type Agent } from '../db/repos/agents.js';
import { secret, sha256, verifyPassword } from '../app/secrets.js';

export const SESSION_IDLE_MS = 5 * 60 * 60 * 1000;

export async function login(db: Db, loginName: string, password: string): Promise<{ token: string; agent: Agent }> {
  const row = (await db.query('SELECT id, password_hash FROM agents WHERE (lower(email) = lower($1) OR jid = lower($1)) AND deleted_at IS NULL', [loginName])).rows[0];
  const ok = await verifyPassword(password, row?.password_hash ?? null);
  if (!row || !ok) throw new AppError('unauthorized', 'login: wrong login or password');
  const token = secret(40);
  await db.query('INSERT INTO api_sessions (token_hash, agent_id) VALUES ($1, $2)', [sha256(token), row.id]);
  return { token, agent: (await agentById(db, row.id))! };
}

export async function authenticate(db: Db, req: FastifyRequest): Promise<Agent> {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new AppError('unauthorized', 'authorization: a bearer token is required');
  const r = await db.query(`UPDATE api_sessions SET last_seen_at = now()
    WHERE token_hash = $1 AND last_seen_at > now() - make_interval(secs => $2) RETURNING agent_id`, [sha256(m[1]!), SESSION_IDLE_MS / 1000]);
  if (r.rowCount === 0) throw new AppError('unauthorized', 'authorization: the token is unknown or the session expired');
  const agent = await agentById(db, r.rows[0].agent_id);
  if (!agent) throw new AppError('unauthorized', 'authorization: the operator no longer exists');
  return agent;
}

export function registerAuth(app: FastifyInstance, db: Db): void {
  app.post<{ Body: { login: string; password: string } }>('/api/v1/auth/login', {
    schema: {
      tags: ['auth'], summary: 'Sign in; returns a bearer token',
      body: { type: 'object', additionalProperties: false, required: ['login', 'password'], properties: { login: { type: 'string', minLength: 1, maxLength: 300 }, password: { type: 'string', minLength: 1, maxLength: 200 } } },
      response: { 200: { type: 'object', properties: { token: { type: 'string' }, agent: { $ref: 'Agent#' } } }, 401: { $ref: 'Error#' } },
    },
  }, async (req) => login(db, req.body.login, req.body.password));
}

export async function requireAdmin(db: Db, req: FastifyRequest): Promise<Agent> {
  const agent = await authenticate(db, req);
  if (agent.role !== 'administrator') throw new AppError('forbidden', 'role: administrators only');
  return agent;
}
