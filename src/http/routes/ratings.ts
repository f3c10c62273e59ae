// What a customer does about their own conversation besides chatting (issue 6):
// rate it at the end (1-5 and a comment; only administrators read ratings, in
// the conversation view), see who is answering (nick and avatar) and, while
// waiting, their place in the queue. All take the customer token as the bearer.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, invalid } from '../../core/errors.js';
import { sha256 } from '../../app/secrets.js';
import { unstorable } from '../../core/room-validate.js';
import { conversationById, customerTokenMatches, type Conversation } from '../../db/repos/conversations.js';
import { agentsInRoom, saveRating } from '../../db/repos/ratings.js';
import type { Services } from '../app.js';
import { bearer, PUBLIC } from '../access.js';
import { ERRORS, UUID_PARAM } from '../lists.js';

export const RATING_COMMENT_MAX = 2000;

async function customersOwn(s: Services, req: FastifyRequest, id: string): Promise<Conversation> {
  const token = bearer(req);
  if (!token) throw new AppError('unauthorized', 'authorization: the customer token is required');
  if (!(await customerTokenMatches(s.db, id, sha256(token)))) throw new AppError('not_found', 'id: not found or wrong token', 'id');
  return (await conversationById(s.db, id))!;
}

/** Before the body is checked: a call without the token is 401, whatever its body. */
async function tokenGiven(req: FastifyRequest): Promise<void> {
  if (!bearer(req)) throw new AppError('unauthorized', 'authorization: the customer token is required');
}

export function ratingRoutes(app: FastifyInstance, s: Services): void {
  app.post<{ Params: { id: string }; Body: { score: number; comment?: string } }>('/api/v1/conversations/:id/rating', {
    config: PUBLIC,
    onRequest: tokenGiven,
    schema: {
      tags: ['customer'], summary: 'Rate the conversation, 1 (poor) to 5 (excellent), with an optional comment (customer token); rating again replaces it',
      params: UUID_PARAM,
      body: {
        type: 'object', additionalProperties: false, required: ['score'],
        properties: { score: { type: 'integer', minimum: 1, maximum: 5 }, comment: { type: 'string', maxLength: RATING_COMMENT_MAX } },
      },
      response: { 204: { type: 'null' }, ...ERRORS },
    },
  }, async (req, reply) => {
    const conv = await customersOwn(s, req, req.params.id);
    if (conv.channel !== 'chat') throw invalid('id', 'only a chat can be rated');
    const comment = (req.body.comment ?? '').trim();
    const why = unstorable(comment);
    if (why) throw invalid('comment', why);
    await saveRating(s.db, conv.id, req.body.score, comment);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>('/api/v1/conversations/:id/agents', {
    config: PUBLIC,
    schema: {
      tags: ['customer'], summary: 'The agents in the conversation now: nick and avatar (customer token)',
      params: UUID_PARAM,
      response: {
        200: { type: 'object', properties: { agents: { type: 'array', items: { type: 'object', properties: { nick: { type: 'string' }, avatarUrl: { type: ['string', 'null'] } } } } } },
        ...ERRORS,
      },
    },
  }, async (req, reply) => {
    const conv = await customersOwn(s, req, req.params.id);
    return reply.header('cache-control', 'no-store').send({ agents: await agentsInRoom(s.db, conv.mucNode) });
  });

  app.get<{ Params: { id: string } }>('/api/v1/conversations/:id/queue', {
    config: PUBLIC,
    schema: {
      tags: ['customer'], summary: 'While waiting: place in the room\'s queue (1 = next) and an estimated wait (customer token); position null once answered',
      params: UUID_PARAM,
      response: {
        200: { type: 'object', properties: { position: { type: ['integer', 'null'] }, estimatedWaitSeconds: { type: ['integer', 'null'] } } },
        ...ERRORS,
      },
    },
  }, async (req, reply) => {
    const conv = await customersOwn(s, req, req.params.id);
    // The same figures the room pushes to the customer (src/app/queue-status.ts), or none once answered.
    const status = conv.status === 'queued' ? s.conversations.queue.status.statusOf(conv.id) : undefined;
    return reply.header('cache-control', 'no-store').send({ position: status?.position ?? null, estimatedWaitSeconds: status?.etaSeconds ?? null });
  });
}
