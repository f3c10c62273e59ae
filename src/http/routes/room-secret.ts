// A room's secret (issue 6, seed 003): the key the company's site signs
// visitors' identities with (README, "Verified identity"). Administrators read
// it to configure their site and rotate it when it may have leaked; rotating
// makes every identity signed with the old one unverified at once.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { inTransaction } from '../../db/pool.js';
import { roomBySlug, roomSecret } from '../../db/repos/rooms.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN } from '../access.js';
import { ERRORS } from '../lists.js';

const SLUG_PARAM = { type: 'object', properties: { slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } }, required: ['slug'] } as const;
const SECRET = { type: 'object', properties: { secret: { type: 'string' } }, required: ['secret'] } as const;

export function roomSecretRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Params: { slug: string } }>('/api/v1/rooms/:slug/secret', {
    config: ADMIN,
    schema: { tags: ['rooms'], summary: "The room's secret, for signing visitors' identities on your site (HMAC-SHA256)", params: SLUG_PARAM, response: { 200: SECRET, ...ERRORS } },
  }, async (req, reply) => {
    const room = await roomBySlug(s.db, req.params.slug);
    if (!room) throw new AppError('not_found', `slug: there is no room "${req.params.slug}"`, 'slug');
    return reply.header('cache-control', 'no-store').send({ secret: (await roomSecret(s.db, room.id))! });
  });

  app.post<{ Params: { slug: string } }>('/api/v1/rooms/:slug/secret', {
    config: ADMIN,
    schema: { tags: ['rooms'], summary: 'Rotate the room\'s secret: identities signed with the old one are no longer verified', params: SLUG_PARAM, response: { 200: SECRET, ...ERRORS } },
  }, async (req, reply) => {
    const secret = await inTransaction(s.db, async (tx) => {
      const r = await tx.query(`UPDATE rooms SET secret = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
        WHERE slug = $1 AND deleted_at IS NULL RETURNING id, secret`, [req.params.slug]);
      const row = r.rows[0] as { id: string; secret: string } | undefined;
      if (!row) throw new AppError('not_found', `slug: there is no room "${req.params.slug}"`, 'slug');
      // The audit says that it changed, never what it is.
      await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'room', id: row.id, after: { secret: 'rotated' } });
      return row.secret;
    });
    return reply.header('cache-control', 'no-store').send({ secret });
  });
}
