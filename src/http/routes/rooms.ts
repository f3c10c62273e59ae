// Rooms (entry points) and their settings. Administrators only.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { RoomSettings } from '../../core/room-settings.js';
import { roomBySlug, updateRoomSettings } from '../../db/repos/rooms.js';
import type { Services } from '../app.js';
import { ERRORS } from '../lists.js';
import { ADMIN } from '../access.js';

const SLUG = { type: 'object', properties: { slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } }, required: ['slug'] } as const;

export function roomRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Params: { slug: string } }>('/api/v1/rooms/:slug', {
    config: ADMIN,
    schema: { tags: ['rooms'], summary: "A room's settings", params: SLUG, response: { 200: { $ref: 'Room#' }, ...ERRORS } },
  }, async (req) => {
    const room = await roomBySlug(s.db, req.params.slug);
    if (!room) throw new AppError('not_found', `slug: there is no room "${req.params.slug}"`, 'slug');
    return { slug: room.slug, url: `${s.cfg.publicUrl}/c/${room.slug}`, settings: room.settings, updatedAt: room.updatedAt };
  });

  app.patch<{ Params: { slug: string }; Body: Partial<RoomSettings> }>('/api/v1/rooms/:slug', {
    config: ADMIN,
    schema: {
      tags: ['rooms'], summary: "Change some of a room's settings", params: SLUG,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 }, strategy: { type: 'string', enum: ['quickest-reply'] },
        offerTimeoutSeconds: { type: 'integer', minimum: 5, maximum: 600 }, reofferAfterSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
        agentLabel: { type: 'string', minLength: 1, maxLength: 40 },
        form: { type: 'object', additionalProperties: false, properties: { name: { $ref: 'FieldRule#' }, email: { $ref: 'FieldRule#' }, message: { $ref: 'FieldRule#' } } },
      } },
      response: { 200: { $ref: 'Room#' }, ...ERRORS },
    },
  }, async (req) => {
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
}
