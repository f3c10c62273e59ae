// Server-side validation of a room's contact form (the form builder's fields,
// seed 002): the browser checks too, but this is the authority. Returns the
// cleaned values or throws for the first bad field in form order, naming it.
// The well-known fields name, email and message become the conversation's
// customer name, email and first message.
import { invalid } from './errors.js';
import { MAX_ATTACHMENT_BYTES, sortedFields, type FormField, type RoomSettings } from './room-settings.js';
import { unstorable } from './room-validate.js';

export type ContactInput = Record<string, unknown>;
export interface Attachment { url: string; name: string; type: string; size: number }
export type FieldValue = string | number | boolean | string[] | Attachment[];
export interface Contact {
  name: string; email: string | null; message: string | null;
  /** The other fields' values, by field id. */
  fields: Record<string, FieldValue>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** Characters a typed answer may have; the well-known name is a MUC nickname's source. */
const MAX_LENGTH: Record<string, number> = { text: 200, email: 254, textarea: 2000, name: 100 };
export const MAX_ATTACHMENTS = 5;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type Check = (f: FormField, raw: unknown) => FieldValue | null;

/** A required-or-empty check shared by every type: null means "no answer". */
function empty(f: FormField): null {
  if (f.mandatory) throw invalid(f.id, f.type === 'agreement' ? 'must be ticked' : 'is required');
  return null;
}

const typed: Check = (f, raw) => {
  if (typeof raw !== 'string') throw invalid(f.id, 'must be a string');
  const v = raw.trim();
  if (v === '') return empty(f);
  const why = unstorable(v);
  if (why) throw invalid(f.id, why);
  const max = MAX_LENGTH[f.id === 'name' ? 'name' : f.type] ?? 200;
  if (v.length > max) throw invalid(f.id, `must be at most ${max} characters`);
  if (f.type === 'email' && !EMAIL.test(v)) throw invalid(f.id, 'must be a valid email address');
  return v;
};

const number: Check = (f, raw) => {
  if (typeof raw === 'string' && raw.trim() === '') return empty(f);
  const v = typeof raw === 'number' ? raw : typeof raw === 'string' && NUMBER.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(v)) throw invalid(f.id, 'must be a number');
  return v;
};

const oneOf = (f: FormField) => `must be one of ${(f.options ?? []).map((o) => JSON.stringify(o)).join(', ')}`;

const choice: Check = (f, raw) => {
  if (typeof raw !== 'string') throw invalid(f.id, 'must be a string');
  if (raw.trim() === '') return empty(f);
  if (!f.options?.includes(raw)) throw invalid(f.id, oneOf(f));
  return raw;
};

const checkboxes: Check = (f, raw) => {
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) throw invalid(f.id, 'must be a list of the ticked options');
  if (raw.length === 0) return empty(f);
  const bad = raw.find((x) => !f.options?.includes(x as string));
  if (bad !== undefined) throw invalid(f.id, `${JSON.stringify(bad)} is not an option: ${oneOf(f)}`);
  if (new Set(raw).size !== raw.length) throw invalid(f.id, 'ticks an option twice');
  return raw as string[];
};

const agreement: Check = (f, raw) => {
  if (typeof raw !== 'boolean') throw invalid(f.id, 'must be true or false');
  return raw ? true : f.mandatory ? empty(f) : false;
};

/** A file type specifier (HTML accept): ".pdf", "image/*" or "application/pdf". */
export function accepts(accept: readonly string[], file: { name: string; type: string }): boolean {
  if (accept.length === 0) return true;
  const name = file.name.toLowerCase(), type = file.type.toLowerCase();
  return accept.some((a) => {
    const s = a.toLowerCase();
    if (s.startsWith('.')) return name.endsWith(s);
    if (s.endsWith('/*')) return type.startsWith(s.slice(0, -1));
    return type === s;
  });
}

const attachment: Check = (f, raw) => {
  if (!Array.isArray(raw)) throw invalid(f.id, 'must be a list of uploaded files');
  if (raw.length === 0) return empty(f);
  if (raw.length > MAX_ATTACHMENTS) throw invalid(f.id, `takes at most ${MAX_ATTACHMENTS} files`);
  const max = f.maxSizeBytes ?? MAX_ATTACHMENT_BYTES;
  return raw.map((x): Attachment => {
    if (!isObject(x) || typeof x.url !== 'string' || !/^https?:\/\/\S+$/.test(x.url) || x.url.length > 2000
      || typeof x.name !== 'string' || x.name.length > 255 || typeof x.type !== 'string' || x.type.length > 255
      || typeof x.size !== 'number' || !Number.isInteger(x.size) || x.size < 0 || unstorable(`${x.url}${x.name}${x.type}`)) {
      throw invalid(f.id, 'each file must be { url, name, type, size } from an upload');
    }
    if (x.size > max) throw invalid(f.id, `${x.name} is larger than the limit of ${max} bytes`);
    if (!accepts(f.accept ?? [], { name: x.name, type: x.type })) throw invalid(f.id, `${x.name}: this field accepts only ${f.accept!.join(', ')}`);
    return { url: x.url, name: x.name, type: x.type, size: x.size };
  });
};

const CHECKS: Record<Exclude<FormField['type'], 'label'>, Check> = {
  text: typed, email: typed, textarea: typed, number, select: choice, radio: choice, checkboxes, agreement, attachment,
};

export function validateContact(settings: RoomSettings, input: ContactInput): Contact {
  const fields = sortedFields(settings.form);
  const known = new Set(fields.map((f) => f.id));
  const unknown = Object.keys(input).find((k) => !known.has(k));
  if (unknown !== undefined) throw invalid(unknown, 'is not a field of this form');
  const values: Record<string, FieldValue> = {};
  for (const f of fields) {
    // Hidden fields are not asked, so whatever arrives for them is ignored; a label asks nothing.
    if (f.hidden || f.type === 'label') continue;
    const raw = input[f.id];
    const v = raw === undefined || raw === null ? empty(f) : CHECKS[f.type](f, raw);
    if (v !== null) values[f.id] = v;
  }
  const { name, email, message, ...rest } = values;
  return { name: typeof name === 'string' ? name : 'Customer', email: typeof email === 'string' ? email : null, message: typeof message === 'string' ? message : null, fields: rest };
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
