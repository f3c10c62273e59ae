// Pieces of the chat panel beyond the log and the compose box: an agent's
// avatar, quick-response buttons (XEP-0439), the mute switch, the transcript
// request and the satisfaction rating. Plain DOM; the callers do the talking.
import { rate, requestTranscript, type ConversationTicket } from './api.js';
import type { ChatView } from './chat-view.js';
import { h } from './dom.js';
import type { QuickResponse } from './read.js';
import { strings } from './strings.js';

/** The agent's picture, or their initial on the accent colour when they have none. */
export function avatar(nick: string, url?: string | null): HTMLElement {
  if (url && /^https?:\/\//.test(url)) return h('img', { class: 'avatar', src: url, alt: '', referrerpolicy: 'no-referrer' });
  const initial = Array.from(nick.trim())[0]?.toUpperCase() ?? '?';
  return h('span', { class: 'avatar initial', 'aria-hidden': 'true' }, initial);
}

/** One button per response; picking one sends its value and retires the set. */
export function quickButtons(responses: QuickResponse[], pick: (value: string) => boolean): HTMLElement {
  const box = h('div', { class: 'quick-responses', role: 'group', 'aria-label': strings.quickResponses });
  for (const r of responses) {
    const b = h('button', { type: 'button', class: 'quick', 'data-value': r.value }, r.label);
    b.addEventListener('click', () => { if (pick(r.value)) retire(box); });
    box.append(b);
  }
  return box;
}

export function retire(box: Element): void {
  for (const b of box.querySelectorAll('button')) b.disabled = true;
  box.classList.add('used');
}

export function muteButton(muted: boolean, set: (muted: boolean) => void): HTMLButtonElement {
  const b = h('button', { type: 'button', id: 'mute', class: 'icon' });
  const show = (m: boolean) => {
    b.replaceChildren(bell(m));
    b.setAttribute('aria-pressed', String(m));
    b.setAttribute('aria-label', m ? strings.unmute : strings.mute);
    b.title = m ? strings.unmute : strings.mute;
  };
  show(muted);
  b.addEventListener('click', () => { const m = b.getAttribute('aria-pressed') !== 'true'; show(m); set(m); });
  return b;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A bell, struck through when muted (drawn here: no icon font to load). */
function bell(muted: boolean): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  const paths = ['M6 16V11a6 6 0 0 1 12 0v5l2 2H4z', 'M10 20a2 2 0 0 0 4 0', ...(muted ? ['M4 4l16 16'] : [])];
  for (const d of paths) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', 'none');
    p.setAttribute('stroke', 'currentColor');
    p.setAttribute('stroke-width', '2');
    p.setAttribute('stroke-linecap', 'round');
    svg.append(p);
  }
  return svg;
}

/** While waiting (seed 000's Add Alert): email me when an agent is free. */
export function alertForm(email: string, send: (email: string) => Promise<void>): HTMLElement {
  return emailForm({ id: 'alert', title: strings.alertTitle, button: strings.alertSend, done: strings.alertSet, failed: strings.alertFailed }, email, send);
}

/** "Email me the transcript": an address (prefilled with the form's) and a button. */
export function transcriptForm(email: string, send: (email: string) => Promise<void>): HTMLElement {
  return emailForm({ id: 'transcript', title: strings.transcriptTitle, button: strings.transcriptSend, done: strings.transcriptSent, failed: strings.transcriptFailed }, email, send);
}

interface EmailFormTexts { id: string; title: string; button: string; done(email: string): string; failed: string }

function emailForm(t: EmailFormTexts, email: string, send: (email: string) => Promise<void>): HTMLElement {
  const input = h('input', { type: 'email', id: `${t.id}-email`, name: `${t.id}-email`, autocomplete: 'email', value: email, placeholder: strings.transcriptEmail });
  const button = h('button', { type: 'submit', id: `${t.id}-send`, class: 'secondary' }, t.button);
  const status = h('p', { class: 'panel-status', role: 'status' });
  const form = h('form', { class: `panel ${t.id}`, id: t.id, 'aria-label': t.title },
    h('h2', {}, t.title),
    h('div', { class: 'inline' }, h('label', { for: input.id, class: 'visually-hidden' }, strings.transcriptEmail), input, button), status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const to = input.value.trim();
    button.disabled = true;
    status.textContent = '';
    send(to).then(() => { status.textContent = t.done(to); },
      () => { status.textContent = t.failed; button.disabled = false; });
  });
  return form;
}

