// The XMPP connection: anonymous login on the guest vhost over the page's own
// origin, reconnecting on its own (each time a new anonymous session, unless
// stream management resumes the old one) until stop().
import { client, xml, type Element } from '@xmpp/client';
import { randomId } from './dom.js';

export interface ConnectionHandlers {
  /** Logged in on a new session: join the room. */
  online(): void;
  /** The old session was resumed (XEP-0198): still in the room. */
  resumed(): void;
  /** The connection dropped; a reconnect is scheduled. */
  down(): void;
  stanza(stanza: Element): void;
}

export interface Connection {
  readonly online: boolean;
  send(stanza: Element): Promise<void>;
  stop(): Promise<void>;
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15_000;

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

  xmpp.on('error', (err) => { console.debug('xmpp:', err.message); });
  xmpp.on('stanza', (stanza) => handlers.stanza(stanza));
  xmpp.on('online', () => {
    online = true;
    xmpp.reconnect.delay = FIRST_DELAY_MS;
    handlers.online();
  });
  xmpp.streamManagement.on('resumed', () => {
    online = true;
    xmpp.reconnect.delay = FIRST_DELAY_MS;
    handlers.resumed();
  });
  xmpp.on('status', (status) => {
    if (status !== 'disconnect' || stopped) return;
    // Back off while the server stays away; @xmpp/reconnect reads the delay on each attempt.
    if (online) xmpp.reconnect.delay = FIRST_DELAY_MS;
    else xmpp.reconnect.delay = Math.min(xmpp.reconnect.delay * 2, MAX_DELAY_MS);
    online = false;
    handlers.down();
  });

  // A failed first attempt is retried by @xmpp/reconnect like a dropped connection.
  xmpp.start().catch(() => {});

  return {
    get online() { return online; },
    async send(stanza) {
      if (!online) throw new Error('offline');
      await xmpp.send(stanza);
    },
    async stop() {
      stopped = true;
      online = false;
      xmpp.reconnect.stop();
      await xmpp.stop().catch(() => {});
    },
  };
}
