// Sign-in and sessions, the operator's own profile, API tokens, and the
// sign-in rules (single session).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { AUTH_DEFAULTS, type AuthSettings } from '../../app/sessions.js';
import { verifyPassword } from '../../app/secrets.js';
import { getSetting, putSetting } from '../../db/repos/settings.js';
import { inTransaction } from '../../db/pool.js';
import type { AgentChanges } from '../../app/agents.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN, bearer, OPERATOR, PUBLIC } from '../access.js';
import { ERRORS, listOf, listQuery, UUID_PARAM, type Page } from '../lists.js';

export function authRoutes(app: FastifyInstance, s: Services): void {
  app.post<{ Body: { login: string; password: string } }>('/api/v1/auth/login', {
    config: PUBLIC,
    schema: {
      tags: ['auth'], summary: 'Sign in with email (or JID) and password; returns a bearer token. Ends your other sessions unless the single-session rule is off.',
      body: { $ref: 'Login#' },
      response: { 200: { type: 'object', properties: { token: { type: 'string' }, expiresAfterIdleSeconds: { type: 'integer' }, agent: { $ref: 'Agent#' } } }, ...ERRORS },
    },
  }, async (req) => s.sessions.login({ ...req.body, address: req.ip, userAgent: req.headers['user-agent'] }));

  app.delete('/api/v1/auth/session', {
    config: OPERATOR,
    schema: { tags: ['auth'], summary: 'Sign out (ends this session)', response: { 204: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => { await s.sessions.logout(bearer(req)!); return reply.code(204).send(); });

  app.get('/api/v1/me', {
    config: OPERATOR,
    schema: { tags: ['auth'], summary: 'Your own profile with your SIP info', response: { 200: { type: 'object', properties: { agent: { $ref: 'Agent#' }, sipInfo: { anyOf: [{ $ref: 'SipInfo#' }, { type: 'null' }] } } }, ...ERRORS } },
  }, async (req) => {
    const me = actorOf(req).agent;
    if (!me) throw new AppError('not_found', 'authorization: an API token has no profile');
    return { agent: s.agents.byId(me.id) ?? me, sipInfo: await s.agents.sipInfo(me.id) };
  });

  app.patch<{ Body: AgentChanges & { currentPassword?: string } }>('/api/v1/me', {
    config: OPERATOR,
    schema: { tags: ['auth'], summary: 'Edit your private profile (administrators are notified)', body: { $ref: 'ProfileChanges#' }, response: { 200: { $ref: 'Agent#' }, ...ERRORS } },
  }, async (req) => {
    const actor = actorOf(req);
    if (!actor.agent) throw new AppError('not_found', 'authorization: an API token has no profile');
    const { currentPassword, ...changes } = req.body;
    if (changes.password !== undefined) {
      const row = (await s.db.query('SELECT password_hash FROM agents WHERE id = $1', [actor.agent.id])).rows[0];
      if (!(await verifyPassword(currentPassword ?? '', row?.password_hash ?? null))) throw new AppError('forbidden', 'currentPassword: does not match', 'currentPassword');
    }
    const updated = await s.agents.update(actor.agent.id, changes, actor);
    await s.events.profileEdited(updated, Object.keys(changes));
    return updated;
  });

  app.get<{ Querystring: Page & { revoked?: boolean } }>('/api/v1/api-tokens', {
    config: ADMIN,
    schema: {
      tags: ['auth'], summary: 'API tokens for integrations, oldest first (secrets are never shown again); revoked=false lists the working ones',
      querystring: listQuery({ revoked: { type: 'boolean' } }),
      response: { 200: listOf('ApiToken'), ...ERRORS },
    },
  }, async (req) => {
    const { limit, offset, revoked } = req.query;
    const where = '($1::boolean IS NULL OR (revoked_at IS NOT NULL) = $1)';
    const [items, total] = await Promise.all([
      s.db.query(`SELECT id, name, created_by AS "createdBy", created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
        FROM api_tokens WHERE ${where} ORDER BY created_at, id LIMIT $2 OFFSET $3`, [revoked ?? null, limit, offset]),
      s.db.query(`SELECT count(*)::int AS n FROM api_tokens WHERE ${where}`, [revoked ?? null]),
    ]);
    return { items: items.rows, total: total.rows[0].n };
  });

  app.post<{ Body: { name: string } }>('/api/v1/api-tokens', {
    config: ADMIN,
    schema: {
      tags: ['auth'], summary: 'Create an API token; it acts with administrator rights. The token is returned once.',
      body: { $ref: 'NewApiToken#' },
      response: { 201: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, token: { type: 'string', description: 'The secret (sbt_…), shown this once' }, createdAt: { type: 'string', format: 'date-time' } } }, ...ERRORS },
    },
  }, async (req, reply) => {
    const actor = actorOf(req);
    // The token and its audit entry are stored together, or neither.
    const t = await inTransaction(s.db, async (tx) => {
      const made = await s.sessions.createToken(req.body.name, actor.agent?.id ?? null, tx);
      await s.audit.record(tx, actor, { action: 'create', resource: 'api-token', id: made.id, after: { name: made.name } });
      return made;
    });
    return reply.code(201).send(t);
  });

  app.delete<{ Params: { id: string } }>('/api/v1/api-tokens/:id', {
    config: ADMIN,
    schema: { tags: ['auth'], summary: 'Revoke an API token', params: UUID_PARAM, response: { 204: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => {
    await inTransaction(s.db, async (tx) => {
      const r = await tx.query('UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING name', [req.params.id, new Date(s.clock.now())]);
      if (r.rowCount === 0) throw new AppError('not_found', 'id: no such active API token', 'id');
      await s.audit.record(tx, actorOf(req), { action: 'delete', resource: 'api-token', id: req.params.id, before: { name: r.rows[0].name } });
    });
    return reply.code(204).send();
  });

  app.get('/api/v1/settings/auth', {
    config: ADMIN, schema: { tags: ['settings'], summary: 'Sign-in rules', response: { 200: { $ref: 'AuthSettings#' }, ...ERRORS } },
  }, async () => getSetting(s.db, 'auth', AUTH_DEFAULTS));

  app.put<{ Body: AuthSettings }>('/api/v1/settings/auth', {
    config: ADMIN, schema: { tags: ['settings'], summary: 'Change the sign-in rules', body: { $ref: 'AuthSettings#' }, response: { 200: { $ref: 'AuthSettings#' }, ...ERRORS } },
  }, async (req) => {
    return inTransaction(s.db, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('settings:auth'))"); // concurrent changes: each audit entry's before is the true one
      const before = await getSetting(tx, 'auth', AUTH_DEFAULTS);
      const after = await putSetting(tx, 'auth', { ...before, ...req.body });
      await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'settings', id: 'auth', before, after });
      return after;
    });
  });
}
