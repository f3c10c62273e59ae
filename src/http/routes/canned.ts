// Canned responses (seed 004). Administrators manage all of them; a normal
// operator reads everyone's and their own, and creates, changes and deletes
// only their own. Another operator's own responses do not exist for them (404).
import type { FastifyInstance } from 'fastify';
import { AppError, conflict, notFound } from '../../core/errors.js';
import { inTransaction } from '../../db/pool.js';
import { cannedById, deleteCanned, insertCanned, listCanned, updateCanned, type CannedResponse } from '../../db/repos/canned.js';
import { requireLiveAgents, unknownAgent, violation } from '../../db/repos/shared.js';
import type { Actor } from '../../app/sessions.js';
import type { Services } from '../app.js';
import { actorOf, isAdmin, OPERATOR } from '../access.js';
import { ERRORS, listOf, listQuery, UUID_PARAM, type Page } from '../lists.js';

interface Body { shortcut?: string; text?: string; agentId?: string | null }
interface ListQuery extends Page { q?: string; owner?: 'global' | 'mine'; agentId?: string }

const ONE = { 200: { $ref: 'CannedResponse#' }, ...ERRORS } as const;
const QUERY = listQuery({
  q: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000]*$', description: 'Text in the shortcut or the text' },
  owner: { type: 'string', enum: ['global', 'mine'], description: "Only everyone's, or only your own" },
  agentId: { type: 'string', format: 'uuid', description: "Only this operator's own" },
});
const shortcutTaken = () => conflict('shortcut', 'this owner already has a canned response with this shortcut');
const noSuch = () => notFound('id', 'no such canned response');

/** null for administrators (they see everything), else the operator's id. */
const viewerOf = (a: Actor): string | null => (isAdmin(a) ? null : a.agent!.id);

function visible(c: CannedResponse | null, a: Actor): CannedResponse {
  const viewer = viewerOf(a);
  if (!c || (viewer !== null && c.agentId !== null && c.agentId !== viewer)) throw noSuch();
  return c;
}

/** A normal operator may own a response but not hand one to everyone or to a colleague. */
function mayOwn(a: Actor, agentId: string | null | undefined): void {
  const viewer = viewerOf(a);
  if (viewer !== null && agentId !== undefined && agentId !== viewer) {
    throw new AppError('forbidden', "agentId: only administrators manage everyone's or other operators' canned responses", 'agentId');
  }
}

export function cannedRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Querystring: ListQuery }>('/api/v1/canned-responses', {
    config: OPERATOR,
    schema: { tags: ['canned responses'], summary: "List canned responses: administrators see all; an operator sees everyone's and their own", querystring: QUERY, response: { 200: listOf('CannedResponse'), ...ERRORS } },
  }, async (req) => {
    const a = actorOf(req);
    const { owner, agentId, ...rest } = req.query;
    const mine = a.agent?.id ?? '00000000-0000-0000-0000-000000000000';
    return listCanned(s.db, {
      ...rest, viewer: viewerOf(a),
      owner: owner === 'global' ? { global: true } : owner === 'mine' ? { agentId: mine } : agentId ? { agentId } : undefined,
    });
  });

  app.get<{ Params: { id: string } }>('/api/v1/canned-responses/:id', {
    config: OPERATOR,
    schema: { tags: ['canned responses'], summary: 'One canned response', params: UUID_PARAM, response: ONE },
  }, async (req) => visible(await cannedById(s.db, req.params.id), actorOf(req)));

  app.post<{ Body: Required<Pick<Body, 'shortcut' | 'text'>> & Body }>('/api/v1/canned-responses', {
    config: OPERATOR,
    schema: { tags: ['canned responses'], summary: "Create a canned response: your own, or (administrators) everyone's or an operator's", body: { $ref: 'NewCannedResponse#' }, response: { 201: { $ref: 'CannedResponse#' }, ...ERRORS } },
  }, async (req, reply) => {
    const a = actorOf(req);
    mayOwn(a, req.body.agentId);
    const agentId = req.body.agentId !== undefined ? req.body.agentId : viewerOf(a);
    const created = await inTransaction(s.db, async (tx) => {
      if (agentId) await requireLiveAgents(tx, [agentId], 'agentId');
      const c = await insertCanned(tx, { agentId, shortcut: req.body.shortcut, text: req.body.text })
        .catch(violation({ unique: shortcutTaken, foreign: unknownAgent('agentId') }));
      await s.audit.record(tx, a, { action: 'create', resource: 'canned-response', id: c.id, after: c });
      return c;
    });
    return reply.code(201).send(created);
  });

  app.patch<{ Params: { id: string }; Body: Body }>('/api/v1/canned-responses/:id', {
    config: OPERATOR,
    schema: { tags: ['canned responses'], summary: 'Change a canned response (an operator: only their own)', params: UUID_PARAM, body: { $ref: 'CannedResponseChanges#' }, response: ONE },
  }, async (req) => {
    const a = actorOf(req);
    return inTransaction(s.db, async (tx) => {
      const before = owned(visible(await cannedById(tx, req.params.id), a), a);
      mayOwn(a, req.body.agentId);
      if (req.body.agentId) await requireLiveAgents(tx, [req.body.agentId], 'agentId');
      const ok = await updateCanned(tx, before.id, req.body).catch(violation({ unique: shortcutTaken, foreign: unknownAgent('agentId') }));
      if (!ok) throw noSuch();
      const after = (await cannedById(tx, before.id))!;
      await s.audit.record(tx, a, { action: 'update', resource: 'canned-response', id: before.id, before, after });
      return after;
    });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/canned-responses/:id', {
    config: OPERATOR,
    schema: { tags: ['canned responses'], summary: 'Delete a canned response (an operator: only their own)', params: UUID_PARAM, response: { 204: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => {
    const a = actorOf(req);
    await inTransaction(s.db, async (tx) => {
      const before = owned(visible(await cannedById(tx, req.params.id), a), a);
      if (!(await deleteCanned(tx, before.id))) throw noSuch();
      await s.audit.record(tx, a, { action: 'delete', resource: 'canned-response', id: before.id, before });
    });
    return reply.code(204).send();
  });
}

/** Everyone's responses are read-only for a normal operator. */
function owned(c: CannedResponse, a: Actor): CannedResponse {
  if (!isAdmin(a) && c.agentId === null) throw new AppError('forbidden', "id: only administrators change everyone's canned responses", 'id');
  return c;
}
