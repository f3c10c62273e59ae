// The room's contact form, built from its form-builder fields. Checks what it
// can before sending (mandatory fields, email shape, options); the server
// stays the authority and its refusal is shown next to the field it names.
import { ApiError, type ContactForm, type RoomPublic } from './api.js';
import { h } from './dom.js';
import { fieldControl, type FieldControl } from './fields.js';
import { strings } from './strings.js';

export class FormView {
  readonly root: HTMLElement;
  private readonly form = h('form', { id: 'contact-form', class: 'contact-form', novalidate: true });
  private readonly controls = new Map<string, FieldControl>();
  private readonly formError = h('p', { class: 'form-error', role: 'alert' });
  private readonly startButton = h('button', { id: 'start', type: 'submit', class: 'primary' }, strings.start);

  constructor(room: RoomPublic, private readonly submit: (form: ContactForm) => Promise<void>) {
    for (const f of room.form.fields) this.controls.set(f.id, fieldControl(f));
    const anyMandatory = room.form.fields.some((f) => f.mandatory && f.type !== 'label');
    this.form.append(
      h('p', { class: 'intro' }, room.form.subHeader || strings.formIntro),
      ...(room.open ? [] : [h('p', { class: 'closed-note', role: 'note' }, strings.closedNow)]),
      ...[...this.controls.values()].map((c) => c.element),
      ...(anyMandatory ? [h('p', { class: 'hint' }, strings.requiredHint)] : []),
      this.formError,
      room.buttons.chat ? this.startButton : h('p', { class: 'hint' }, strings.chatUnavailable));
    this.form.addEventListener('submit', (e) => { e.preventDefault(); void this.onSubmit(); });
    this.root = h('section', { class: 'card' }, this.form);
  }

  focus(): void { [...this.controls.values()].find((c) => c.field.type !== 'label')?.focus(); }

  private async onSubmit(): Promise<void> {
    this.formError.textContent = '';
    const values: ContactForm = {};
    let firstInvalid: FieldControl | undefined;
    for (const [id, c] of this.controls) {
      const problem = c.check();
      c.setError(problem);
      if (problem) firstInvalid ??= c;
      const v = c.value();
      if (v !== undefined) values[id] = v;
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

  private showRefusal(err: unknown): void {
    const c = err instanceof ApiError && err.field ? this.controls.get(err.field) : undefined;
    if (err instanceof ApiError && c) {
      c.setError(withoutFieldPrefix(err.message, err.field ?? ''));
      c.focus();
    } else if (err instanceof ApiError && err.status < 500 && err.message) {
      this.formError.textContent = err.message;
    } else {
      this.formError.textContent = strings.startFailed;
    }
  }

  private busy(busy: boolean): void {
    this.startButton.disabled = busy;
    this.startButton.textContent = busy ? strings.starting : strings.start;
    for (const c of this.controls.values()) c.setBusy(busy);
  }
}

/** "email: must be a valid email address" next to the email field reads "Must be a valid email address". */
function withoutFieldPrefix(message: string, field: string): string {
  if (!message.startsWith(`${field}: `)) return message;
  const rest = message.slice(field.length + 2);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
