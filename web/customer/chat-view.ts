// The chat panel: status line, message log, typing line, compose box. Knows
// nothing of XMPP; the conversation controller drives it.
import { h, linkify } from './dom.js';
import { avatar, quickButtons, retire } from './chat-extras.js';
import type { QuickResponse } from './read.js';
import { AttachTray } from './attach.js';
import { fileName, isImage, type UploadPolicy } from './upload.js';
import { strings } from './strings.js';

export interface ChatViewHandlers {
  send(text: string): void;
  /** Called on every edit of the compose box, with its current text. */
  input(text: string): void;
  end(): void;
  restart(): void;
  /** "Ask all agents" (shown while a returning customer waits for their last agent). */
  askAll(): void;
  /** Files in the chat, when the room has an upload service. */
  files?: { policy: UploadPolicy; send(files: File[]): void };
}

export interface LineOptions {
  mine: boolean;
  nick: string;
  body: string;
  time: Date;
  /** Role shown next to an agent's nick (the room's agentLabel). */
  label?: string;
  pending?: boolean;
  /** An agent's picture (else their initial). */
  avatarUrl?: string | null;
  /** XEP-0439 quick responses offered with the line. */
  responses?: QuickResponse[];
  /** The body is an uploaded file's URL: show the file. */
  file?: boolean;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export class ChatView {
  readonly root: HTMLElement;
  private readonly status = h('p', { id: 'status', class: 'status', role: 'status' });
  private readonly log = h('ul', { id: 'log', class: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', role: 'log', 'aria-label': strings.logLabel });
  private readonly typing = h('p', { id: 'typing', class: 'typing', 'aria-live': 'polite' });
  private readonly compose = h('textarea', { id: 'compose', name: 'compose', rows: '1', placeholder: strings.composePlaceholder, autocomplete: 'off', maxlength: '5000' });
  private readonly sendButton = h('button', { id: 'send', type: 'submit', class: 'primary' }, strings.send);
  private readonly endButton = h('button', { id: 'end', type: 'button', class: 'secondary' }, strings.end);
  private readonly askAllButton = h('button', { id: 'ask-all', type: 'button', class: 'secondary', hidden: true }, strings.askAll);
  private readonly composeForm: HTMLFormElement;
  /** Small controls next to End chat (mute, transcript…). */
  private readonly tools = h('div', { class: 'tools' });
  /** What shows under the compose box: transcript request, rating. */
  private readonly panels = h('div', { class: 'panels' });
  private readonly tray?: AttachTray;

  constructor(private readonly handlers: ChatViewHandlers) {
    if (handlers.files) this.tray = new AttachTray(handlers.files.policy);
    this.composeForm = h('form', { class: 'compose', autocomplete: 'off' },
      h('label', { for: 'compose', class: 'visually-hidden' }, strings.composeLabel),
      this.tray?.input, this.tray?.button, this.compose, this.sendButton);
    this.root = h('section', { id: 'chat', class: 'chat' },
      h('div', { class: 'chat-bar' }, this.status, this.tools, this.askAllButton, this.endButton),
      this.log, this.typing, this.tray?.tray, this.tray?.error, this.composeForm, this.panels);
    if (this.tray) this.compose.addEventListener('paste', (e) => this.tray!.onPaste(e));

    this.composeForm.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    // Enter sends, Shift+Enter is a newline; never while an IME is composing.
    this.compose.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.submit(); }
    });
    this.compose.addEventListener('input', () => { this.autoGrow(); this.handlers.input(this.compose.value); });
    this.endButton.addEventListener('click', () => { if (window.confirm(strings.confirmEnd)) this.handlers.end(); });
    this.askAllButton.addEventListener('click', () => this.handlers.askAll());
  }

  focus(): void { this.compose.focus(); }

  setStatus(text: string): void { this.status.textContent = text; }

  setTyping(text: string): void { this.typing.textContent = text; }

  addTool(el: HTMLElement): void { this.tools.append(el); }

  addPanel(el: HTMLElement): void { this.panels.append(el); }

