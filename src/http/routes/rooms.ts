// Rooms (entry points) and their settings: list, create, read, change (a
// deep merge, validated whole), delete (soft; conversations keep their room),
// and the links and embed code to hand out. Reads: any operator; changes:
// administrators, each recorded in the audit log.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, conflict, invalid } from '../../core/errors.js';
import { embedCode, roomLinks } from '../../core/room-links.js';
import { mergeSettings } from '../../core/room-normalise.js';
import { defaultRoomSettings, DEFAULT_ROOM_SLUG } from '../../core/room-settings.js';
import { inTransaction, type Queryable } from '../../db/pool.js';
import { deleteRoom, insertRoom, listRooms, ownerIsLive, roomBySlug, slugTaken, updateRoomSettings, type Room, type RoomKind } from '../../db/repos/rooms.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN, OPERATOR } from '../access.js';
import { ERRORS, listOf, listQuery, type Page } from '../lists.js';
import { checkRoomSettings, describeSchemaError, partialSchema } from '../room-schema.js';

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
const SLUG_PARAM = { type: 'object', properties: { slug: { type: 'string', pattern: SLUG_PATTERN } }, required: ['slug'] } as const;
const SETTINGS_PATCH = partialSchema('RoomSettings');

/**
 * A request the route's schema refused (attachValidation), as a 400 naming the
 * setting by its full path: the shared handler names only the last key.
 */
function refuseInvalid(req: FastifyRequest): void {
  if (!req.validationError) return;
  const first = req.validationError.validation?.[0];
  if (!first) throw invalid('body', req.validationError.message);
  const p = describeSchemaError(first as Parameters<typeof describeSchemaError>[0]);
  throw invalid(p.field, p.message);
}

async function liveRoom(db: Queryable, slug: string, opts: { forUpdate?: boolean } = {}): Promise<Room> {
  const room = await roomBySlug(db, slug, opts);
  if (!room) throw new AppError('not_found', `slug: there is no room "${slug}"`, 'slug');
  return room;
}

const slugInUse = (slug: string) => conflict('slug', `a room "${slug}" already exists`);

