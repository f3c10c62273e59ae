// Entry point of the customer page /c/<room-slug>: load the room, then show
// its contact form, or rejoin the conversation this tab already started.
import { ApiError, createConversation, getRoom, leaveNote, type ContactForm, type ConversationTicket, type RoomPublic, type Theme } from './api.js';
import { addChatCallPanel, addFormCallButtons } from './call.js';
import { Conversation } from './conversation.js';
import { h } from './dom.js';
import { tellWidget, tellWidgetChat } from './embed.js';
import { takeIdentity, type SignedIdentity } from './identity.js';
import { FormView } from './form-view.js';
import { forgetTicket, loadTicket, saveTicket } from './session.js';
import { strings } from './strings.js';

/** What the meta tag holds when the page is opened as built, without the server filling it in. */
const PLACEHOLDER = '__ROOM_SLUG__';

/** The server writes the slug into the page; a page opened as a plain file falls back on the URL. */
function roomSlug(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="switchboard-room"]')?.content.trim();
  if (meta && meta !== PLACEHOLDER) return meta;
  const m = /^\/c\/([^/]+)/.exec(location.pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : 'general';
}

const app = document.getElementById('app') ?? document.body;
const heading = h('h1', { class: 'room-name' });
const content = h('main', { class: 'content' });
let titleBase = document.title;
let unread = 0;

function show(view: HTMLElement): void { content.replaceChildren(view); }

/** The page's look as it ships; a room keeping it also keeps the visitor's light or dark preference. */
const STOCK_THEME: Theme = { primary: '#2563eb', primaryText: '#ffffff', background: '#eef1f6', text: '#111827' };

function applyTheme(theme: Theme | null): void {
  if (!theme) return;
  const same = (Object.keys(STOCK_THEME) as Array<keyof Theme>).every((k) => theme[k]?.toLowerCase() === STOCK_THEME[k]);
  if (same) return;
  const colour = (v: unknown) => (typeof v === 'string' && /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(v) ? v : null);
  const vars: Array<[string, string | null]> = [['--accent', colour(theme.primary)], ['--accent-text', colour(theme.primaryText)], ['--bg', colour(theme.background)], ['--text', colour(theme.text)]];
  for (const [name, value] of vars) if (value) document.documentElement.style.setProperty(name, value);
}

function message(text: string, action?: { label: string; run: () => void }): HTMLElement {
  const box = h('section', { class: 'card message', role: 'alert' }, h('p', {}, text));
  if (action) {
    const button = h('button', { type: 'button', class: 'primary' }, action.label);
    button.addEventListener('click', action.run);
    box.append(button);
  }
  return box;
}

function showForm(slug: string, room: RoomPublic, identity?: SignedIdentity): void {
  const form = new FormView(room, async (values) => {
    const ticket = await createConversation(slug, values, identity);
    saveTicket(slug, ticket);
    showChat(slug, room, ticket, { fresh: true, email: typeof values.email === 'string' ? values.email : undefined, form: values });
  }, (values) => leaveNote(slug, values, identity));
  // What the company's site knows already need not be typed again.
  for (const [field, value] of [['name', identity?.name], ['email', identity?.email]] as const) {
    const input = form.root.querySelector<HTMLInputElement>(`input[name="${field}"]`);
    if (input && !input.value && typeof value === 'string') input.value = value;
  }
  show(form.root);
  addFormCallButtons(form.root.querySelector('form')!, slug);
  form.focus();
}

function showChat(slug: string, room: RoomPublic, ticket: ConversationTicket, extra: { fresh?: boolean; email?: string; form?: ContactForm } = {}): void {
  tellWidgetChat(true);
  const conversation = new Conversation({
    ticket,
    agentLabel: room.agentLabel,
    room,
    ...extra,
    forget: () => { forgetTicket(slug); tellWidgetChat(false); },
    restart: () => showForm(slug, room, takeIdentity(slug)),
    attention: () => {
      tellWidget();
      if (!document.hidden) return;
      unread += 1;
      document.title = strings.unread(unread, titleBase);
    },
  });
  show(conversation.view.root);
  addChatCallPanel(conversation.view.root, slug, ticket);
  conversation.view.focus();
}

async function start(): Promise<void> {
  document.documentElement.lang = strings.lang;
  app.replaceChildren(h('header', { class: 'topbar' }, heading), content);
  show(h('p', { class: 'loading' }, strings.loading));
  const slug = roomSlug();
  const identity = takeIdentity(slug);
  let room: RoomPublic;
  try {
    room = await getRoom(slug);
  } catch (err) {
    const notFound = err instanceof ApiError && err.status === 404;
    show(notFound
      ? message(strings.roomNotFound)
      : message(strings.roomLoadFailed, { label: strings.tryAgain, run: () => void start() }));
    return;
  }
  titleBase = strings.pageTitle(room.name);
  document.title = titleBase;
  heading.textContent = room.form.header || room.name;
  if (room.form.logoUrl) heading.before(h('img', { class: 'logo', src: room.form.logoUrl, alt: '' }));
  applyTheme(room.form.theme);
  const ticket = loadTicket(slug);
  if (ticket) showChat(slug, room, ticket);
  else showForm(slug, room, identity);
}

document.addEventListener('visibilitychange', () => {
  if (document.hidden || unread === 0) return;
  unread = 0;
  document.title = titleBase;
});

void start();
