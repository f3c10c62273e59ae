// The minimal admin API of the chat loop: agents, room settings, a
// conversation's transcript. Administrators only (except reading one's own chats).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { RoomSettings } from '../../core/room-settings.js';
import { listAgents } from '../../db/repos/agents.js';
import { conversationById } from '../../db/repos/conversations.js';
import { transcript } from '../../db/repos/messages.js';
import { roomBySlug, updateRoomSettings } from '../../db/repos/rooms.js';
import type { NewAgentInput } from '../../app/agents.js';
import type { Services } from '../app.js';
import { authenticate, requireAdmin } from '../auth.js';

const SLUG = { type: 'object', properties: { slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } }, required: ['slug'] } as const;
const ERRORS = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' } };

export function adminRoutes(app: FastifyInstance, s: Services): void {
  const security = [{ bearer: [] }];

  app.get<{ Querystring: { limit: number; offset: number } }>('/api/v1/agents', {
    schema: {
      tags: ['agents'], summary: 'List agents', security,
      querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, offset: { type: 'integer', minimum: 0, default: 0 } } },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'Agent#' } }, total: { type: 'integer' } } }, ...ERRORS },
    },
  }, async (req) => { await requireAdmin(s.db, req); return listAgents(s.db, req.query); });

  app.post<{ Body: NewAgentInput }>('/api/v1/agents', {
    schema: {
      tags: ['agents'], summary: 'Create an agent (and, on the embedded server, its XMPP account). A generated password is returned once.', security,
      body: { $ref: 'NewAgent#' },
      response: { 201: { type: 'object', properties: { agent: { $ref: 'Agent#' }, password: { type: ['string', 'null'] } } }, ...ERRORS },
    },
  }, async (req, reply) => {
    await requireAdmin(s.db, req);
    const out = await s.agents.create(req.body);
    s.desk.probe(out.agent.jid);
    return reply.code(201).send(out);
  });

  app.get<{ Params: { slug: string } }>('/api/v1/rooms/:slug', {
    schema: { tags: ['rooms'], summary: "A room's settings", security, params: SLUG, response: { 200: { $ref: 'Room#' }, ...ERRORS } },
  }, async (req) => {
    await requireAdmin(s.db, req);
    const room = await roomBySlug(s.db, req.params.slug);
    if (!room) throw new AppError('not_found', `slug: there is no room "${req.params.slug}"`, 'slug');
    return { slug: room.slug, url: `${s.cfg.publicUrl}/c/${room.slug}`, settings: room.settings, updatedAt: room.updatedAt };
  });

  app.patch<{ Params: { slug: string }; Body: Partial<RoomSettings> }>('/api/v1/rooms/:slug', {
    schema: {
      tags: ['rooms'], summary: "Change some of a room's settings", security, params: SLUG,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 }, strategy: { type: 'string', enum: ['quickest-reply'] },
        offerTimeoutSeconds: { type: 'integer', minimum: 5, maximum: 600 }, reofferAfterSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
        ringLimit: { type: 'integer', minimum: 0, maximum: 10000 },
        agentLabel: { type: 'string', minLength: 1, maxLength: 40 },
        form: { type: 'object', additionalProperties: false, properties: { name: { $ref: 'FieldRule#' }, email: { $ref: 'FieldRule#' }, message: { $ref: 'FieldRule#' } } },
      } },
      response: { 200: { $ref: 'Room#' }, ...ERRORS },
    },
  }, async (req) => {
    await requireAdmin(s.db, req);
    const room = await roomBySlug(s.db, req.params.slug);
    if (!room) throw new AppError('not_found', `slug: there is no room "${req.params.slug}"`, 'slug');
    const settings: RoomSettings = { ...room.settings, ...req.body, form: { ...room.settings.form, ...(req.body.form ?? {}) } };
    for (const [field, rule] of Object.entries(settings.form)) {
      if (rule.hidden && rule.mandatory) throw new AppError('invalid', `form.${field}: a hidden field cannot be mandatory`, `form.${field}`);
    }
    const updated = (await updateRoomSettings(s.db, room.slug, settings))!;
    s.routing.forgetRoom(updated.id);
    return { slug: updated.slug, url: `${s.cfg.publicUrl}/c/${updated.slug}`, settings: updated.settings, updatedAt: updated.updatedAt };
  });

  app.get<{ Params: { id: string } }>('/api/v1/conversations/:id', {
    schema: {
      tags: ['conversations'], summary: 'A conversation and its transcript', security,
      params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
      response: { 200: { type: 'object', properties: { conversation: { $ref: 'Conversation#' }, messages: { type: 'array', items: { $ref: 'Message#' } } } }, ...ERRORS },
    },
  }, async (req) => {
    const me = await authenticate(s.db, req);
    const conv = await conversationById(s.db, req.params.id);
    // A normal agent sees their own conversations only.
    if (!conv || (me.role !== 'administrator' && conv.agentId !== me.id)) throw new AppError('not_found', 'id: no such conversation', 'id');
    return { conversation: conv, messages: await transcript(s.db, conv.id) };
  });
}
