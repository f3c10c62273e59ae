// The room's contact form. Checks what it can before sending (mandatory
// fields, email shape); the server stays the authority and its refusal is
// shown next to the field it names.
import { ApiError, FIELDS, type ContactForm, type FieldName, type RoomPublic } from './api.js';
import { h } from './dom.js';
import { strings } from './strings.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_LENGTH: Record<FieldName, number> = { name: 100, email: 254, message: 5000 };

type Control = HTMLInputElement | HTMLTextAreaElement;

export class FormView {
  readonly root: HTMLElement;
  private readonly form = h('form', { id: 'contact-form', class: 'contact-form', novalidate: true });
  private readonly controls = new Map<FieldName, { input: Control; error: HTMLElement }>();
  private readonly formError = h('p', { class: 'form-error', role: 'alert' });
  private readonly startButton = h('button', { id: 'start', type: 'submit', class: 'primary' }, strings.start);

  constructor(private readonly room: RoomPublic, private readonly submit: (form: ContactForm) => Promise<void>) {
    const fields = FIELDS.filter((f) => !room.form[f].hidden);
    const anyMandatory = fields.some((f) => room.form[f].mandatory);
    this.form.append(
      h('p', { class: 'intro' }, strings.formIntro),
      ...fields.map((f) => this.field(f)),
      ...(anyMandatory ? [h('p', { class: 'hint' }, strings.requiredHint)] : []),
      this.formError,
      this.startButton);
    this.form.addEventListener('submit', (e) => { e.preventDefault(); void this.onSubmit(); });
    this.root = h('section', { class: 'card' }, this.form);
  }

  focus(): void { this.controls.values().next().value?.input.focus(); }

  private field(name: FieldName): HTMLElement {
    const { mandatory } = this.room.form[name];
    const id = `field-${name}`;
    const errorId = `${id}-error`;
    const common = { id, name, required: mandatory, maxlength: String(MAX_LENGTH[name]), 'aria-describedby': errorId };
    const input: Control = name === 'message'
      ? h('textarea', { ...common, rows: '4' })
      : h('input', { ...common, type: name === 'email' ? 'email' : 'text', autocomplete: name, inputmode: name === 'email' ? 'email' : undefined });
    const error = h('p', { class: 'field-error', id: errorId, 'data-field': name });
    input.addEventListener('input', () => this.setError(name, ''));
    this.controls.set(name, { input, error });
    return h('div', { class: 'field' },
      h('label', { for: id }, strings.fieldLabels[name],
        mandatory && h('span', { class: 'required', 'aria-hidden': 'true' }, ` ${strings.requiredMark}`)),
      input, error);
  }

  private async onSubmit(): Promise<void> {
    this.formError.textContent = '';
    const values: ContactForm = {};
    let firstInvalid: Control | undefined;
    for (const [name, { input }] of this.controls) {
      const value = input.value.trim();
      const problem = this.check(name, value);
      this.setError(name, problem);
      if (problem) firstInvalid ??= input;
      if (value !== '') values[name] = value;
    }
    if (firstInvalid) { firstInvalid.focus(); return; }

    this.busy(true);
    try {
      await this.submit(values);
    } catch (err) {
      this.busy(false);
      this.showRefusal(err);
    }
  }

  private check(name: FieldName, value: string): string {
    if (value === '') return this.room.form[name].mandatory ? strings.errRequired : '';
    if (name === 'email' && !EMAIL.test(value)) return strings.errEmail;
    if (value.length > MAX_LENGTH[name]) return strings.errTooLong(MAX_LENGTH[name]);
    return '';
  }

  private showRefusal(err: unknown): void {
    const field = err instanceof ApiError ? this.controls.get(err.field as FieldName) : undefined;
    if (err instanceof ApiError && field) {
      this.setError(err.field as FieldName, withoutFieldPrefix(err.message, err.field ?? ''));
      field.input.focus();
    } else if (err instanceof ApiError && err.status < 500 && err.message) {
      this.formError.textContent = err.message;
    } else {
      this.formError.textContent = strings.startFailed;
    }
  }

  private setError(name: FieldName, message: string): void {
    const c = this.controls.get(name);
    if (!c) return;
    c.error.textContent = message;
    if (message) c.input.setAttribute('aria-invalid', 'true');
    else c.input.removeAttribute('aria-invalid');
  }

  private busy(busy: boolean): void {
    this.startButton.disabled = busy;
    this.startButton.textContent = busy ? strings.starting : strings.start;
    for (const { input } of this.controls.values()) input.readOnly = busy;
  }
}

/** "email: must be a valid email address" next to the email field reads "Must be a valid email address". */
function withoutFieldPrefix(message: string, field: string): string {
  if (!message.startsWith(`${field}: `)) return message;
  const rest = message.slice(field.length + 2);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
