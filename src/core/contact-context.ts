// The optional `context` of a contact submission: what the customer's page
// knows besides the form — the page the chat starts from (URL routing), the
// visitor's cookie id (a returning visitor's sticky agent) and a location the
// customer consented to share (nearest agent). Checked here, 400 naming the
// field (context.location.lat…).
import { invalid } from './errors.js';
import type { GeoPoint } from './strategies/types.js';
import { unstorable } from './room-validate.js';

export interface ContactContext { pageUrl: string | null; visitorId: string | null; location: GeoPoint | null }

export const NO_CONTEXT: ContactContext = { pageUrl: null, visitorId: null, location: null };
const KEYS = ['pageUrl', 'visitorId', 'location'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function pageUrl(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalid('context.pageUrl', 'must be a string');
  if (v.length > 2048) throw invalid('context.pageUrl', 'must be at most 2048 characters');
  let u: URL;
  try { u = new URL(v); } catch { throw invalid('context.pageUrl', 'must be an http or https URL'); }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || unstorable(v) || /\s/.test(v)) throw invalid('context.pageUrl', 'must be an http or https URL');
  return v;
}

function visitorId(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(v)) throw invalid('context.visitorId', 'must be 1–64 letters, digits, _ or -');
  return v;
}

function coordinate(v: unknown, field: string, limit: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(field, 'must be a number');
  if (v < -limit || v > limit) throw invalid(field, `must be between -${limit} and ${limit}`);
  return v;
}

function location(v: unknown): GeoPoint | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw invalid('context.location', 'must be { lat, lon }');
  const extra = Object.keys(v).find((k) => k !== 'lat' && k !== 'lon');
  if (extra !== undefined) throw invalid(`context.location.${extra}`, 'is not a known field');
  return { lat: coordinate(v.lat, 'context.location.lat', 90), lon: coordinate(v.lon, 'context.location.lon', 180) };
}

export function validateContext(raw: unknown): ContactContext {
  if (raw === undefined || raw === null) return NO_CONTEXT;
  if (!isObject(raw)) throw invalid('context', 'must be an object with pageUrl, visitorId, location');
  const extra = Object.keys(raw).find((k) => !KEYS.includes(k));
  if (extra !== undefined) throw invalid(`context.${extra}`, 'is not a known field');
  return { pageUrl: pageUrl(raw.pageUrl), visitorId: visitorId(raw.visitorId), location: location(raw.location) };
}
