// The audit log (administrators) and the usage figures billing is based on
// (seed 004: the number of active operators sets the fee; seed 000: emails
// count against the company's entitlement). Switchboard is self-hosted and
// takes no payments, so there are no invoices or saved payment methods to show.
import type { FastifyInstance } from 'fastify';
import { listAudit, type AuditFilter } from '../../db/repos/audit.js';
import type { Services } from '../app.js';
import { ADMIN } from '../access.js';
import { ERRORS, listOf, listQuery } from '../lists.js';

export function auditRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Querystring: AuditFilter }>('/api/v1/audit-log', {
    config: ADMIN,
    schema: {
      tags: ['audit'], summary: 'Every admin change: who, what, before/after, when (newest first)',
      querystring: listQuery({
        resource: { type: 'string', minLength: 1, maxLength: 50 }, resourceId: { type: 'string', minLength: 1, maxLength: 100 },
        actorId: { type: 'string', format: 'uuid' }, since: { type: 'string', format: 'date-time' }, until: { type: 'string', format: 'date-time' },
      }),
      response: { 200: listOf('AuditEntry'), ...ERRORS },
    },
  }, async (req) => listAudit(s.db, req.query));

  app.get('/api/v1/billing/usage', {
    config: ADMIN,
    schema: {
      tags: ['billing'], summary: 'Usage: active operators; conversations this calendar month; emails against the MAIL_QUOTA entitlement (all emails so far)',
      response: { 200: { type: 'object', properties: {
        periodStart: { type: 'string', format: 'date-time' }, activeOperators: { type: 'integer' },
        conversations: { type: 'integer' }, emails: { type: 'object', additionalProperties: true },
      } }, ...ERRORS },
    },
  }, async () => {
    const now = new Date(s.clock.now());
    const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const r = await s.db.query(`SELECT (SELECT count(*)::int FROM agents WHERE deleted_at IS NULL) AS operators,
      (SELECT count(*)::int FROM conversations WHERE created_at >= $1) AS conversations`, [periodStart]);
    return { periodStart, activeOperators: r.rows[0].operators, conversations: r.rows[0].conversations, emails: await s.usage.emails() };
  });
}
