// The read side of conversations: lists with filters and one conversation
// with its messages (agent-private ones flagged). A normal operator sees only
// their own conversations (seed 004); someone else's answers 404, as if absent.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { conversationById, type ConversationStatus } from '../../db/repos/conversations.js';
import { listConversations, type ConversationFilter } from '../../db/repos/conversation-list.js';
import { messagePage, transcript } from '../../db/repos/messages.js';
import { ratingOf } from '../../db/repos/ratings.js';
import type { Services } from '../app.js';
import { actorOf, isAdmin, OPERATOR } from '../access.js';
import { ERRORS, listOf, listQuery, UUID_PARAM, type Page } from '../lists.js';

const UUID = { type: 'string', format: 'uuid' } as const;
const TIME = { type: 'string', format: 'date-time' } as const;
/** The customer's satisfaction rating (administrators only; null when not rated). */
const RATING = { type: ['object', 'null'], properties: { score: { type: 'integer' }, comment: { type: 'string' }, createdAt: TIME, updatedAt: TIME } } as const;

export function conversationRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Querystring: ConversationFilter & { status?: ConversationStatus } }>('/api/v1/conversations', {
    config: OPERATOR,
    schema: {
      tags: ['conversations'], summary: 'Conversations, newest first (filter by status, room, agent, customer, department, tag, time). Normal operators see their own only.',
      querystring: listQuery({
        status: { type: 'string', enum: ['queued', 'active', 'closed'] }, channel: { type: 'string', enum: ['chat', 'note'] }, roomId: UUID, agentId: UUID, customerId: UUID, departmentId: UUID, tagId: UUID,
        from: { ...TIME, description: 'created at or after' }, to: { ...TIME, description: 'created before' },
      }),
      response: { 200: listOf('Conversation'), ...ERRORS },
    },
  }, async (req) => {
    const me = actorOf(req);
    if (!isAdmin(me)) {
      if (req.query.agentId && req.query.agentId !== me.agent?.id) throw new AppError('forbidden', "agentId: you may list only your own conversations", 'agentId');
      return listConversations(s.db, { ...req.query, agentId: me.agent!.id });
    }
    return listConversations(s.db, req.query);
  });

  app.get<{ Params: { id: string } }>('/api/v1/conversations/:id', {
    config: OPERATOR,
    schema: {
      tags: ['conversations'], summary: 'A conversation and its messages (private notes flagged)', params: UUID_PARAM,
      response: { 200: { type: 'object', properties: { conversation: { $ref: 'Conversation#' }, messages: { type: 'array', items: { $ref: 'Message#' } }, rating: RATING } }, ...ERRORS },
    },
  }, async (req) => {
    const me = actorOf(req);
    const conv = await conversationById(s.db, req.params.id);
    if (!conv || (!isAdmin(me) && conv.agentId !== me.agent?.id)) throw new AppError('not_found', 'id: no such conversation', 'id');
    // The customer's rating is for administrators only (seed 001).
    return { conversation: conv, messages: await transcript(s.db, conv.id), ...(isAdmin(me) ? { rating: await ratingOf(s.db, conv.id) } : {}) };
  });

  app.get<{ Params: { id: string }; Querystring: Page & { private?: boolean } }>('/api/v1/conversations/:id/messages', {
    config: OPERATOR,
    schema: {
      tags: ['conversations'], summary: "A long conversation's messages in pages, in stored order (private notes flagged; private=false leaves them out)",
      params: UUID_PARAM, querystring: listQuery({ private: { type: 'boolean' } }),
      response: { 200: listOf('Message'), ...ERRORS },
    },
  }, async (req) => {
    const me = actorOf(req);
    const conv = await conversationById(s.db, req.params.id);
    if (!conv || (!isAdmin(me) && conv.agentId !== me.agent?.id)) throw new AppError('not_found', 'id: no such conversation', 'id');
    const { limit, offset } = req.query;
    return messagePage(s.db, conv.id, { limit, offset, includePrivate: req.query.private !== false });
  });
}
