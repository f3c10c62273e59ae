// The read side of conversations: lists with filters and one conversation
// with its messages (agent-private ones flagged). A normal operator sees only
// their own conversations (seed 004).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { conversationById } from '../../db/repos/conversations.js';
import { transcript } from '../../db/repos/messages.js';
import type { Services } from '../app.js';
import { actorOf, OPERATOR } from '../access.js';
import { ERRORS } from '../lists.js';

export function conversationRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Params: { id: string } }>('/api/v1/conversations/:id', {
    config: OPERATOR,
    schema: {
      tags: ['conversations'], summary: 'A conversation and its transcript',
      params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
      response: { 200: { type: 'object', properties: { conversation: { $ref: 'Conversation#' }, messages: { type: 'array', items: { $ref: 'Message#' } } } }, ...ERRORS },
    },
  }, async (req) => {
    const me = actorOf(req);
    const conv = await conversationById(s.db, req.params.id);
    // A normal agent sees their own conversations only.
    if (!conv || (me.role !== 'administrator' && conv.agentId !== me.agent?.id)) throw new AppError('not_found', 'id: no such conversation', 'id');
    return { conversation: conv, messages: await transcript(s.db, conv.id) };
  });
}
