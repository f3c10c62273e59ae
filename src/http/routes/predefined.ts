// Predefined messages (seed 003): any operator reads them to pick one;
// administrators write them.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/errors.js';
import { inTransaction } from '../../db/pool.js';
import { deletePredefined, insertPredefined, listPredefined, predefinedById, updatePredefined } from '../../db/repos/predefined.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN, OPERATOR } from '../access.js';
import { ERRORS, listOf, listQuery, UUID_PARAM, type Page } from '../lists.js';

const ONE = { 200: { $ref: 'PredefinedMessage#' }, ...ERRORS } as const;
const Q = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000]*$', description: 'Text in the title or the text' } as const;
const noSuch = () => notFound('id', 'no such predefined message');

export function predefinedRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Querystring: Page & { q?: string } }>('/api/v1/predefined-messages', {
    config: OPERATOR,
    schema: { tags: ['predefined messages'], summary: 'List predefined messages by title (filter by text)', querystring: listQuery({ q: Q }), response: { 200: listOf('PredefinedMessage'), ...ERRORS } },
  }, async (req) => listPredefined(s.db, req.query));

  app.get<{ Params: { id: string } }>('/api/v1/predefined-messages/:id', {
    config: OPERATOR,
    schema: { tags: ['predefined messages'], summary: 'One predefined message', params: UUID_PARAM, response: ONE },
  }, async (req) => {
    const m = await predefinedById(s.db, req.params.id);
    if (!m) throw noSuch();
    return m;
  });

  app.post<{ Body: { title: string; text: string } }>('/api/v1/predefined-messages', {
    config: ADMIN,
    schema: { tags: ['predefined messages'], summary: 'Create a predefined message', body: { $ref: 'NewPredefinedMessage#' }, response: { 201: { $ref: 'PredefinedMessage#' }, ...ERRORS } },
  }, async (req, reply) => {
    const created = await inTransaction(s.db, async (tx) => {
      const m = await insertPredefined(tx, { title: req.body.title.trim(), text: req.body.text });
      await s.audit.record(tx, actorOf(req), { action: 'create', resource: 'predefined-message', id: m.id, after: m });
      return m;
    });
    return reply.code(201).send(created);
  });

  app.patch<{ Params: { id: string }; Body: { title?: string; text?: string } }>('/api/v1/predefined-messages/:id', {
    config: ADMIN,
    schema: { tags: ['predefined messages'], summary: 'Change a predefined message', params: UUID_PARAM, body: { $ref: 'PredefinedMessageChanges#' }, response: ONE },
  }, async (req) => inTransaction(s.db, async (tx) => {
    const before = await predefinedById(tx, req.params.id);
    const after = before && await updatePredefined(tx, before.id, { title: req.body.title?.trim(), text: req.body.text });
    if (!after) throw noSuch();
    await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'predefined-message', id: after.id, before, after });
    return after;
  }));

  app.delete<{ Params: { id: string } }>('/api/v1/predefined-messages/:id', {
    config: ADMIN,
    schema: { tags: ['predefined messages'], summary: 'Delete a predefined message', params: UUID_PARAM, response: { 204: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => {
    await inTransaction(s.db, async (tx) => {
      const before = await deletePredefined(tx, req.params.id);
      if (!before) throw noSuch();
      await s.audit.record(tx, actorOf(req), { action: 'delete', resource: 'predefined-message', id: before.id, before });
    });
    return reply.code(204).send();
  });
}
