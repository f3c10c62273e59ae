// URL routing rules (seed 004), administrators only. A rule cannot be
// enabled while department routing is on (and department routing cannot be
// turned on while a rule is enabled: routes/company.ts) — both checks run under
// the same lock, so concurrent requests cannot end with both on.
import type { FastifyInstance } from 'fastify';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { matchUrlRoute, normalizeUrlPattern } from '../../core/url-routing.js';
import { inTransaction, type Tx } from '../../db/pool.js';
import { lockRoutingMode, routingSettings } from '../../db/repos/company-settings.js';
import { requireLiveAgents, unknownAgent, violation } from '../../db/repos/shared.js';
import {
  deleteUrlRoute, enabledUrlRoutes, insertUrlRoute, listUrlRoutes, setUrlRouteAgents, updateUrlRoute, urlRouteById, type UrlRoute,
} from '../../db/repos/url-routes.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN } from '../access.js';
import { ERRORS, listOf, listQuery, UUID_PARAM, type Page } from '../lists.js';

interface Changes { pattern?: string; enabled?: boolean; agentIds?: string[] }

const ONE = { 200: { $ref: 'UrlRoute#' }, ...ERRORS } as const;
const TAGS = ['URL routing'];
const noSuch = () => notFound('id', 'no such URL routing rule');
const patternTaken = () => conflict('pattern', 'another URL routing rule has this pattern');

function normalized(pattern: string | undefined): string | undefined {
  if (pattern === undefined) return undefined;
  const n = normalizeUrlPattern(pattern);
  if (!n.ok) throw invalid('pattern', n.rule);
  return n.pattern;
}

/** Checks the rule as it will be once the change is applied. */
async function checkRule(tx: Tx, rule: { enabled: boolean; agentIds: readonly string[] }, changes: Changes): Promise<void> {
  if (changes.agentIds) await requireLiveAgents(tx, changes.agentIds);
  if (!rule.enabled) return;
  await lockRoutingMode(tx);
  if ((await routingSettings(tx)).departmentRouting) {
    throw conflict('enabled', 'department routing and URL routing cannot be used together: turn department routing off first (PUT /api/v1/settings/routing)');
  }
  if (!rule.agentIds.length) throw invalid('agentIds', 'an enabled rule needs at least one operator');
}

export function urlRouteRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Querystring: Page & { q?: string; enabled?: boolean } }>('/api/v1/url-routes', {
    config: ADMIN,
    schema: {
      tags: TAGS, summary: 'List URL routing rules, oldest first (filter by text in the pattern, enabled)',
      querystring: listQuery({ q: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000]*$' }, enabled: { type: 'boolean' } }),
      response: { 200: listOf('UrlRoute'), ...ERRORS },
    },
  }, async (req) => listUrlRoutes(s.db, req.query));

  app.get<{ Querystring: { url: string } }>('/api/v1/url-routes/match', {
    config: ADMIN,
    schema: {
      tags: TAGS, summary: 'Which enabled rule a chat from this page would follow (null: none, every operator may get it)',
      querystring: { type: 'object', additionalProperties: false, required: ['url'], properties: { url: { type: 'string', minLength: 1, maxLength: 2000, pattern: '^[^\\u0000]*$' } } },
      response: { 200: { type: 'object', properties: { route: { anyOf: [{ $ref: 'UrlRoute#' }, { type: 'null' }] } } }, ...ERRORS },
    },
  }, async (req) => ({ route: matchUrlRoute(await enabledUrlRoutes(s.db), req.query.url) }));

  app.get<{ Params: { id: string } }>('/api/v1/url-routes/:id', {
    config: ADMIN,
    schema: { tags: TAGS, summary: 'One URL routing rule', params: UUID_PARAM, response: ONE },
  }, async (req) => {
    const r = await urlRouteById(s.db, req.params.id);
    if (!r) throw noSuch();
    return r;
  });

  app.post<{ Body: { pattern: string; enabled: boolean; agentIds?: string[] } }>('/api/v1/url-routes', {
    config: ADMIN,
    schema: { tags: TAGS, summary: 'Create a URL routing rule (enabling it is refused with 409 while department routing is on)', body: { $ref: 'NewUrlRoute#' }, response: { 201: { $ref: 'UrlRoute#' }, ...ERRORS } },
  }, async (req, reply) => {
    const pattern = normalized(req.body.pattern)!;
    const agentIds = req.body.agentIds ?? [];
    const created = await inTransaction(s.db, async (tx) => {
      await checkRule(tx, { enabled: req.body.enabled, agentIds }, { agentIds });
      const id = await insertUrlRoute(tx, { pattern, enabled: req.body.enabled }).catch(violation({ unique: patternTaken }));
      await setUrlRouteAgents(tx, id, agentIds).catch(violation({ foreign: unknownAgent() }));
      const after = (await urlRouteById(tx, id))!;
      await s.audit.record(tx, actorOf(req), { action: 'create', resource: 'url-route', id, after });
      return after;
    });
    return reply.code(201).send(created);
  });

  app.patch<{ Params: { id: string }; Body: Changes }>('/api/v1/url-routes/:id', {
    config: ADMIN,
    schema: { tags: TAGS, summary: 'Change a URL routing rule: pattern, operators, enabled (enabling is refused with 409 while department routing is on)', params: UUID_PARAM, body: { $ref: 'UrlRouteChanges#' }, response: ONE },
  }, async (req) => {
    const pattern = normalized(req.body.pattern);
    return inTransaction(s.db, async (tx) => {
      const before: UrlRoute | null = await urlRouteById(tx, req.params.id);
      if (!before) throw noSuch();
      const { enabled = before.enabled, agentIds = before.agentIds } = req.body;
      await checkRule(tx, { enabled, agentIds }, req.body);
      if (!(await updateUrlRoute(tx, before.id, { pattern, enabled: req.body.enabled }).catch(violation({ unique: patternTaken })))) throw noSuch();
      if (req.body.agentIds) await setUrlRouteAgents(tx, before.id, req.body.agentIds).catch(violation({ foreign: unknownAgent() }));
      const after = (await urlRouteById(tx, before.id))!;
      await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'url-route', id: before.id, before, after });
      return after;
    });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/url-routes/:id', {
    config: ADMIN,
    schema: { tags: TAGS, summary: 'Delete a URL routing rule', params: UUID_PARAM, response: { 204: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => {
    await inTransaction(s.db, async (tx) => {
      const before = await urlRouteById(tx, req.params.id);
      if (!before || !(await deleteUrlRoute(tx, before.id))) throw noSuch();
      await s.audit.record(tx, actorOf(req), { action: 'delete', resource: 'url-route', id: before.id, before });
    });
    return reply.code(204).send();
  });
}
