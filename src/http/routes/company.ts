// Company-wide settings: the public profile (any operator reads it, as it is
// what customers see), department routing on/off, and the SMTP server — whose
// password is never returned (passwordSet says whether one is stored).
// Administrators change them; every change is in the audit log.
import type { FastifyInstance } from 'fastify';
import { conflict } from '../../core/errors.js';
import { inTransaction } from '../../db/pool.js';
import {
  companySettings, deleteStoredSmtp, lockRoutingMode, putCompanySettings, putRoutingSettings, putStoredSmtp,
  routingSettings, smtpView, storedSmtp, type CompanySettings, type RoutingSettings, type StoredSmtp,
} from '../../db/repos/company-settings.js';
import { countEnabledUrlRoutes } from '../../db/repos/url-routes.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN, OPERATOR } from '../access.js';
import { ERRORS } from '../lists.js';

// The mail outbox reads the stored SMTP server through this.
export { smtpSettings, type SmtpSettings } from '../../db/repos/company-settings.js';

type CompanyInput = { name: string; contactEmail?: string | null; logoUrl?: string | null };
type SmtpInput = Omit<StoredSmtp, 'password' | 'user' | 'from'> & { host: string; user?: string | null; password?: string | null; from?: string | null };

export function companyRoutes(app: FastifyInstance, s: Services): void {
  app.get('/api/v1/settings/company', {
    config: OPERATOR,
    schema: { tags: ['settings'], summary: "The company's public profile", response: { 200: { $ref: 'CompanySettings#' }, ...ERRORS } },
  }, async () => companySettings(s.db));

  app.put<{ Body: CompanyInput }>('/api/v1/settings/company', {
    config: ADMIN,
    schema: { tags: ['settings'], summary: "Replace the company's public profile", body: { $ref: 'CompanySettingsInput#' }, response: { 200: { $ref: 'CompanySettings#' }, ...ERRORS } },
  }, async (req) => inTransaction(s.db, async (tx) => {
    const before = await companySettings(tx);
    const after: CompanySettings = { name: req.body.name.trim(), contactEmail: req.body.contactEmail ?? null, logoUrl: req.body.logoUrl ?? null };
    await putCompanySettings(tx, after);
    await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'settings', id: 'company', before, after });
    return after;
  }));

  app.get('/api/v1/settings/routing', {
    config: ADMIN,
    schema: { tags: ['settings'], summary: 'Whether department routing is on', response: { 200: { $ref: 'RoutingSettings#' }, ...ERRORS } },
  }, async () => routingSettings(s.db));

  app.put<{ Body: RoutingSettings }>('/api/v1/settings/routing', {
    config: ADMIN,
    schema: {
      tags: ['settings'], summary: 'Turn department routing on or off. Refused (409) while a URL routing rule is enabled: the two cannot be used together.',
      body: { $ref: 'RoutingSettings#' }, response: { 200: { $ref: 'RoutingSettings#' }, ...ERRORS },
    },
  }, async (req) => inTransaction(s.db, async (tx) => {
    await lockRoutingMode(tx);
    const before = await routingSettings(tx);
    const enabled = req.body.departmentRouting ? await countEnabledUrlRoutes(tx) : 0;
    if (enabled > 0) {
      throw conflict('departmentRouting', `department routing and URL routing cannot be used together: disable the ${enabled} enabled URL routing rule${enabled > 1 ? 's' : ''} first`);
    }
    const after = await putRoutingSettings(tx, { ...before, departmentRouting: req.body.departmentRouting });
    await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'settings', id: 'routing', before, after });
    return after;
  }));

  app.get('/api/v1/settings/smtp', {
    config: ADMIN,
    schema: { tags: ['settings'], summary: 'The SMTP server email goes through (the password is never shown)', response: { 200: { $ref: 'SmtpSettings#' }, ...ERRORS } },
  }, async () => smtpView(await storedSmtp(s.db)));

  app.put<{ Body: SmtpInput }>('/api/v1/settings/smtp', {
    config: ADMIN,
    schema: {
      tags: ['settings'], summary: 'Set the SMTP server. Without a password the stored one is kept; password null removes it.',
      body: { $ref: 'SmtpSettingsInput#' }, response: { 200: { $ref: 'SmtpSettings#' }, ...ERRORS },
    },
  }, async (req) => inTransaction(s.db, async (tx) => {
    const before = await storedSmtp(tx);
    const b = req.body;
    const after: StoredSmtp = {
      host: b.host, port: b.port, secure: b.secure, user: b.user ?? null, from: b.from ?? null,
      password: b.password === undefined ? before.password : b.password,
    };
    await putStoredSmtp(tx, after);
    await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'settings', id: 'smtp', before: smtpView(before), after: smtpView(after) });
    return smtpView(after);
  }));

  app.delete('/api/v1/settings/smtp', {
    config: ADMIN,
    schema: { tags: ['settings'], summary: 'Forget the stored SMTP server (mail falls back to SMTP_URL, else .eml files)', response: { 204: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => {
    await inTransaction(s.db, async (tx) => {
      const before = await storedSmtp(tx);
      if (await deleteStoredSmtp(tx)) await s.audit.record(tx, actorOf(req), { action: 'delete', resource: 'settings', id: 'smtp', before: smtpView(before) });
    });
    return reply.code(204).send();
  });
}
