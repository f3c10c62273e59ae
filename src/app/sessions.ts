// Who is calling the API. Operators sign in with email (or JID) + password and
// get a bearer token; a session ends after 5 h without activity, and signing
// in again ends the operator's older sessions unless the company turned the
// single-session rule off. Integrations use API tokens made by administrators.
// Sign-in is rate limited per account and per client address.
import { AppError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import { SlidingWindow } from '../core/rate-limit.js';
import { inTransaction, type Db, type Queryable } from '../db/pool.js';
import { agentById, type Agent } from '../db/repos/agents.js';
import { getSetting } from '../db/repos/settings.js';
import { secret, sha256, verifyPassword } from './secrets.js';

export const SESSION_IDLE_MS = 5 * 60 * 60 * 1000;
export const API_TOKEN_PREFIX = 'sbt_';
export const AUTH_DEFAULTS = { singleSession: true };
export type AuthSettings = typeof AUTH_DEFAULTS;

export interface Actor {
  kind: 'agent' | 'token';
  id: string;
  label: string;
  role: Agent['role'];
  /** The operator behind the request; null for an API token. */
  agent: Agent | null;
}

export interface LoginLimits { perAccount: number; perAddress: number; windowMs: number }
const DEFAULT_LIMITS: LoginLimits = { perAccount: 5, perAddress: 30, windowMs: 15 * 60 * 1000 };

export class Sessions {
  private readonly failures: SlidingWindow;
  private readonly attempts: SlidingWindow;

  constructor(private readonly db: Db, private readonly clock: Clock, limits: LoginLimits = DEFAULT_LIMITS) {
    this.failures = new SlidingWindow(limits.perAccount, limits.windowMs);
    this.attempts = new SlidingWindow(limits.perAddress, limits.windowMs);
  }

  async login(input: { login: string; password: string; address: string; userAgent?: string }): Promise<{ token: string; agent: Agent; expiresAfterIdleSeconds: number }> {
    const now = this.clock.now();
    const account = input.login.trim().toLowerCase();
    this.failures.sweep(now);
    this.attempts.sweep(now);
    for (const v of [this.attempts.check(input.address, now), this.failures.check(account, now)]) {
      if (!v.allowed) throw new AppError('rate_limited', `login: too many sign-in attempts; try again in ${Math.ceil(v.retryAfterMs / 1000)} s`, 'login', v.retryAfterMs / 1000);
    }
    this.attempts.hit(input.address, now);
    const row = (await this.db.query(`SELECT id, password_hash FROM agents
      WHERE (lower(email) = $1 OR jid = $1) AND deleted_at IS NULL`, [account])).rows[0];
    const ok = await verifyPassword(input.password, row?.password_hash ?? null);
    if (!row || !ok) {
      this.failures.hit(account, now);
      throw new AppError('unauthorized', 'login: wrong login or password');
    }
    this.failures.reset(account);
    const token = secret(40);
    const at = new Date(now);
    const { singleSession } = await getSetting(this.db, 'auth', AUTH_DEFAULTS);
    await inTransaction(this.db, async (tx) => {
      if (singleSession) await tx.query('DELETE FROM api_sessions WHERE agent_id = $1', [row.id]);
      // Sessions that ended by inactivity are not kept (with the single-session rule off they would pile up).
      else await tx.query('DELETE FROM api_sessions WHERE agent_id = $1 AND last_seen_at <= $2::timestamptz - make_interval(secs => $3)', [row.id, at, SESSION_IDLE_MS / 1000]);
      await tx.query('INSERT INTO api_sessions (token_hash, agent_id, created_at, last_seen_at, user_agent) VALUES ($1, $2, $3, $3, $4)',
        [sha256(token), row.id, at, input.userAgent?.slice(0, 300) ?? null]);
    });
    return { token, agent: (await agentById(this.db, row.id))!, expiresAfterIdleSeconds: SESSION_IDLE_MS / 1000 };
  }

  async logout(token: string): Promise<void> {
    await this.db.query('DELETE FROM api_sessions WHERE token_hash = $1', [sha256(token)]);
  }

  /** The actor behind a bearer token; a session's idle clock restarts on each use. */
  async authenticate(token: string): Promise<Actor> {
    const now = new Date(this.clock.now());
    if (token.startsWith(API_TOKEN_PREFIX)) {
      const r = await this.db.query(`UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id, name`, [sha256(token), now]);
      if (r.rowCount === 0) throw new AppError('unauthorized', 'authorization: the API token is unknown or revoked');
      return { kind: 'token', id: r.rows[0].id, label: `token ${r.rows[0].name}`, role: 'administrator', agent: null };
    }
    const r = await this.db.query(`UPDATE api_sessions SET last_seen_at = $3
      WHERE token_hash = $1 AND last_seen_at > $3::timestamptz - make_interval(secs => $2) RETURNING agent_id`, [sha256(token), SESSION_IDLE_MS / 1000, now]);
    if (r.rowCount === 0) throw new AppError('unauthorized', 'authorization: the token is unknown or the session expired');
    const agent = await agentById(this.db, r.rows[0].agent_id);
    if (!agent || agent.deletedAt) throw new AppError('unauthorized', 'authorization: the operator no longer exists');
    return { kind: 'agent', id: agent.id, label: agent.email ?? agent.jid, role: agent.role, agent };
  }

  /** A new API token; the secret is returned once. `db`: a transaction that also records it in the audit log. */
  async createToken(name: string, createdBy: string | null, db: Queryable = this.db): Promise<{ id: string; name: string; token: string; createdAt: Date }> {
    const token = API_TOKEN_PREFIX + secret(40);
    const r = await db.query('INSERT INTO api_tokens (name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id, name, created_at AS "createdAt"',
      [name, sha256(token), createdBy, new Date(this.clock.now())]);
    return { ...r.rows[0], token };
  }
}
