// A test XMPP client (@xmpp/client) that records stanzas and lets a test wait
// for the one it expects.
import { client, xml, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { WebSocket } from 'ws';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket; // Node 20 has none
// Prosody offers STARTTLS with the certificate it generated for this run; the
// test clients talk to it over loopback only.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
process.emitWarning = (() => {}) as typeof process.emitWarning;

export { xml };
export type { Element };

export class TestClient {
  readonly stanzas: Element[] = [];
  private waiters: Array<{ pred: (el: Element) => boolean; resolve: (el: Element) => void }> = [];
  jid = '';

  constructor(readonly xmpp: XmppClient) {
    xmpp.on('stanza', (el) => {
      this.stanzas.push(el);
      const w = this.waiters.find((x) => x.pred(el));
      if (w) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(el); }
    });
    xmpp.on('error', () => {});
  }

  static async agent(opts: { port: number; jid: string; password: string; resource?: string }): Promise<TestClient> {
    const [username, domain] = opts.jid.split('@');
    const x = client({
      service: `xmpp://127.0.0.1:${opts.port}`, domain, resource: opts.resource ?? 'test',
      // PLAIN over loopback: SCRAM in pure JS costs ~1.5 s per login.
      credentials: (auth) => (auth as unknown as (c: object, m: string) => Promise<void>)({ username, password: opts.password }, 'PLAIN'),
    });
    const c = new TestClient(x);
    c.jid = String(await x.start());
    return c;
  }

  static async guest(opts: { url: string; domain: string }): Promise<TestClient> {
    const x = client({ service: opts.url, domain: opts.domain });
    const c = new TestClient(x);
    c.jid = String(await x.start());
    return c;
  }

  send(el: Element): Promise<void> { return this.xmpp.send(el); }

  /** The first stanza (already received or to come) matching pred. */
  waitFor(pred: (el: Element) => boolean, timeoutMs = 10_000, what = 'stanza'): Promise<Element> {
    const seen = this.stanzas.find(pred);
    if (seen) { this.stanzas.splice(this.stanzas.indexOf(seen), 1); return Promise.resolve(seen); }
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (el: Element) => { clearTimeout(t); this.stanzas.splice(this.stanzas.indexOf(el), 1); resolve(el); } };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`${this.jid}: timed out waiting for ${what}; last stanzas:\n${this.stanzas.slice(-5).map(String).join('\n')}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** True if a matching stanza arrives within ms (consumed), false otherwise. */
  async receives(pred: (el: Element) => boolean, ms: number): Promise<boolean> {
    try { await this.waitFor(pred, ms); return true; } catch { return false; }
  }

  async stop(): Promise<void> { this.xmpp.reconnect.stop(); await this.xmpp.stop().catch(() => {}); }
}

export const NS_MUC = 'http://jabber.org/protocol/muc';
export const NS_MUC_USER = 'http://jabber.org/protocol/muc#user';
export const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates';

export function joinPresence(roomJid: string, nick: string, password?: string): Element {
  return xml('presence', { to: `${roomJid}/${nick}` }, xml('x', { xmlns: NS_MUC }, password ? xml('password', {}, password) : null));
}

export function groupchat(roomJid: string, body: string, id?: string): Element {
  return xml('message', { to: roomJid, type: 'groupchat', id }, xml('body', {}, body), xml('active', { xmlns: NS_CHATSTATES }));
}

export const isInvite = (roomJid?: string) => (el: Element) =>
  el.is('message') && !!el.getChild('x', NS_MUC_USER)?.getChild('invite') && (!roomJid || el.attrs.from === roomJid);

export const isBody = (from: string, body?: string) => (el: Element) =>
  el.is('message') && el.attrs.from === from && el.attrs.type !== 'error' && el.getChildText('body') !== null && (body === undefined || el.getChildText('body') === body);

export const isSelfPresence = (roomJid: string) => (el: Element) =>
  el.is('presence') && (el.attrs.from ?? '').startsWith(roomJid + '/') && !!el.getChild('x', NS_MUC_USER)?.getChildren('status').some((s) => s.attrs.code === '110');

export const isPresenceError = (roomJid: string) => (el: Element) =>
  el.is('presence') && el.attrs.type === 'error' && (el.attrs.from ?? '').startsWith(roomJid);

export const errorText = (el: Element) => el.getChild('error')?.getChildText('text', 'urn:ietf:params:xml:ns:xmpp-stanzas') ?? null;
export const errorCondition = (el: Element) => el.getChild('error')?.getChildElements().find((c) => c.attrs.xmlns === 'urn:ietf:params:xml:ns:xmpp-stanzas' && c.name !== 'text')?.name ?? null;
