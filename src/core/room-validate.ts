// Rules on room settings that a JSON schema cannot express: unique field ids,
// hidden fields that are mandatory, options where a field needs them, the
// well-known fields' types, working hours. Runs on settings that passed the
// schema (schemas/http/room-settings.json); returns the first problem, naming
// the setting by its path.
import { hoursProblem, type Problem } from './room-hours.js';
import { CHOICE_TYPES, WELL_KNOWN, type FormField, type RoomSettings } from './room-settings.js';

export type { Problem };

function fieldProblem(f: FormField, at: string): Problem | null {
  const name = `"${f.id}"`;
  if (f.hidden && f.mandatory) return { field: `${at}.mandatory`, message: `the hidden field ${name} cannot be mandatory` };
  if (f.type === 'label' && f.mandatory) return { field: `${at}.mandatory`, message: `${name} is a label, which takes no input, so it cannot be mandatory` };
  const wellKnown = WELL_KNOWN[f.id];
  if (wellKnown && !wellKnown.includes(f.type)) return { field: `${at}.type`, message: `the field ${name} must be of type ${wellKnown.join(' or ')}` };
  const choice = CHOICE_TYPES.includes(f.type);
  if (choice && !f.options?.length) return { field: `${at}.options`, message: `${name} is a ${f.type} and needs at least one option` };
  if (!choice && f.options !== undefined) return { field: `${at}.options`, message: `only select, radio and checkboxes fields have options (${name} is a ${f.type})` };
  if (f.type !== 'attachment') {
    if (f.accept !== undefined) return { field: `${at}.accept`, message: `only attachment fields accept file types (${name} is a ${f.type})` };
    if (f.maxSizeBytes !== undefined) return { field: `${at}.maxSizeBytes`, message: `only attachment fields have a size limit (${name} is a ${f.type})` };
  }
  return null;
}

/** What PostgreSQL cannot store in text or jsonb: U+0000, and UTF-16 halves without their pair. */
export function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) return 'must be valid Unicode (it holds half of a surrogate pair)';
  return null;
}

/** The first string, at any depth, that cannot be stored, by its path. */
export function unstorableProblem(v: unknown, at = ''): Problem | null {
  if (typeof v === 'string') {
    const why = unstorable(v);
    return why ? { field: at, message: why } : null;
  }
  if (typeof v !== 'object' || v === null) return null;
  for (const [k, x] of Object.entries(v)) {
    const p = unstorableProblem(x, at ? `${at}.${k}` : k);
    if (p) return p;
  }
  return null;
}

export function settingsProblem(s: RoomSettings): Problem | null {
  const bad = unstorableProblem(s);
  if (bad) return bad;
  const ids = new Map<string, number>();
  for (const [i, f] of s.form.fields.entries()) {
    const at = `form.fields.${i}`;
    const twin = ids.get(f.id);
    if (twin !== undefined) return { field: `${at}.id`, message: `"${f.id}" is already the id of form.fields.${twin}; field ids must be unique` };
    ids.set(f.id, i);
    const p = fieldProblem(f, at);
    if (p) return p;
  }
  if (!Object.values(s.buttons).some(Boolean)) return { field: 'buttons', message: 'at least one button (chat, email, voice, video) must show' };
  return hoursProblem(s.hours);
}
