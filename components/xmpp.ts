// Connecting an external component (XEP-0114) with reconnection, plus the
// stanza helpers every service shares.
import { component, xml, type Element, type XmppComponent } from '@xmpp/component';
import type { Logger } from '../src/log.js';

export { xml, type Element };

export interface ComponentOptions { host: string; port: number; domain: string; secret: string; log: Logger }

export async function connectComponent(o: ComponentOptions, onStanza: (el: Element) => void): Promise<XmppComponent> {
  const c = component({ service: `xmpp://${o.host}:${o.port}`, domain: o.domain, password: o.secret });
  c.reconnect.delay = 500;
  c.on('error', (err) => o.log.warn(`${o.domain}: ${err.message}`));
  c.on('offline', () => o.log.info(`${o.domain}: offline`));
  c.on('connect', () => c.socket?.setNoDelay(true)); // Nagle adds milliseconds per stanza
  c.on('online', () => o.log.info(`${o.domain}: connected to ${o.host}:${o.port}`));
  c.on('stanza', (el) => {
    try { onStanza(el); } catch (e) { o.log.error(`${o.domain}: ${(e as Error).stack}`); }
  });
  await c.start();
  return c;
}

export type ErrorType = 'cancel' | 'auth' | 'modify' | 'wait';

/** RFC 6120 §8.3: an error reply with a condition and a human-readable text. */
export function errorReply(stanza: Element, type: ErrorType, condition: string, text?: string, children: Element[] = []): Element {
  return xml(stanza.name, { from: stanza.attrs.to, to: stanza.attrs.from, id: stanza.attrs.id, type: 'error' },
    ...children,
    xml('error', { type },
      xml(condition, { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }),
      text ? xml('text', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas', 'xml:lang': 'en' }, text) : null));
}

export const bareJid = (j: string) => j.split('/')[0]!;
export const resourceOf = (j: string) => { const i = j.indexOf('/'); return i < 0 ? '' : j.slice(i + 1); };
export const localOf = (j: string) => { const b = bareJid(j); const i = b.indexOf('@'); return i < 0 ? '' : b.slice(0, i); };
export const domainOf = (j: string) => { const b = bareJid(j); const i = b.indexOf('@'); return i < 0 ? b : b.slice(i + 1); };
