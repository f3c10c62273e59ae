// The offline flows over HTTP (issue 7): leaving a note, an agent's emailed
// answer, a waiting customer's email alert, the transcript on request; and the
// outbox for administrators (with the .eml files of the embedded default).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { sha256 } from '../../app/secrets.js';
import { NOTE_MAX_CHARS } from '../../app/offline.js';
import { conversationById, customerTokenMatches, type Conversation } from '../../db/repos/conversations.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN, bearer, OPERATOR, PUBLIC } from '../access.js';
import { ERRORS, listQuery, UUID_PARAM, type Page } from '../lists.js';

const SLUG = { type: 'object', properties: { slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } }, required: ['slug'] } as const;
const EMAIL_BODY = { type: 'object', additionalProperties: false, properties: { email: { type: 'string', format: 'email', maxLength: 254 } } } as const;

/** Routes a customer calls with their conversation's token as the bearer. */
async function customerConversation(s: Services, req: FastifyRequest, id: string): Promise<Conversation> {
  const token = bearer(req);
  if (!token) throw new AppError('unauthorized', 'authorization: the customer token is required');
  if (!(await customerTokenMatches(s.db, id, sha256(token)))) throw new AppError('not_found', 'id: not found or wrong token', 'id');
  return (await conversationById(s.db, id))!;
}

export function offlineRoutes(app: FastifyInstance, s: Services): void {
  app.post<{ Params: { slug: string }; Body: Record<string, unknown> }>('/api/v1/rooms/:slug/notes', {
    config: PUBLIC,
    schema: {
      tags: ['customer'], summary: `Leave a note (at most ${NOTE_MAX_CHARS} characters) when nobody can answer; an agent answers by email`,
      params: SLUG, body: { $ref: 'Contact#' },
      response: { 201: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } }, ...ERRORS },
    },
  }, async (req, reply) => reply.code(201).send(await s.offline.leaveNote(req.params.slug, req.body ?? {})));

  app.post<{ Params: { id: string }; Body: { text: string } }>('/api/v1/conversations/:id/replies', {
    config: OPERATOR,
    schema: {
      tags: ['conversations'], summary: 'Answer a note by email; the first agent to answer takes the note', params: UUID_PARAM,
      body: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 10000, pattern: '\\S' } } },
      response: { 201: { type: 'object', properties: { messageId: { type: 'string' } } }, ...ERRORS },
    },
  }, async (req, reply) => {
    const me = actorOf(req);
    if (!me.agent) throw new AppError('forbidden', 'authorization: an API token cannot answer notes; sign in as an operator');
    return reply.code(201).send(await s.offline.reply(req.params.id, me.agent, req.body.text.trim()));
  });

  app.post<{ Params: { id: string }; Body: { email?: string } }>('/api/v1/conversations/:id/alert', {
    config: PUBLIC,
    schema: { tags: ['customer'], summary: 'While waiting: email me when an agent is available (customer token)', params: UUID_PARAM, body: EMAIL_BODY, response: { 201: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => {
    await s.offline.addAlert(await customerConversation(s, req, req.params.id), req.body?.email);
    return reply.code(201).send();
  });

  app.post<{ Params: { id: string }; Body: { email?: string } }>('/api/v1/conversations/:id/transcript', {
    config: PUBLIC,
    schema: { tags: ['customer'], summary: 'Email me the transcript (customer token); agents’ private notes are never included', params: UUID_PARAM, body: EMAIL_BODY, response: { 202: { type: 'object', properties: { queued: { type: 'integer' } } }, ...ERRORS } },
  }, async (req, reply) => reply.code(202).send({ queued: await s.offline.sendTranscript(await customerConversation(s, req, req.params.id), req.body?.email) }));

  app.get<{ Querystring: Page & { status?: string; template?: string; conversationId?: string } }>('/api/v1/emails', {
    config: ADMIN,
    schema: {
      tags: ['email'], summary: 'The outbox, newest first (with the .eml file of each email when no SMTP server is set)',
      querystring: listQuery({ status: { type: 'string', enum: ['queued', 'sending', 'sent', 'failed', 'refused_quota'] }, template: { type: 'string', maxLength: 50, pattern: '^[a-z-]+$' }, conversationId: { type: 'string', format: 'uuid' } }),
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', additionalProperties: true } }, total: { type: 'integer' } } }, ...ERRORS },
    },
  }, async (req) => s.mail.outbox(req.query as never));

  app.get<{ Params: { id: string } }>('/api/v1/emails/:id', {
    config: ADMIN,
    schema: { tags: ['email'], summary: 'One email with its HTML and text', params: UUID_PARAM, response: { 200: { type: 'object', additionalProperties: true }, ...ERRORS } },
  }, async (req) => {
    const e = await s.mail.email(req.params.id);
    if (!e) throw new AppError('not_found', 'id: no such email', 'id');
    return e;
  });
}
