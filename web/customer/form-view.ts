// The room's contact form, built from its form-builder fields. Checks what it
// can before sending (mandatory fields, email shape, options); the server
// stays the authority and its refusal is shown next to the field it names.
import { ApiError, type ContactForm, type RoomPublic } from './api.js';
import { h } from './dom.js';
import { departmentControl, fieldControl, type FieldControl } from './fields.js';
import { strings } from './strings.js';

export class FormView {
  readonly root: HTMLElement;
  private readonly form = h('form', { id: 'contact-form', class: 'contact-form', novalidate: true });
  private readonly controls = new Map<string, FieldControl>();
  private readonly formError = h('p', { class: 'form-error', role: 'alert' });
  private readonly startButton = h('button', { id: 'start', type: 'submit', class: 'primary' }, strings.start);
  private readonly noteButton = h('button', { id: 'leave-note', type: 'button', class: 'secondary' }, strings.leaveNote);

  /** `note`: leave a note instead (the room's Email button, or outside working hours). */
  constructor(room: RoomPublic, private readonly submit: (form: ContactForm) => Promise<void>, private readonly note?: (form: ContactForm) => Promise<void>) {
    for (const f of room.form.fields) this.controls.set(f.id, fieldControl(f));
    if (room.departments.length) this.controls.set('departmentId', departmentControl(room.departments));
    const anyMandatory = room.form.fields.some((f) => f.mandatory && f.type !== 'label');
    // Outside working hours a room that takes notes offers the note instead of the chat.
    const noteOffered = !!note && (room.buttons.email || (!room.open && room.interactions.leaveEmail));
    const chatOffered = room.buttons.chat && (room.open || !noteOffered);
    const closedText = noteOffered && !chatOffered ? strings.closedLeaveNote : strings.closedNow;
    this.form.append(
      h('p', { class: 'intro' }, room.form.subHeader || strings.formIntro),
      ...(room.open ? [] : [h('p', { class: 'closed-note', role: 'note' }, closedText)]),
      ...[...this.controls.values()].map((c) => c.element),
      ...(anyMandatory ? [h('p', { class: 'hint' }, strings.requiredHint)] : []),
      this.formError,
      h('div', { class: 'form-buttons' },
        chatOffered ? this.startButton : noteOffered ? null : h('p', { class: 'hint' }, strings.chatUnavailable),
        noteOffered ? this.noteButton : null));
    if (noteOffered && !chatOffered) this.noteButton.className = 'primary';
    this.form.addEventListener('submit', (e) => { e.preventDefault(); void this.onSubmit(); });
    this.noteButton.addEventListener('click', () => void this.onNote());
    this.root = h('section', { class: 'card' }, this.form);
  }

  focus(): void { [...this.controls.values()].find((c) => c.field.type !== 'label')?.focus(); }

  /** The answers, or undefined after flagging the first field at fault. `extra` adds checks (a note's). */
  private collect(extra: (id: string, value: unknown) => string = () => ''): ContactForm | undefined {
    this.formError.textContent = '';
    const values: ContactForm = {};
    let firstInvalid: FieldControl | undefined;
    for (const [id, c] of this.controls) {
      const v = c.value();
      const problem = c.check() || extra(id, v);
      c.setError(problem);
      if (problem) firstInvalid ??= c;
      if (v !== undefined) values[id] = v;
    }
    if (firstInvalid) { firstInvalid.focus(); return undefined; }
    return values;
  }

  private async onSubmit(): Promise<void> {
    const values = this.collect();
    if (!values) return;
    this.busy(true);
    try {
      await this.submit(values);
    } catch (err) {
      this.busy(false);
      this.showRefusal(err);
    }
  }

  /** A note needs an email to answer and a message (the server says so too). */
  private async onNote(): Promise<void> {
    const values = this.collect((id, v) => (id === 'email' && v === undefined ? strings.noteNeedsEmail : id === 'message' && v === undefined ? strings.noteNeedsMessage : ''));
    if (!values || !this.note) return;
    if (values.email === undefined || values.message === undefined) {
      this.formError.textContent = values.email === undefined ? strings.noteNeedsEmail : strings.noteNeedsMessage;
      return;
    }
    this.busy(true, this.noteButton);
    try {
      await this.note(values);
      this.form.replaceChildren(h('p', { id: 'note-sent', class: 'note-sent', role: 'status' }, strings.noteSent));
    } catch (err) {
      this.busy(false, this.noteButton);
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

  private busy(busy: boolean, button: HTMLButtonElement = this.startButton): void {
    this.startButton.disabled = busy;
    this.noteButton.disabled = busy;
    if (button === this.startButton) this.startButton.textContent = busy ? strings.starting : strings.start;
    else this.noteButton.textContent = busy ? strings.leavingNote : strings.leaveNote;
    for (const c of this.controls.values()) c.setBusy(busy);
  }
}

/** "email: must be a valid email address" next to the email field reads "Must be a valid email address". */
function withoutFieldPrefix(message: string, field: string): string {
  if (!message.startsWith(`${field}: `)) return message;
  const rest = message.slice(field.length + 2);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