export function roomRoutes(app: FastifyInstance, s: Services): void {
  const view = (r: Room) => ({
    id: r.id, slug: r.slug, kind: r.kind, ownerAgentId: r.ownerAgentId, url: roomLinks(s.cfg.publicUrl, r.slug).contactForm,
    settings: r.settings, createdAt: r.createdAt, updatedAt: r.updatedAt,
  });

  app.get<{ Querystring: Page & { q?: string; kind?: RoomKind } }>('/api/v1/rooms', {
    config: OPERATOR,
    schema: {
      tags: ['rooms'], summary: 'List rooms (filter by kind, by text in the slug or name)',
      querystring: listQuery({ q: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000]*$' }, kind: { type: 'string', enum: ['public', 'private'] } }),
      response: { 200: listOf('Room'), ...ERRORS },
    },
  }, async (req) => {
    const { items, total } = await listRooms(s.db, req.query);
    return { items: items.map(view), total };
  });

  app.post<{ Body: { slug: string; settings?: Record<string, unknown> } }>('/api/v1/rooms', {
    config: ADMIN,
    attachValidation: true,
    schema: {
      tags: ['rooms'], summary: 'Create a public room; settings not given take their defaults (the name defaults to the slug)',
      body: {
        type: 'object', additionalProperties: false, required: ['slug'],
        properties: { slug: { type: 'string', pattern: SLUG_PATTERN, description: 'The room is at /c/<slug>' }, settings: SETTINGS_PATCH },
      },
      response: { 201: { $ref: 'Room#' }, ...ERRORS },
    },
  }, async (req, reply) => {
    refuseInvalid(req);
    const { slug } = req.body;
    const settings = checkRoomSettings(mergeSettings({ ...defaultRoomSettings(), name: slug }, req.body.settings ?? {}), 'settings');
    const room = await inTransaction(s.db, async (tx) => {
      if (await slugTaken(tx, slug)) throw slugInUse(slug);
      const r = await insertRoom(tx, { slug, kind: 'public', settings }).catch((e: { code?: string }) => {
        throw e.code === '23505' ? slugInUse(slug) : e;
      });
      await s.audit.record(tx, actorOf(req), { action: 'create', resource: 'room', id: r.id, after: view(r) });
      return r;
    });
    s.routing.forgetRoom(room.id);
    return reply.code(201).send(view(room));
  });

  app.get<{ Params: { slug: string } }>('/api/v1/rooms/:slug', {
    config: OPERATOR,
    schema: { tags: ['rooms'], summary: 'A room and all its settings', params: SLUG_PARAM, response: { 200: { $ref: 'Room#' }, ...ERRORS } },
  }, async (req) => view(await liveRoom(s.db, req.params.slug)));

  app.patch<{ Params: { slug: string }; Body: Record<string, unknown> }>('/api/v1/rooms/:slug', {
    config: ADMIN,
    attachValidation: true,
    schema: {
      tags: ['rooms'],
      summary: "Change some of a room's settings: objects merge key by key, arrays (form fields, intervals, exceptions) replace; the result is checked whole",
      params: SLUG_PARAM, body: { ...SETTINGS_PATCH, minProperties: 1 },
      response: { 200: { $ref: 'Room#' }, ...ERRORS },
    },
  }, async (req) => {
    refuseInvalid(req);
    const updated = await inTransaction(s.db, async (tx) => {
      const before = await liveRoom(tx, req.params.slug, { forUpdate: true });
      const settings = checkRoomSettings(mergeSettings(before.settings, req.body));
      const after = (await updateRoomSettings(tx, before.id, settings))!;
      await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'room', id: before.id, before: view(before), after: view(after) });
      return after;
    });
    s.routing.forgetRoom(updated.id);
    return view(updated);
  });

  app.delete<{ Params: { slug: string } }>('/api/v1/rooms/:slug', {
    config: ADMIN,
    schema: {
      tags: ['rooms'], summary: 'Delete a room; its conversations keep it. Not the default room, nor the private room of an existing operator.',
      params: SLUG_PARAM, response: { 204: { type: 'null' }, ...ERRORS },
    },
  }, async (req, reply) => {
    const { slug } = req.params;
    if (slug === DEFAULT_ROOM_SLUG) throw conflict('slug', `the default room "${DEFAULT_ROOM_SLUG}" cannot be deleted`);
    const room = await inTransaction(s.db, async (tx) => {
      const r = await liveRoom(tx, slug, { forUpdate: true });
      if (await ownerIsLive(tx, r.id)) throw conflict('slug', `"${slug}" is the private room of an operator; it goes when the operator is deleted`);
      await deleteRoom(tx, r.id);
      await s.audit.record(tx, actorOf(req), { action: 'delete', resource: 'room', id: r.id, before: view(r) });
      return r;
    });
    s.routing.forgetRoom(room.id);
    return reply.code(204).send();
  });

  app.get<{ Params: { slug: string } }>('/api/v1/rooms/:slug/links', {
    config: OPERATOR,
    schema: {
      tags: ['rooms'], summary: "The room's URLs: contact form, voice and video (for a private room they reach its owner only)",
      params: SLUG_PARAM, response: { 200: { $ref: 'RoomLinks#' }, ...ERRORS },
    },
  }, async (req) => {
    const room = await liveRoom(s.db, req.params.slug);
    return { slug: room.slug, ownerAgentId: room.ownerAgentId, ...roomLinks(s.cfg.publicUrl, room.slug) };
  });

  app.get<{ Params: { slug: string } }>('/api/v1/rooms/:slug/embed', {
    config: OPERATOR,
    schema: {
      tags: ['rooms'], summary: "The HTML line that puts the room's pop-up widget on any web page",
      params: SLUG_PARAM, response: { 200: { $ref: 'RoomEmbed#' }, ...ERRORS },
    },
  }, async (req) => {
    const room = await liveRoom(s.db, req.params.slug);
    return embedCode(s.cfg.publicUrl, room.slug, room.settings.widget);
  });
}
