// Recipients and senders, checked before anything is stored. Pure.
import { invalid } from '../core/errors.js';
import type { ProfileSource, PublicProfile, Recipient, RecipientInput } from './types.js';
import type { Sender } from './templates/def.js';

// One address, no display name, no list: what a form or the admin API gives us.
const ADDRESS = /^[^\s@<>",;:()[\]\\]+@[^\s@<>",;:()[\]\\]+\.[^\s@<>",;:()[\]\\]+$/;
export const MAX_RECIPIENTS = 100;

export function isAddress(s: string): boolean {
  return s.length <= 254 && ADDRESS.test(s);
}

/** Checks every recipient, naming the first bad one (`recipients[2]`); drops repeats of an address. */
export function normalizeRecipients(list: readonly RecipientInput[] | unknown): Recipient[] {
  if (!Array.isArray(list)) throw invalid('recipients', 'must be a list of email addresses');
  if (list.length === 0) throw invalid('recipients', 'needs at least one email address');
  if (list.length > MAX_RECIPIENTS) throw invalid('recipients', `must hold at most ${MAX_RECIPIENTS} addresses`);
  const seen = new Set<string>();
  const out: Recipient[] = [];
  list.forEach((r: unknown, i) => {
    const field = `recipients[${i}]`;
    const o = typeof r === 'string' ? { address: r } : r as { name?: unknown; address?: unknown } | null;
    if (!o || typeof o !== 'object' || typeof o.address !== 'string') throw invalid(field, 'must be an email address or { name, address }');
    const address = o.address.trim();
    if (!isAddress(address)) throw invalid(field, `is not a valid email address: ${JSON.stringify(o.address.slice(0, 100))}`);
    if (o.name !== undefined && o.name !== null && (typeof o.name !== 'string' || o.name.length > 200)) throw invalid(`${field}.name`, 'must be text of at most 200 characters');
    const name = typeof o.name === 'string' ? o.name.replace(/\s+/g, ' ').trim() || null : null;
    const key = address.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ name, address });
  });
  return out;
}

const filled = (v: string | null | undefined) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** Seed 000: the room's public profile, each empty field falling back to the company's, then to ours. */
export function resolveSender(p: ProfileSource | undefined, fallback: { companyName: string; address: string }): Sender {
  const pick = (k: keyof PublicProfile) => filled(p?.room?.[k]) ?? filled(p?.company?.[k]);
  return { companyName: pick('companyName') ?? fallback.companyName, contactEmail: pick('contactEmail') ?? fallback.address };
}
