// Sign-in and sessions, the operator's own profile, API tokens, and the
// sign-in rules (single session).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { AUTH_DEFAULTS, type AuthSettings } from '../../app/sessions.js';
import { verifyPassword } from '../../app/secrets.js';
import { getSetting, putSetting } from '../../db/repos/settings.js';
import type { AgentChanges } from '../../app/agents.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN, bearer, OPERATOR, PUBLIC } from '../access.js';
import { ERRORS, UUID_PARAM } from '../lists.js';

const TOKEN = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, lastUsedAt: { type: ['string', 'null'], format: 'date-time' }, revokedAt: { type: ['string', 'null'], format: 'date-time' } } } as const;

export function authRoutes(app: FastifyInstance, s: Services): void {
  app.post<{ Body: { login: string; password: string } }>('/api/v1/auth/login', {
    config: PUBLIC,
    schema: {
      tags: ['auth'], summary: 'Sign in with email (or JID) and password; returns a bearer token. Ends your other sessions unless the single-session rule is off.',
      body: { type: 'object', additionalProperties: false, required: ['login', 'password'], properties: { login: { type: 'string', minLength: 1, maxLength: 300 }, password: { type: 'string', minLength: 1, maxLength: 200 } } },
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

  app.get('/api/v1/api-tokens', {
    config: ADMIN,
    schema: { tags: ['auth'], summary: 'API tokens for integrations (secrets are never shown again)', response: { 200: { type: 'object', properties: { items: { type: 'array', items: TOKEN } } }, ...ERRORS } },
  }, async () => ({ items: (await s.db.query('SELECT id, name, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt" FROM api_tokens ORDER BY created_at, id')).rows }));

  app.post<{ Body: { name: string } }>('/api/v1/api-tokens', {
    config: ADMIN,
    schema: {
      tags: ['auth'], summary: 'Create an API token; it acts with administrator rights. The token is returned once.',
      body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } } },
      response: { 201: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, token: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } } }, ...ERRORS },
    },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const t = await s.sessions.createToken(req.body.name, actor.agent?.id ?? null);
    await s.audit.record(s.db, actor, { action: 'create', resource: 'api-token', id: t.id, after: { name: t.name } });
    return reply.code(201).send(t);
  });

  app.delete<{ Params: { id: string } }>('/api/v1/api-tokens/:id', {
    config: ADMIN,
    schema: { tags: ['auth'], summary: 'Revoke an API token', params: UUID_PARAM, response: { 204: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => {
    const r = await s.db.query('UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING name', [req.params.id, new Date(s.clock.now())]);
    if (r.rowCount === 0) throw new AppError('not_found', 'id: no such active API token', 'id');
    await s.audit.record(s.db, actorOf(req), { action: 'delete', resource: 'api-token', id: req.params.id, before: { name: r.rows[0].name } });
    return reply.code(204).send();
  });

  const AUTH_SETTINGS = { type: 'object', additionalProperties: false, properties: { singleSession: { type: 'boolean', description: 'Signing in on another device ends the older session.' } } } as const;
  app.get('/api/v1/settings/auth', {
    config: ADMIN, schema: { tags: ['settings'], summary: 'Sign-in rules', response: { 200: AUTH_SETTINGS, ...ERRORS } },
  }, async () => getSetting(s.db, 'auth', AUTH_DEFAULTS));

  app.put<{ Body: AuthSettings }>('/api/v1/settings/auth', {
    config: ADMIN, schema: { tags: ['settings'], summary: 'Change the sign-in rules', body: { ...AUTH_SETTINGS, required: ['singleSession'] }, response: { 200: AUTH_SETTINGS, ...ERRORS } },
  }, async (req) => {
    const before = await getSetting(s.db, 'auth', AUTH_DEFAULTS);
    const after = await putSetting(s.db, 'auth', { ...before, ...req.body });
    await s.audit.record(s.db, actorOf(req), { action: 'update', resource: 'settings', id: 'auth', before, after });
    return after;
  });
}
