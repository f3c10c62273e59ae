// The one place that maps error codes to HTTP statuses. Validation errors
// name the field; anything unexpected is logged and answered 500 without detail.
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorCode } from '../core/errors.js';

const STATUS: Record<ErrorCode, number> = {
  invalid: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, closed: 410, taken: 409, unavailable: 503, rate_limited: 429,
};

const NAMES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      const status = STATUS[err.code];
      if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
      const reason = (err as { reason?: unknown }).reason; // why a room refuses a chat (core/room-mode.ts)
      return reply.code(status).send({ statusCode: status, error: NAMES[status], message: err.message, field: err.field, ...(typeof reason === 'string' ? { reason } : {}) });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const v = fe.validation[0];
      const params = (v?.params ?? {}) as Record<string, unknown>;
      const path = (v?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
      const field = (params.missingProperty as string | undefined) ?? (params.additionalProperty as string | undefined) ?? path ?? '';
      const where = [fe.validationContext, field].filter(Boolean).join('.');
      const rule = params.additionalProperty ? 'is not a known field' : v?.message ?? 'is invalid';
      return reply.code(400).send({ statusCode: 400, error: NAMES[400], message: `${where || 'request'}: ${rule}`, field: field || undefined });
    }
    // PostgreSQL refusing text it cannot store (U+0000: 22021, 22P05; a lone surrogate in jsonb: 22P02)
    // is the input's fault, wherever it came in; routes that can name the field check before.
    const pgCode = (err as { code?: unknown }).code;
    if (pgCode === '22021' || pgCode === '22P05' || pgCode === '22P02') {
      return reply.code(400).send({ statusCode: 400, error: NAMES[400], message: 'request: holds text that cannot be stored (U+0000 or invalid Unicode)' });
    }
    const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
    if (status === 500) req.log.error(err);
    return reply.code(status).send({ statusCode: status, error: NAMES[status] ?? 'Error', message: status === 500 ? 'Something went wrong on our side.' : fe.message });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ statusCode: 404, error: NAMES[404], message: `no route for ${req.method} ${req.url.split('?')[0]}` }));
}
