// The pop-up widget a company puts on any page of its site with one line:
//   <script src="https://HOST/widget.js" data-room="general" async></script>
// It adds a sticky button; the button opens the room's customer page (/c/<room>)
// in an iframe, so the host page's CSS and scripts never reach the chat and the
// chat talks to its own origin only. The button and the frame around the iframe
// live in a shadow root for the same reason. Position and size come from the
// room's widget settings (GET /api/v1/rooms/<room>/public, read live, so an
// admin's change needs no new snippet); data-position, data-width, data-height
// and data-mobile-more-options-height on the script tag override them.
import { widgetCss } from './style.js';
import { makeDraggable } from './drag.js';
import { strings as all } from '../customer/strings.js';

const strings = all.widget;

type Position = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
interface Look { position: Position; width: number; height: number; moreOptionsHeight: number; accent: string; accentText: string; name: string }

const DEFAULTS: Look = { position: 'bottom-right', width: 380, height: 560, moreOptionsHeight: 48, accent: '#2563eb', accentText: '#ffffff', name: '' };
const POSITIONS: readonly string[] = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];
/**
 * Below 600 px wide (or 480 px high) the open panel covers the whole screen.
 * The screen's size counts too: on a host page without a viewport meta tag a
 * phone reports a 980 px wide window.
 */
const isSmall = () => Math.min(window.innerWidth, screen.width) <= 600 || Math.min(window.innerHeight, screen.height) <= 480;
const MARKER = '__switchboardWidget';

const colour = (v: unknown, d: string) => (typeof v === 'string' && /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(v) ? v : d);
const size = (v: unknown, d: number, min: number, max: number) => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : d;
};

