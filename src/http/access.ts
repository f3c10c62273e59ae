// Who may call what. Every /api route declares `config.access`:
//   public   — anyone (customer-facing routes, sign-in);
//   operator — any signed-in operator or API token;
//   admin    — administrators and API tokens only (seed 004: a normal operator
//              cannot add or delete operators, see others' conversations,
//              billing, or change settings).
// A route without a declaration fails at start-up, so none can be forgotten.
// Authentication runs before body validation: no token → 401 whatever the body.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import type { Actor, Sessions } from '../app/sessions.js';

export type Access = 'public' | 'operator' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig { access?: Access }
  interface FastifyRequest { actor: Actor | null }
  interface FastifyInstance { apiRoutes: ApiRoute[] }
}

export interface ApiRoute { method: string; url: string; access: Access }

export const OPERATOR = { access: 'operator' } as const;
export const ADMIN = { access: 'admin' } as const;
export const PUBLIC = { access: 'public' } as const;

export function bearer(req: FastifyRequest): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

export function installAccess(app: FastifyInstance, sessions: Sessions): void {
  app.decorateRequest('actor', null);
  const routes: ApiRoute[] = [];
  app.decorate('apiRoutes', routes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access level`);
    for (const m of [route.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: route.url, access });
    if (access !== 'public') {
      route.schema = { ...(route.schema ?? {}), security: [{ bearer: [] }] };
    }
  });
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (!access || access === 'public') return;
    const token = bearer(req);
    if (!token) throw new AppError('unauthorized', 'authorization: a bearer token is required');
    req.actor = await sessions.authenticate(token);
    if (access === 'admin' && req.actor.role !== 'administrator') throw new AppError('forbidden', 'role: administrators only');
  });
}

/** The signed-in actor of an operator/admin route. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthorized', 'authorization: a bearer token is required');
  return req.actor;
}

export const isAdmin = (a: Actor) => a.role === 'administrator';
