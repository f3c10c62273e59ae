// Company-wide settings kept in the settings table: the public profile
// ('company'), how chats are routed ('routing') and the SMTP server ('smtp').
// The mail outbox reads smtpSettings(); routing reads routingSettings().
import type { Queryable } from '../pool.js';
import { getSetting, putSetting } from './settings.js';

export interface CompanySettings { name: string | null; contactEmail: string | null; logoUrl: string | null }
export const COMPANY_DEFAULTS: CompanySettings = { name: null, contactEmail: null, logoUrl: null };

/** Department routing and URL routing cannot be used together (seed 004). */
export interface RoutingSettings { departmentRouting: boolean }
export const ROUTING_DEFAULTS: RoutingSettings = { departmentRouting: false };

/** What the mail outbox needs to reach an SMTP server. */
export interface SmtpSettings { host: string; port: number; secure: boolean; user?: string; password?: string; from?: string }

/** As stored; host null = none configured. */
export interface StoredSmtp { host: string | null; port: number; secure: boolean; user: string | null; password: string | null; from: string | null }
export const SMTP_DEFAULTS: StoredSmtp = { host: null, port: 587, secure: false, user: null, password: null, from: null };

/** What the API shows: never the password, only whether there is one. */
export type SmtpView = Omit<StoredSmtp, 'password'> & { passwordSet: boolean };

export function smtpView(s: StoredSmtp): SmtpView {
  const { password, ...rest } = s;
  return { ...rest, passwordSet: password !== null && password !== '' };
}

export const companySettings = (db: Queryable) => getSetting(db, 'company', COMPANY_DEFAULTS);
export const putCompanySettings = (db: Queryable, v: CompanySettings) => putSetting(db, 'company', v);
export const routingSettings = (db: Queryable) => getSetting(db, 'routing', ROUTING_DEFAULTS);
export const putRoutingSettings = (db: Queryable, v: RoutingSettings) => putSetting(db, 'routing', v);
export const storedSmtp = (db: Queryable) => getSetting(db, 'smtp', SMTP_DEFAULTS);
export const putStoredSmtp = (db: Queryable, v: StoredSmtp) => putSetting(db, 'smtp', v);

export async function deleteStoredSmtp(db: Queryable): Promise<boolean> {
  return (await db.query("DELETE FROM settings WHERE key = 'smtp'")).rowCount === 1;
}

/** The SMTP server the admin API stored, or null when there is none (the outbox then falls back). */
export async function smtpSettings(db: Queryable): Promise<SmtpSettings | null> {
  const s = await storedSmtp(db);
  if (!s.host) return null;
  return {
    host: s.host, port: s.port, secure: s.secure,
    ...(s.user ? { user: s.user } : {}), ...(s.password ? { password: s.password } : {}), ...(s.from ? { from: s.from } : {}),
  };
}

/**
 * Serialises changes to the routing mode within a transaction: enabling a URL
 * routing rule and turning department routing on each check the other under
 * this lock, so two concurrent requests cannot both slip through.
 */
export async function lockRoutingMode(tx: Queryable): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('switchboard:routing-mode'))");
}
