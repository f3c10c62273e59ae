// Server-side validation of a room's contact form: the browser checks too, but
// this is the authority. Returns the cleaned values or the first bad field.
import { invalid } from './errors.js';
import type { RoomSettings } from './room-settings.js';

export interface ContactInput { name?: unknown; email?: unknown; message?: unknown }
export interface Contact { name: string; email: string | null; message: string | null }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LIMITS = { name: 100, email: 254, message: 2000 } as const;

function text(field: keyof typeof LIMITS, raw: unknown, rule: { hidden: boolean; mandatory: boolean }): string | null {
  if (rule.hidden) return null;
  if (raw === undefined || raw === null) {
    if (rule.mandatory) throw invalid(field, 'is required');
    return null;
  }
  if (typeof raw !== 'string') throw invalid(field, 'must be a string');
  const v = raw.trim();
  if (v === '') {
    if (rule.mandatory) throw invalid(field, 'is required');
    return null;
  }
  if (v.length > LIMITS[field]) throw invalid(field, `must be at most ${LIMITS[field]} characters`);
  return v;
}

export function validateContact(settings: RoomSettings, input: ContactInput): Contact {
  const f = settings.form;
  const name = text('name', input.name, f.name);
  const email = text('email', input.email, f.email);
  if (email !== null && !EMAIL.test(email)) throw invalid('email', 'must be a valid email address');
  const message = text('message', input.message, f.message);
  return { name: name ?? 'Customer', email, message };
}

/** A MUC nickname from the customer's name: printable, bounded, never empty. */
export function customerNick(name: string): string {
  const spaced = name.replace(/\s+/gu, ' ').replace(/[\p{Cc}\p{Cf}\p{Cs}/@]/gu, '');
  // At most 40 UTF-16 units, cut between code points so no character is split in half.
  let cut = '';
  for (const ch of spaced.trim()) { if (cut.length + ch.length > 40) break; cut += ch; }
  const cleaned = cut.trim();
  return cleaned || 'Customer';
}
