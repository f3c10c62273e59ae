// Verified identity (issue 6, seed 003): the company's own site vouches for a
// visitor it knows (id, name, email) by signing those attributes with the
// room's secret, HMAC-SHA256 over a canonical string (README, "Verified
// identity"). A signature that does not check out is ignored: the attributes
// are simply not trusted, and the visitor can still chat.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const IDENTITY_VERSION = 'switchboard-identity-v1';
/** A signature older than this is refused (a copied page cannot vouch forever). */
export const IDENTITY_MAX_AGE_SECONDS = 24 * 3600;
/** Clocks differ: a signature this far in the future still counts. */
export const IDENTITY_CLOCK_SKEW_SECONDS = 300;
const MAX_CHARS = 254;

export interface IdentityAttributes { id?: string; name?: string; email?: string; ts: number }
export interface VerifiedIdentity { id: string | null; name: string | null; email: string | null; signedAt: string }

/** The exact string the site signs: six lines, absent attributes as empty lines. */
export function canonicalIdentity(room: string, a: IdentityAttributes): string {
  return [IDENTITY_VERSION, room, a.id ?? '', a.name ?? '', a.email ?? '', String(a.ts)].join('\n');
}

export function signIdentity(secret: string, room: string, a: IdentityAttributes): string {
  return createHmac('sha256', secret).update(canonicalIdentity(room, a), 'utf8').digest('hex');
}

const attr = (v: unknown): string | undefined | null => {
  if (v === undefined || v === null || v === '') return undefined;
  // No line breaks or other control characters: they would make the canonical string ambiguous.
  if (typeof v !== 'string' || v.length > MAX_CHARS || /[\p{Cc}]/u.test(v)) return null;
  return v;
};

/**
 * The attributes, if `raw` carries a good signature for this room made within
 * the allowed age; otherwise null (never an error).
 */
export function verifyIdentity(secret: string, room: string, raw: unknown, nowMs: number): VerifiedIdentity | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  const id = attr(r.id), name = attr(r.name), email = attr(r.email);
  if (id === null || name === null || email === null || (id ?? name ?? email) === undefined) return null;
  const ts = r.ts;
  if (typeof ts !== 'number' || !Number.isInteger(ts)) return null;
  const age = nowMs / 1000 - ts;
  if (age > IDENTITY_MAX_AGE_SECONDS || age < -IDENTITY_CLOCK_SKEW_SECONDS) return null;
  if (typeof r.signature !== 'string' || !/^[0-9a-fA-F]{64}$/.test(r.signature)) return null;
  const want = Buffer.from(signIdentity(secret, room, { id, name, email, ts }), 'hex');
  if (!timingSafeEqual(want, Buffer.from(r.signature, 'hex'))) return null;
  return { id: id ?? null, name: name ?? null, email: email ?? null, signedAt: new Date(ts * 1000).toISOString() };
}

/** The attributes as one short phrase: "Paula Patient <paula@example.com> id 42". */
export function identityWho(v: VerifiedIdentity): string {
  return [v.name, v.email && `<${v.email}>`, v.id && `id ${v.id}`].filter(Boolean).join(' ');
}