  /** The room's welcome message, first in the log. */
  setWelcome(text: string): void {
    this.log.prepend(h('li', { class: 'welcome' }, linkify(text)));
  }

  addLine(o: LineOptions): HTMLLIElement {
    const li = h('li', { class: `msg ${o.mine ? 'customer' : 'agent'}` },
      h('div', { class: 'meta' },
        !o.mine && avatar(o.nick, o.avatarUrl),
        h('span', { class: 'nick' }, o.nick),
        !o.mine && o.label && h('span', { class: 'role' }, o.label),
        h('time', { datetime: o.time.toISOString() }, timeFormat.format(o.time))),
      h('div', { class: 'body' }, o.file ? fileBody(o.body) : linkify(o.body)));
    if (!o.mine && o.responses?.length && !this.compose.disabled) {
      li.append(quickButtons(o.responses, (value) => { this.retireResponses(); this.handlers.send(value); return true; }));
    }
    if (o.pending) this.setPending(li, true);
    this.append(li);
    return li;
  }

  /** A line from the room rather than a person; `important` for what changes the conversation (its end, a failure). */
  addNotice(text: string, important = false): void {
    this.append(h('li', { class: important ? 'notice important' : 'notice' }, text));
  }

  setPending(li: HTMLLIElement, pending: boolean): void {
    li.classList.toggle('pending', pending);
    li.classList.remove('failed');
    li.querySelector('.delivery')?.remove();
    if (pending) li.append(h('div', { class: 'delivery' }, strings.pending));
  }

  setFailed(li: HTMLLIElement, retry: () => void): void {
    this.setPending(li, false);
    li.classList.add('failed');
    const button = h('button', { type: 'button', class: 'link' }, strings.retry);
    button.addEventListener('click', retry);
    li.append(h('div', { class: 'delivery', role: 'alert' }, strings.notDelivered, ' ', button));
  }

  /** Quick responses stand until the customer answers, either way. */
  private retireResponses(): void {
    for (const box of this.log.querySelectorAll('.quick-responses:not(.used)')) retire(box);
  }

  /** The conversation is over: no more input, offer a fresh start. */
  close(): void {
    this.retireResponses();
    this.compose.disabled = true;
    this.sendButton.disabled = true;
    this.endButton.hidden = true;
    this.setTyping('');
    const again = h('button', { type: 'button', class: 'primary restart' }, strings.newConversation);
    again.addEventListener('click', () => this.handlers.restart());
    this.composeForm.replaceWith(h('div', { class: 'compose ended' }, again));
  }

  setEndBusy(busy: boolean): void { this.endButton.disabled = busy; }

  setAskAll(shown: boolean, busy = false): void { this.askAllButton.hidden = !shown; this.askAllButton.disabled = busy; }

  private submit(): void {
    const text = this.compose.value.trim();
    if ((!text && !this.tray?.count) || this.compose.disabled) return;
    this.compose.value = '';
    this.autoGrow();
    this.retireResponses();
    if (text) this.handlers.send(text);
    const files = this.tray?.take() ?? [];
    if (files.length) this.handlers.files?.send(files);
    this.compose.focus();
  }

  private autoGrow(): void {
    this.compose.style.height = 'auto';
    this.compose.style.height = `${Math.min(this.compose.scrollHeight, 160)}px`;
  }

  /** A line that stands for a file being uploaded; remove it when the upload ends. */
  addUploading(name: string): HTMLLIElement {
    const li = h('li', { class: 'msg customer pending uploading' }, h('div', { class: 'body' }, strings.uploading(name)));
    this.append(li);
    return li;
  }

  /** Appends, keeping the newest line in view unless the customer scrolled up to read. */
  private append(li: HTMLLIElement): void {
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 48;
    this.log.append(li);
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }
}

/** An uploaded file: its picture for an image, else a link named after it. */
function fileBody(url: string): HTMLElement {
  const name = fileName(url);
  const link = h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'file', download: name });
  if (isImage(name)) link.append(h('img', { src: url, alt: strings.fileLink(name), class: 'file-image', loading: 'lazy' }));
  else link.append(strings.fileLink(name));
  return link;
}
