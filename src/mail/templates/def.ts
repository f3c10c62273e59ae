// What a template module provides, and the JSON-schema pieces their data
// schemas are made of. `x-message` is the sentence shown when a value fails.
import type { ProfileSource } from '../types.js';
import type { Vars } from './engine.js';

/** Who an email is from, after the room → company fallback. */
export interface Sender { companyName: string; contactEmail: string }

export interface TemplateDef<D> {
  /** JSON schema of the data (its `profile` property is added by the registry). */
  schema: Record<string, unknown>;
  /** MJML placed in the layout's card. */
  body: string;
  /** Automatic emails say so (RFC 3834 Auto-Submitted); a person's reply does not. */
  autoSubmitted: boolean;
  subject(d: D, s: Sender): string;
  preview(d: D, s: Sender): string;
  vars(d: D, s: Sender): Vars;
  /** The plain-text part, without the footer. */
  text(d: D, s: Sender): string;
  /** Where replies should go when not to the sender (the customer, for an offline message). */
  replyTo?(d: D): string | null | undefined;
  /** Checks a schema cannot say plainly; throws AppError 'invalid' naming the field. */
  check?(d: D): void;
}

export interface WithProfile { profile: ProfileSource }

// --- schema pieces ----------------------------------------------------------

export const EMAIL_PATTERN = '^[^\\s@<>",;]+@[^\\s@<>",;]+\\.[^\\s@<>",;]+$';

export const str = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '\\S', 'x-message': `must be text of 1 to ${maxLength} characters` });
export const text = (maxLength: number) => ({ type: 'string', maxLength, 'x-message': `must be text of at most ${maxLength} characters` });
export const email = { type: 'string', maxLength: 254, pattern: EMAIL_PATTERN, 'x-message': 'must be an email address' };
export const optEmail = { type: ['string', 'null'], maxLength: 254, pattern: `^$|${EMAIL_PATTERN}`, 'x-message': 'must be an email address or empty' };
export const httpUrl = { type: 'string', maxLength: 2000, pattern: '^https?://[^\\s]+$', 'x-message': 'must be an http:// or https:// URL' };
export const when = { type: 'string', format: 'date-time', 'x-message': 'must be a date-time like 2026-11-21T14:05:00Z' };
export const nullable = (s: Record<string, unknown>) => ({ ...s, type: [s.type as string, 'null'] });

export function obj(props: Record<string, unknown>, required: string[] = Object.keys(props)) {
  return { type: 'object', properties: props, required, additionalProperties: false, 'x-message': 'must be an object' };
}

export const list = (items: unknown, maxItems: number) => ({ type: 'array', items, maxItems, 'x-message': `must be a list of at most ${maxItems} items` });

const profile = obj({ companyName: nullable(text(200)), contactEmail: optEmail }, []);
export const profileSchema = obj({ room: { ...profile, type: ['object', 'null'] }, company: { ...profile, type: ['object', 'null'] } }, []);

/** The person a template speaks to or about. */
export const person = obj({ name: str(200) });

/** Form fields shown as label/value rows. */
export const fields = list(obj({ label: str(200), value: text(5000) }), 50);
export interface Field { label: string; value: string }
