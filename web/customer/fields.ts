// One control per form-builder field (seed 002): text, email, number,
// textarea, select, radio, checkboxes, agreement, and labels. The checks
// mirror the server's (src/core/contact-form.ts), which stays the authority.
// Attachments need the chat's file upload (issue 6): the form only mentions them.
import type { FormField } from './api.js';
import { h } from './dom.js';
import { strings } from './strings.js';

export type Value = string | number | boolean | string[];

export interface FieldControl {
  readonly field: FormField;
  readonly element: HTMLElement;
  /** The answer to send; undefined when there is none. */
  value(): Value | undefined;
  /** What is wrong with the answer, or ''. */
  check(): string;
  setError(message: string): void;
  focus(): void;
  setBusy(busy: boolean): void;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_LENGTH: Record<string, number> = { text: 200, email: 254, textarea: 2000 };
const maxLength = (f: FormField) => (f.id === 'name' ? 100 : MAX_LENGTH[f.type] ?? 200);

function labelText(f: FormField): (string | HTMLElement)[] {
  return [f.label, ...(f.mandatory ? [h('span', { class: 'required', 'aria-hidden': 'true' }, ` ${strings.requiredMark}`)] : [])];
}

/** The wrapper, error line and error/busy plumbing shared by every control. */
function control(f: FormField, parts: { element: HTMLElement; inputs: Array<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>; value: () => Value | undefined; check: () => string }): FieldControl {
  const error = h('p', { class: 'field-error', id: `field-${f.id}-error`, 'data-field': f.id });
  parts.element.append(error);
  const setError = (message: string) => {
    error.textContent = message;
    for (const i of parts.inputs) {
      if (message) i.setAttribute('aria-invalid', 'true');
      else i.removeAttribute('aria-invalid');
    }
  };
  for (const i of parts.inputs) {
    i.setAttribute('aria-describedby', error.id);
    i.addEventListener(i instanceof HTMLInputElement && (i.type === 'checkbox' || i.type === 'radio') ? 'change' : 'input', () => setError(''));
  }
  return {
    field: f, element: parts.element, value: parts.value, check: parts.check, setError,
    focus: () => parts.inputs[0]?.focus(),
    setBusy: (busy) => {
      for (const i of parts.inputs) {
        // Text stays selectable while read-only; choices can only be disabled.
        if (i instanceof HTMLTextAreaElement || (i instanceof HTMLInputElement && i.type !== 'checkbox' && i.type !== 'radio')) i.readOnly = busy;
        else i.disabled = busy;
      }
    },
  };
}

function typed(f: FormField): FieldControl {
  const id = `field-${f.id}`;
  const common = { id, name: f.id, required: f.mandatory, placeholder: f.placeholder || undefined };
  const input = f.type === 'textarea'
    ? h('textarea', { ...common, rows: '4', maxlength: String(maxLength(f)) })
    : h('input', {
      ...common, type: f.type === 'email' ? 'email' : f.type === 'number' ? 'number' : 'text', step: f.type === 'number' ? 'any' : undefined,
      maxlength: f.type === 'number' ? undefined : String(maxLength(f)),
      autocomplete: f.id === 'name' || f.id === 'email' ? f.id : undefined, inputmode: f.type === 'email' ? 'email' : undefined,
    });
  const text = () => input.value.trim();
  return control(f, {
    element: h('div', { class: 'field' }, h('label', { for: id }, ...labelText(f)), input),
    inputs: [input],
    value: () => (text() === '' ? undefined : f.type === 'number' ? Number(text()) : text()),
    check: () => {
      if (input instanceof HTMLInputElement && input.validity.badInput) return strings.errNumber;
      const v = text();
      if (v === '') return f.mandatory ? strings.errRequired : '';
      if (f.type === 'number') return Number.isFinite(Number(v)) ? '' : strings.errNumber;
      if (f.type === 'email' && !EMAIL.test(v)) return strings.errEmail;
      return v.length > maxLength(f) ? strings.errTooLong(maxLength(f)) : '';
    },
  });
}

function select(f: FormField): FieldControl {
  const id = `field-${f.id}`;
  const input = h('select', { id, name: f.id, required: f.mandatory },
    h('option', { value: '' }, strings.chooseOne), ...(f.options ?? []).map((o) => h('option', { value: o }, o)));
  return control(f, {
    element: h('div', { class: 'field' }, h('label', { for: id }, ...labelText(f)), input),
    inputs: [input],
    value: () => input.value || undefined,
    check: () => (input.value === '' && f.mandatory ? strings.errRequired : ''),
  });
}

/** Radio buttons (one answer) or checkboxes (any number), in a fieldset. */
function group(f: FormField): FieldControl {
  const kind = f.type === 'radio' ? 'radio' : 'checkbox';
  const inputs = (f.options ?? []).map((o, i) => h('input', { type: kind, id: `field-${f.id}-${i}`, name: f.id, value: o }));
  const picked = () => inputs.filter((i) => i.checked).map((i) => i.value);
  return control(f, {
    element: h('fieldset', { class: 'field choices', id: `field-${f.id}` }, h('legend', {}, ...labelText(f)),
      ...inputs.map((input, i) => h('label', { class: 'choice', for: input.id }, input, ` ${f.options![i]}`))),
    inputs,
    value: () => (kind === 'radio' ? picked()[0] : picked().length ? picked() : undefined),
    check: () => (picked().length === 0 && f.mandatory ? strings.errRequired : ''),
  });
}

function agreement(f: FormField): FieldControl {
  const input = h('input', { type: 'checkbox', id: `field-${f.id}`, name: f.id, required: f.mandatory });
  return control(f, {
    element: h('div', { class: 'field agreement' }, h('label', { class: 'choice', for: input.id }, input, ' ', ...labelText(f))),
    inputs: [input],
    value: () => (input.checked ? true : f.mandatory ? undefined : false),
    check: () => (!input.checked && f.mandatory ? strings.errAgree : ''),
  });
}

/** A label or an attachment: text only, nothing to send from this form. */
function note(f: FormField): FieldControl {
  const text = f.type === 'label' ? f.label : `${f.label} — ${strings.attachmentsInChat}`;
  return control(f, { element: h('div', { class: 'field note' }, h('p', { class: 'form-label' }, text)), inputs: [], value: () => undefined, check: () => '' });
}

/** The department choice (seed 004), sent as departmentId; no choice lets the company route. */
export function departmentControl(departments: Array<{ id: string; name: string }>): FieldControl {
  const f: FormField = { id: 'departmentId', type: 'select', label: strings.department, mandatory: false };
  const id = 'field-departmentId';
  const input = h('select', { id, name: 'departmentId' },
    h('option', { value: '' }, strings.anyDepartment), ...departments.map((d) => h('option', { value: d.id }, d.name)));
  return control(f, {
    element: h('div', { class: 'field' }, h('label', { for: id }, f.label), input),
    inputs: [input],
    value: () => input.value || undefined,
    check: () => '',
  });
}

export function fieldControl(f: FormField): FieldControl {
  switch (f.type) {
    case 'text': case 'email': case 'number': case 'textarea': return typed(f);
    case 'select': return select(f);
    case 'radio': case 'checkboxes': return group(f);
    case 'agreement': return agreement(f);
    default: return note(f);
  }
}
