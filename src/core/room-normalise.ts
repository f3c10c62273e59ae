// Room settings as stored may predate settings added since (or hold the old
// { name, email, message } form rules): reading them fills every missing or
// ill-typed key with its default and drops keys we no longer know, so the
// rest of the code always sees a complete RoomSettings.
import { isStrategy } from './strategies/index.js';
import {
  defaultFormFields, defaultRoomSettings, FIELD_TYPES, CHOICE_TYPES, MAX_ATTACHMENT_BYTES,
  type FieldType, type FormField, type HoursException, type Interval, type RoomSettings,
} from './room-settings.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `fallback`'s shape with `value`'s data wherever it has the same kind. */
function fill(fallback: unknown, value: unknown): unknown {
  if (isObject(fallback)) {
    const v = isObject(value) ? value : {};
    return Object.fromEntries(Object.entries(fallback).map(([k, d]) => [k, fill(d, v[k])]));
  }
  if (Array.isArray(fallback)) return Array.isArray(value) ? structuredClone(value) : structuredClone(fallback);
  if (fallback === null) return typeof value === 'string' ? value : null;
  if (typeof fallback === 'number') return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  return typeof value === typeof fallback ? value : fallback;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function field(v: unknown): FormField | null {
  if (!isObject(v) || typeof v.id !== 'string' || !FIELD_TYPES.includes(v.type as FieldType)) return null;
  const type = v.type as FieldType;
  const f: FormField = {
    id: v.id, type,
    label: typeof v.label === 'string' ? v.label : v.id,
    order: typeof v.order === 'number' && Number.isFinite(v.order) ? v.order : 0,
    hidden: v.hidden === true,
    mandatory: v.mandatory === true,
    placeholder: typeof v.placeholder === 'string' ? v.placeholder : '',
  };
  if (CHOICE_TYPES.includes(type)) f.options = strings(v.options);
  if (type === 'attachment') {
    f.accept = strings(v.accept);
    f.maxSizeBytes = typeof v.maxSizeBytes === 'number' && Number.isInteger(v.maxSizeBytes) ? v.maxSizeBytes : MAX_ATTACHMENT_BYTES;
  }
  return f;
}

/** Before the form builder a room stored { name: {hidden, mandatory}, email: …, message: … }. */
function legacyFields(form: Json): FormField[] {
  return defaultFormFields().map((f) => {
    const rule = form[f.id];
    return isObject(rule) ? { ...f, hidden: rule.hidden === true, mandatory: rule.mandatory === true } : f;
  });
}

function intervals(v: unknown): Interval[] {
  return Array.isArray(v) ? v.filter((i): i is Interval => isObject(i) && typeof i.from === 'string' && typeof i.to === 'string').map((i) => ({ from: i.from, to: i.to })) : [];
}

function exception(v: unknown): HoursException | null {
  if (!isObject(v) || typeof v.date !== 'string') return null;
  const list = intervals(v.intervals);
  return { date: v.date, closed: typeof v.closed === 'boolean' ? v.closed : list.length === 0, intervals: list };
}

export function normaliseRoomSettings(stored: unknown): RoomSettings {
  const defaults = defaultRoomSettings();
  const s = isObject(stored) ? stored : {};
  const out = fill(defaults, s) as RoomSettings;
  if (!isStrategy(out.strategy)) out.strategy = defaults.strategy;
  const form = isObject(s.form) ? s.form : {};
  out.form.fields = Array.isArray(form.fields)
    ? form.fields.map(field).filter((f): f is FormField => f !== null)
    : legacyFields(form);
  for (const day of Object.keys(out.hours.weekly) as Array<keyof RoomSettings['hours']['weekly']>) {
    out.hours.weekly[day] = intervals(out.hours.weekly[day]);
  }
  out.hours.exceptions = out.hours.exceptions.map(exception).filter((e): e is HoursException => e !== null);
  return out;
}

/**
 * A PATCH applied to settings (RFC 7396 style, without deletion): objects
 * merge key by key, anything else — arrays included — replaces.
 */
export function mergeSettings<T>(base: T, patch: unknown): T {
  if (!isObject(base) || !isObject(patch)) return structuredClone(patch) as T;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (k === '__proto__') continue;
    out[k] = k in out && isObject(out[k]) && isObject(v) ? mergeSettings(out[k], v) : structuredClone(v);
  }
  return out as T;
}
