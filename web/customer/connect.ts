// The XMPP connection: anonymous login on the guest vhost over the page's own
// origin. After a drop it logs in again by itself (a new anonymous session,
// so the room must be joined again) until stop().
import { client, xml, type Element } from '@xmpp/client';
import { randomId } from './dom.js';

export interface ConnectionHandlers {
  /** Logged in on a new session: join the room. */
  online(): void;
  /** The connection dropped; a reconnect is scheduled. */
  down(): void;
  stanza(stanza: Element): void;
}

export interface Connection {
  readonly online: boolean;
  send(stanza: Element): Promise<void>;
  /** An IQ request; resolves with the result's payload (rejects on an error or a timeout). */
  iq(request: Element, timeoutMs?: number): Promise<Element>;
  stop(): Promise<void>;
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15_000;
/** A dead socket can look open for minutes (sleeping laptop, lost Wi-Fi): ping to find out. */
const PING_EVERY_MS = 30_000;
const PING_TIMEOUT_MS = 10_000;
const NS_STREAMS = 'http://etherx.jabber.org/streams';
const NS_SM = 'urn:xmpp:sm:3';

export function connect(opts: { websocketPath: string; guestDomain: string }, handlers: ConnectionHandlers): Connection {
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const xmpp = client({
    service: scheme + location.host + opts.websocketPath,
    domain: opts.guestDomain,
    // Our own id: the default one needs crypto.randomUUID, missing on plain-http origins.
    userAgent: xml('user-agent', { id: randomId() }),
  });
  let online = false;
  let stopped = false;
  let pingTimer: ReturnType<typeof setTimeout> | undefined;

  // XEP-0198 cannot help an anonymous client: logging in again makes a new
  // user, so the old session is never resumed (Prosody's mod_smacks finds it
  // by username), yet it would hibernate for minutes, still holding our nick
  // in the room. Hide the feature before @xmpp/stream-management sees it.
  xmpp.prependListener('element', (el) => {
    if (el.is('features', NS_STREAMS)) el.children = el.children.filter((c) => typeof c === 'string' || !c.is('sm', NS_SM));
  });

  xmpp.on('error', (err) => { console.debug('xmpp:', err.message); });
  xmpp.on('stanza', (stanza) => handlers.stanza(stanza));
  xmpp.on('online', () => {
    online = true;
    xmpp.reconnect.delay = FIRST_DELAY_MS;
    schedulePing();
    handlers.online();
  });
  xmpp.on('status', (status) => {
    if (status !== 'disconnect' || stopped) return;
    clearTimeout(pingTimer);
    // Back off while the server stays away; @xmpp/reconnect reads the delay on each attempt.
    xmpp.reconnect.delay = online ? FIRST_DELAY_MS : Math.min(xmpp.reconnect.delay * 2, MAX_DELAY_MS);
    online = false;
    handlers.down();
  });

  // XEP-0199 §4.2 client-to-server ping. Any answer, even an error, proves the link.
  function schedulePing(delay = PING_EVERY_MS): void {
    clearTimeout(pingTimer);
    pingTimer = setTimeout(() => void ping(), delay);
  }
  async function ping(): Promise<void> {
    if (!online) return;
    try {
      await xmpp.iqCaller.request(xml('iq', { type: 'get', to: opts.guestDomain }, xml('ping', { xmlns: 'urn:xmpp:ping' })), PING_TIMEOUT_MS);
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError' && online) {
        xmpp.disconnect().catch(() => {}); // @xmpp/reconnect takes over
        return;
      }
    }
    schedulePing();
  }
  // Back from a sleeping tab or laptop: check now rather than in 30 s.
  document.addEventListener('visibilitychange', () => { if (!document.hidden && online) schedulePing(0); });

  // A failed first attempt is retried by @xmpp/reconnect like a dropped connection.
  xmpp.start().catch(() => {});

  return {
    get online() { return online; },
    async send(stanza) {
      if (!online) throw new Error('offline');
      await xmpp.send(stanza);
    },
    async iq(request, timeoutMs = 20_000) {
      if (!online) throw new Error('offline');
      return await xmpp.iqCaller.request(request, timeoutMs);
    },
    async stop() {
      stopped = true;
      online = false;
      clearTimeout(pingTimer);
      xmpp.reconnect.stop();
      await xmpp.stop().catch(() => {});
    },
  };
}