/** The script tag that loaded us (currentScript is set while an async script first runs). */
function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  const all = [...document.querySelectorAll<HTMLScriptElement>('script[src][data-room]')];
  return all.find((s) => /\/widget\.js(\?|#|$)/.test(s.src)) ?? null;
}

async function roomLook(origin: string, room: string, tag: DOMStringMap): Promise<Look> {
  let fromRoom: Partial<Look> = {};
  try {
    const res = await fetch(`${origin}/api/v1/rooms/${encodeURIComponent(room)}/public`, { credentials: 'omit' });
    if (res.ok) {
      const r = await res.json() as { name?: unknown; widget?: Record<string, unknown>; form?: { theme?: Record<string, unknown> | null } };
      const w = r.widget ?? {};
      fromRoom = {
        position: POSITIONS.includes(String(w.position)) ? w.position as Position : undefined,
        width: size(w.width, DEFAULTS.width, 240, 1200), height: size(w.height, DEFAULTS.height, 240, 1200),
        moreOptionsHeight: size(w.mobileMoreOptionsHeight, DEFAULTS.moreOptionsHeight, 32, 120),
        accent: colour(r.form?.theme?.primary, DEFAULTS.accent), accentText: colour(r.form?.theme?.primaryText, DEFAULTS.accentText),
        name: typeof r.name === 'string' ? r.name : '',
      };
    }
  } catch { /* the server is away: the button still works with the defaults */ }
  const look: Look = { ...DEFAULTS, ...Object.fromEntries(Object.entries(fromRoom).filter(([, v]) => v !== undefined)) };
  if (tag.position && POSITIONS.includes(tag.position)) look.position = tag.position as Position;
  if (tag.width) look.width = size(tag.width, look.width, 240, 1200);
  if (tag.height) look.height = size(tag.height, look.height, 240, 1200);
  if (tag.mobileMoreOptionsHeight) look.moreOptionsHeight = size(tag.mobileMoreOptionsHeight, look.moreOptionsHeight, 32, 120);
  return look;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * A verified identity the host page signed (README, "Verified identity"):
 * data-identity-id, -name, -email, -ts and -signature on the script tag. It
 * travels to the chat page in the URL fragment, which is never sent to a server.
 */
function identityFragment(tag: DOMStringMap): string {
  const { identityId: id, identityName: name, identityEmail: email, identityTs: ts, identitySignature: signature } = tag;
  if (!signature || !ts) return '';
  const json = JSON.stringify({ id: id || undefined, name: name || undefined, email: email || undefined, ts: Number(ts), signature });
  const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(json)));
  return `#identity=${b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

async function mount(script: HTMLScriptElement): Promise<void> {
  const origin = new URL(script.src, location.href).origin;
  const room = (script.dataset.room || 'general').toLowerCase();
  const look = await roomLook(origin, room, script.dataset);
  const [vertical, horizontal] = look.position.split('-') as ['top' | 'bottom', 'left' | 'right'];

  const host = el('div', { id: 'switchboard-widget', 'data-room': room });
  const shadow = host.attachShadow({ mode: 'open' });
  const style = el('style', {}, widgetCss);
  const launcher = el('button', { type: 'button', class: `launcher ${vertical} ${horizontal}`, 'aria-label': strings.open(look.name), 'aria-expanded': 'false', 'aria-controls': 'panel', title: strings.open(look.name) });
  launcher.innerHTML = '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
  const badge = el('span', { class: 'badge', 'aria-hidden': 'true' });
  badge.hidden = true;
  launcher.append(badge);
  const panel = el('div', { id: 'panel', class: `panel ${vertical} ${horizontal}`, role: 'dialog', 'aria-label': strings.panel(look.name) });
  const bar = el('div', { class: 'bar', title: strings.dragHint });
  const title = el('span', { class: 'title' }, look.name || strings.chat);
  const close = el('button', { type: 'button', class: 'close', 'aria-label': strings.minimise, title: strings.minimise }, '\u2212');
  bar.append(title, close);
  panel.append(bar);
  panel.hidden = true;
  host.style.setProperty('--sbw-accent', look.accent);
  host.style.setProperty('--sbw-accent-text', look.accentText);
  host.style.setProperty('--sbw-width', `${look.width}px`);
  host.style.setProperty('--sbw-height', `${look.height}px`);
  host.style.setProperty('--sbw-more-height', `${look.moreOptionsHeight}px`);
  const frameBox = el('div', { class: 'frame' });
  frameBox.append(launcher, panel);
  shadow.append(style, frameBox);
  const fit = () => frameBox.classList.toggle('small', isSmall());
  fit();
  window.addEventListener('resize', fit);
  document.body.append(host);

  let frame: HTMLIFrameElement | null = null;
  let unread = 0;
  const tellFrame = (open: boolean) => frame?.contentWindow?.postMessage({ source: 'switchboard-widget', type: 'panel', open }, origin);

  // Across the host site's pages (same tab): whether a chat is going on and the panel was open.
  const stateKey = `switchboard-widget:${room}`;
  const saved = (): { active?: boolean; open?: boolean } => {
    try { return JSON.parse(sessionStorage.getItem(stateKey) ?? '{}') as { active?: boolean; open?: boolean }; } catch { return {}; }
  };
  const save = (change: { active?: boolean; open?: boolean }) => {
    try { sessionStorage.setItem(stateKey, JSON.stringify({ ...saved(), ...change })); } catch { /* storage blocked: forget */ }
  };

  function ensureFrame(): void {
    if (frame) return;
    frame = el('iframe', { src: `${origin}/c/${encodeURIComponent(room)}?embed=1${identityFragment(script.dataset)}`, title: strings.frame(look.name), allow: 'microphone; camera; autoplay; clipboard-write; display-capture' });
    frame.addEventListener('load', () => tellFrame(!panel.hidden));
    panel.append(frame);
  }

  /** `focus`: false when restoring the panel as a new page of the site loads. */
  function setOpen(open: boolean, focus = true): void {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    launcher.classList.toggle('is-open', open);
    // Created on first open only: a visitor who never clicks costs no chat page load.
    if (open) ensureFrame();
    if (open) {
      unread = 0;
      badge.hidden = true;
      launcher.setAttribute('aria-label', strings.open(look.name));
      if (focus) frame?.focus();
    } else if (focus) {
      launcher.focus();
    }
    save({ open });
    tellFrame(open);
  }

  // A chat going on when the visitor moved to another page: reconnect at once (the badge counts
  // what the agent says), and reopen the panel if it was open.
  const before = saved();
  if (before.active) {
    if (before.open) setOpen(true, false);
    else ensureFrame();
  }

  launcher.addEventListener('click', () => setOpen(panel.hidden));
  close.addEventListener('click', () => setOpen(false));
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') setOpen(false); });
  makeDraggable(panel, bar, () => !isSmall());

  // The page in the iframe reports agents' messages that arrive while the panel is closed.
  window.addEventListener('message', (e) => {
    if (e.origin !== origin || !frame || e.source !== frame.contentWindow) return;
    const data = e.data as { source?: unknown; type?: unknown } | null;
    if (data?.source !== 'switchboard-page') return;
    if (data.type === 'close') { if (!panel.hidden) setOpen(false); return; }
    if (data.type === 'chat') { save({ active: (data as { active?: unknown }).active === true }); return; }
    if (data.type !== 'attention' || !panel.hidden) return;
    unread += 1;
    badge.textContent = String(unread);
    badge.hidden = false;
    launcher.setAttribute('aria-label', strings.openUnread(look.name, unread));
  });
}

function start(): void {
  const w = window as unknown as Record<string, unknown>;
  if (w[MARKER]) return; // pasted twice: one button is enough
  const script = ownScript();
  if (!script) return;
  w[MARKER] = true;
  const go = () => void mount(script);
  if (document.body) go();
  else document.addEventListener('DOMContentLoaded', go, { once: true });
}

start();