/** Stars 1-5 (a radio group: arrow keys move, as screen readers expect) and a comment. */
export function ratingForm(send: (score: number, comment: string) => Promise<void>): HTMLElement {
  const stars = [1, 2, 3, 4, 5].map((n) => h('input', { type: 'radio', name: 'rating', id: `rating-${n}`, value: String(n), class: 'visually-hidden' }));
  const comment = h('textarea', { id: 'rating-comment', name: 'rating-comment', rows: '2', maxlength: '2000' });
  const button = h('button', { type: 'submit', id: 'rating-send', class: 'primary' }, strings.rateSend);
  const status = h('p', { class: 'panel-status', role: 'status' });
  const form = h('form', { class: 'panel rating', id: 'rating' },
    h('fieldset', { class: 'stars' }, h('legend', {}, strings.rateTitle),
      ...stars.map((s, i) => h('span', { class: 'star' }, s, h('label', { for: s.id, title: strings.rateScore(i + 1) },
        h('span', { 'aria-hidden': 'true' }, '\u2605'), h('span', { class: 'visually-hidden' }, strings.rateScore(i + 1)))))),
    h('label', { for: comment.id }, strings.rateComment), comment, button, status);
  const paint = () => {
    const chosen = Number(stars.find((s) => s.checked)?.value ?? 0);
    stars.forEach((s, i) => s.parentElement?.classList.toggle('on', i < chosen));
  };
  for (const s of stars) s.addEventListener('change', () => { paint(); status.textContent = ''; });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const score = Number(stars.find((s) => s.checked)?.value ?? 0);
    if (!score) { status.textContent = strings.rateChoose; return; }
    button.disabled = true;
    status.textContent = '';
    send(score, comment.value.trim()).then(() => {
      form.replaceChildren(h('p', { id: 'rating-thanks', class: 'panel-status', role: 'status' }, strings.rateThanks));
    }, () => { status.textContent = strings.rateFailed; button.disabled = false; });
  });
  return form;
}

/** While waiting (seed 000's Email button): leave a message answered by email instead of waiting. */
export function noteForm(email: string, message: string, send: (email: string, message: string) => Promise<void>): HTMLElement {
  const mail = h('input', { type: 'email', id: 'note-email', name: 'note-email', autocomplete: 'email', value: email, required: true });
  const text = h('textarea', { id: 'note-message', name: 'note-message', rows: '3', maxlength: '2000', required: true });
  text.value = message;
  const button = h('button', { type: 'submit', id: 'note-send', class: 'secondary' }, strings.noteInsteadSend);
  const status = h('p', { class: 'panel-status', role: 'status' });
  const form = h('form', { class: 'panel note', id: 'note', 'aria-label': strings.noteInsteadTitle },
    h('h2', {}, strings.noteInsteadTitle),
    h('label', { for: mail.id }, strings.transcriptEmail), mail,
    h('label', { for: text.id }, strings.noteInsteadMessage), text, button, status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const to = mail.value.trim(), body = text.value.trim();
    if (!to || !body) { status.textContent = to ? strings.noteNeedsMessage : strings.noteNeedsEmail; return; }
    button.disabled = true;
    status.textContent = '';
    send(to, body).catch((err: unknown) => {
      status.textContent = err instanceof Error && err.message ? err.message : strings.startFailed;
      button.disabled = false;
    });
  });
  return form;
}

/**
 * Seed 001: at the end the customer may rate the conversation and have its
 * transcript emailed. `focus`: the keyboard was in the compose box, which is
 * gone: take it to the rating.
 */
export function addEndPanels(view: ChatView, ticket: ConversationTicket, email: string, focus: boolean): void {
  const rating = ratingForm((score, comment) => rate(ticket, { score, ...(comment ? { comment } : {}) }));
  view.addPanel(rating);
  view.addPanel(transcriptForm(email, (to) => requestTranscript(ticket, to || undefined)));
  if (focus) rating.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
}
