// What customers reach: the customer page, its assets, a room's public
// settings, starting and ending a conversation.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { roomBySlug } from '../../db/repos/rooms.js';
import type { ContactInput } from '../../core/contact-form.js';
import { publicRoom } from '../../core/room-public.js';
import type { Services } from '../app.js';
import { PUBLIC } from '../access.js';
import { routingSettings } from '../../db/repos/company-settings.js';
import { departmentsForVisitors } from '../../db/repos/departments.js';
import { repoPath } from '../../paths.js';
import { widgetRoutes } from './widget.js';
import { ratingRoutes } from './ratings.js';
import { roomSecretRoutes } from './room-secret.js';
import { uploadRoutes } from './uploads.js';
import { agentConsoleRoutes } from './agent-console.js';
import { uploadPolicy } from '../../core/upload-policy.js';
import { UPLOAD_MAX_BYTES, uploadHost } from '../../supervisor/prosody.js';

const SLUG = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } as const;
const PUBLIC_DIR = repoPath('dist', 'public');
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', map: 'application/json' };

export function publicRoutes(app: FastifyInstance, s: Services): void {
  // The customer side's other entry points, registered here so app.ts lists one customer module.
  widgetRoutes(app);
  ratingRoutes(app, s);
  roomSecretRoutes(app, s);
  uploadRoutes(app, s.cfg, s.db);
  agentConsoleRoutes(app, s.cfg);

  app.get<{ Params: { slug: string } }>('/api/v1/rooms/:slug/public', {
    config: PUBLIC,
    schema: {
      tags: ['customer'], summary: 'What the customer page and the widget need from a room: look, visible form fields, buttons, labels, open now',
      params: { type: 'object', properties: { slug: SLUG }, required: ['slug'] },
      response: { 200: { $ref: 'RoomPublic#' }, 400: { $ref: 'Error#' }, 404: { $ref: 'Error#' } },
    },
  }, async (req, reply) => {
    const room = await roomBySlug(s.db, req.params.slug);
    if (!room) throw new AppError('not_found', `slug: there is no room "${req.params.slug}"`, 'slug');
    // "open" follows the clock: a cache would show yesterday's answer.
    const departments = (await routingSettings(s.db)).departmentRouting ? await departmentsForVisitors(s.db) : [];
    const now = s.clock.now();
    // The widget reads this from the company's own pages (another origin); it is public anyway.
    return reply.header('cache-control', 'no-store').header('access-control-allow-origin', '*').send({
      ...publicRoom(room, now), ...(await s.conversations.queue.availability(room, now)), departments, upload: uploadPolicy(room.settings, uploadHost(s.cfg), UPLOAD_MAX_BYTES),
    });
  });

  app.post<{ Params: { slug: string }; Body: ContactInput }>('/api/v1/rooms/:slug/conversations', {
    config: PUBLIC,
    schema: {
      tags: ['customer'], summary: "Start a conversation from the room's contact form",
      params: { type: 'object', properties: { slug: SLUG }, required: ['slug'] },
      body: { $ref: 'Contact#' },
      // 409 with reason "closed" or "full": the room is offline; the page offers the note form (POST …/notes).
      response: { 201: { $ref: 'StartedConversation#' }, 400: { $ref: 'Error#' }, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' } },
    },
  }, async (req, reply) => reply.code(201).send(await s.conversations.start(req.params.slug, req.body ?? {})));

  app.post<{ Params: { id: string } }>('/api/v1/conversations/:id/end', {
    config: PUBLIC,
    schema: {
      tags: ['customer'], summary: 'The customer ends their conversation (bearer = the customer token)',
      params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
      response: { 204: { type: 'null' }, 401: { $ref: 'Error#' }, 404: { $ref: 'Error#' } },
    },
  }, async (req, reply) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new AppError('unauthorized', 'authorization: the customer token is required');
    await s.conversations.endByCustomer(req.params.id, m[1]!);
    return reply.code(204).send();
  });

  app.post<{ Params: { id: string } }>('/api/v1/conversations/:id/ask-all', {
    config: PUBLIC,
    schema: {
      tags: ['customer'], summary: 'The customer asks all agents instead of waiting for the one who served them before (bearer = the customer token)',
      params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
      response: { 204: { type: 'null' }, 401: { $ref: 'Error#' }, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' } },
    },
  }, async (req, reply) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new AppError('unauthorized', 'authorization: the customer token is required');
    await s.conversations.askAll(req.params.id, m[1]!);
    return reply.code(204).send();
  });

  app.get<{ Params: { slug: string } }>('/c/:slug', { schema: { hide: true } }, async (req, reply) => {
    const slug = req.params.slug.toLowerCase();
    const file = join(PUBLIC_DIR, 'customer.html');
    const room = /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug) ? await roomBySlug(s.db, slug) : null;
    if (!room) return reply.code(404).type('text/html; charset=utf-8').send('<!doctype html><title>Not found</title><p>There is no chat room at this address.</p>');
    if (!existsSync(file)) throw new Error('dist/public/customer.html is missing: run npm run build');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(readFileSync(file, 'utf8').replaceAll('__ROOM_SLUG__', slug));
  });

  app.get<{ Params: { file: string } }>('/assets/:file', { schema: { hide: true } }, async (req, reply) => {
    const { file } = req.params;
    const ext = file.split('.').pop() ?? '';
    if (!/^[\w.-]+$/.test(file) || file.startsWith('.') || !TYPES[ext] || !existsSync(join(PUBLIC_DIR, file))) {
      throw new AppError('not_found', `file: no asset named ${file}`, 'file');
    }
    return reply.type(TYPES[ext]!).send(readFileSync(join(PUBLIC_DIR, file)));
  });
}
