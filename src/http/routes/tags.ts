// (being written: see the admin API issue)
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';

export function tagRoutes(_app: FastifyInstance, _s: Services): void {}
