// Conversation tags and customer tags: administrators define them, any
// operator reads them and puts them on customers and on conversations — a
// normal operator only on their own conversations (seed 004: they cannot see
// others', so another's conversation does not exist for them: 404).
import type { FastifyInstance } from 'fastify';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { inTransaction, type Tx } from '../../db/pool.js';
import { conversationById } from '../../db/repos/conversations.js';
import { customerById } from '../../db/repos/customers.js';
import { violation } from '../../db/repos/shared.js';
import {
  customerExists, deleteTag, insertTag, listTags, notOfKind, setTagsOf, tagById, tagsOf, updateTag, type Tag, type TagKind,
} from '../../db/repos/tags.js';
import type { Actor } from '../../app/sessions.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN, isAdmin, OPERATOR } from '../access.js';
import { ERRORS, listOf, listQuery, UUID_PARAM, type Page } from '../lists.js';

const ONE = { 200: { $ref: 'Tag#' }, ...ERRORS } as const;
const ATTACHED = { 200: { type: 'object', properties: { tags: { type: 'array', items: { $ref: 'Tag#' } } }, required: ['tags'] }, ...ERRORS } as const;
const KIND = { type: 'string', enum: ['conversation', 'customer'] } as const;
const nameTaken = () => conflict('name', 'another tag of this kind already has this name');
const noSuch = () => notFound('id', 'no such tag');

/** What a tag goes on, and who may see that thing. */
const OWNERS: Record<TagKind, { path: string; exists(tx: Tx, id: string, a: Actor): Promise<boolean> }> = {
  conversation: {
    path: 'conversations',
    async exists(tx, id, a) {
      const conv = await conversationById(tx, id);
      return !!conv && (isAdmin(a) || conv.agentId === a.agent?.id);
    },
  },
  // As in GET /api/v1/customers/:id: a normal operator reaches the customers they served.
  customer: { path: 'customers', exists: async (tx, id, a) => (isAdmin(a) ? customerExists(tx, id) : !!a.agent && !!(await customerById(tx, id, a.agent.id))) },
};

export function tagRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Querystring: Page & { q?: string; kind?: TagKind } }>('/api/v1/tags', {
    config: OPERATOR,
    schema: {
      tags: ['tags'], summary: 'List tags by kind and name (filter by kind, text)',
      querystring: listQuery({ q: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000]*$' }, kind: KIND }),
      response: { 200: listOf('Tag'), ...ERRORS },
    },
  }, async (req) => listTags(s.db, req.query));

  app.get<{ Params: { id: string } }>('/api/v1/tags/:id', {
    config: OPERATOR,
    schema: { tags: ['tags'], summary: 'One tag', params: UUID_PARAM, response: ONE },
  }, async (req) => {
    const t = await tagById(s.db, req.params.id);
    if (!t) throw noSuch();
    return t;
  });

  app.post<{ Body: { kind: TagKind; name: string; color: string } }>('/api/v1/tags', {
    config: ADMIN,
    schema: { tags: ['tags'], summary: 'Create a conversation tag or a customer tag', body: { $ref: 'NewTag#' }, response: { 201: { $ref: 'Tag#' }, ...ERRORS } },
  }, async (req, reply) => {
    const created = await inTransaction(s.db, async (tx) => {
      const t = await insertTag(tx, { kind: req.body.kind, name: req.body.name.trim(), color: req.body.color.toLowerCase() }).catch(violation({ unique: nameTaken }));
      await s.audit.record(tx, actorOf(req), { action: 'create', resource: 'tag', id: t.id, after: t });
      return t;
    });
    return reply.code(201).send(created);
  });

  app.patch<{ Params: { id: string }; Body: { name?: string; color?: string } }>('/api/v1/tags/:id', {
    config: ADMIN,
    schema: { tags: ['tags'], summary: "Rename a tag or change its colour (its kind stays)", params: UUID_PARAM, body: { $ref: 'TagChanges#' }, response: ONE },
  }, async (req) => inTransaction(s.db, async (tx) => {
    const before = await tagById(tx, req.params.id);
    const after = before && await updateTag(tx, before.id, { name: req.body.name?.trim(), color: req.body.color?.toLowerCase() }).catch(violation({ unique: nameTaken }));
    if (!after) throw noSuch();
    await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'tag', id: after.id, before, after });
    return after;
  }));

  app.delete<{ Params: { id: string } }>('/api/v1/tags/:id', {
    config: ADMIN,
    schema: { tags: ['tags'], summary: 'Delete a tag; it comes off every conversation or customer', params: UUID_PARAM, response: { 204: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => {
    await inTransaction(s.db, async (tx) => {
      const before = await deleteTag(tx, req.params.id);
      if (!before) throw noSuch();
      await s.audit.record(tx, actorOf(req), { action: 'delete', resource: 'tag', id: before.id, before });
    });
    return reply.code(204).send();
  });

  for (const kind of ['conversation', 'customer'] as const) attachRoutes(app, s, kind);
}

function attachRoutes(app: FastifyInstance, s: Services, kind: TagKind): void {
  const owner = OWNERS[kind];
  const summary = kind === 'conversation' ? 'a conversation (a normal operator: only their own)' : 'a customer (a normal operator: one they served)';
  const missing = () => notFound('id', `no such ${kind}`);

  app.get<{ Params: { id: string } }>(`/api/v1/${owner.path}/:id/tags`, {
    config: OPERATOR,
    schema: { tags: ['tags'], summary: `The tags on ${summary}`, params: UUID_PARAM, response: ATTACHED },
  }, async (req) => inTransaction(s.db, async (tx) => {
    if (!(await owner.exists(tx, req.params.id, actorOf(req)))) throw missing();
    return { tags: await tagsOf(tx, kind, req.params.id) };
  }));

  app.put<{ Params: { id: string }; Body: { tagIds: string[] } }>(`/api/v1/${owner.path}/:id/tags`, {
    config: OPERATOR,
    schema: { tags: ['tags'], summary: `Set the whole set of ${kind} tags on ${summary}`, params: UUID_PARAM, body: { $ref: 'TagIds#' }, response: ATTACHED },
  }, async (req) => inTransaction(s.db, async (tx) => {
    const a = actorOf(req), id = req.params.id, { tagIds } = req.body;
    if (!(await owner.exists(tx, id, a))) throw missing();
    const wrong = await notOfKind(tx, tagIds, kind);
    if (wrong) throw invalid('tagIds', `${wrong} is not a ${kind} tag`);
    const before = await tagsOf(tx, kind, id);
    // A tag or customer deleted meanwhile shows as a foreign-key violation.
    await setTagsOf(tx, kind, id, tagIds).catch(violation({
      foreign: (c) => (c.includes('tag_id') ? invalid('tagIds', 'names a tag that does not exist') : missing()),
    }));
    const after = await tagsOf(tx, kind, id);
    await s.audit.record(tx, a, { action: 'update', resource: `${kind}-tags`, id, before: { tagIds: ids(before) }, after: { tagIds: ids(after) } });
    return { tags: after };
  }));
}

const ids = (tags: Tag[]) => tags.map((t) => t.id);
