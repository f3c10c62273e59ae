// The desk service: the contact agents keep in their roster. It learns their
// availability from presence, answers subscriptions from agents, and takes
// text commands in one-to-one chat and as XEP-0050 ad-hoc commands.
import type { XmppComponent } from '@xmpp/component';
import type { Logger } from '../../src/log.js';
import { bareJid, connectComponent, resourceOf, xml, type Element } from '../xmpp.js';
import { AdhocSessions, commandInfo, commandItems, NS_COMMANDS, type AdhocHandler } from './adhoc.js';
import { parseShow, PresenceBook, type ManualState } from './presence.js';

export interface DeskHooks {
  isAgent(bare: string): boolean;
  availability(bare: string, available: boolean): void;
  /** The reply to an agent's text, or null when the command answers by itself. */
  deskCommand(bare: string, text: string): Promise<string | null>;
}

export interface DeskOptions { log: Logger; domain: string; host: string; port: number; secret: string }

const NS_INFO = 'http://jabber.org/protocol/disco#info';
const NS_ITEMS = 'http://jabber.org/protocol/disco#items';

export class DeskService {
  readonly presence = new PresenceBook();
  private conn?: XmppComponent;
  private hooks!: DeskHooks;
  /** Called after any presence of an agent is recorded (online, status or offline). */
  readonly presenceListeners: Array<(bare: string) => void> = [];
  /** Called with every notice the desk sends (an agent reached elsewhere too, e.g. over SIP MESSAGE, gets it there). */
  readonly tellListeners: Array<(to: string, body: string) => void> = [];
  /** The ad-hoc commands' application side; without it the desk offers none. */
  adhoc?: AdhocHandler;

  constructor(readonly opts: DeskOptions) {}

  get jid(): string { return this.opts.domain; }

  /** `agents` is read at each (re)connection, so agents added since are probed too. */
  async start(hooks: DeskHooks, agents: () => string[]): Promise<void> {
    this.hooks = hooks;
    this.conn = await connectComponent({ ...this.opts }, (el) => this.onStanza(el));
    this.conn.iqCallee.get(NS_INFO, 'query', (ctx) => {
      const node = ctx.element.attrs.node;
      if (node) return (this.adhoc && commandInfo(node)) || xml('error', { type: 'cancel' }, xml('item-not-found', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }));
      return xml('query', { xmlns: NS_INFO },
        xml('identity', { category: 'component', type: 'generic', name: 'Switchboard desk' }),
        ...[NS_INFO, NS_ITEMS, 'urn:xmpp:ping', ...(this.adhoc ? [NS_COMMANDS] : [])].map((v) => xml('feature', { var: v })));
    });
    this.conn.iqCallee.get(NS_ITEMS, 'query', (ctx) => {
      const from = ctx.stanza.attrs.from ?? '';
      if (ctx.element.attrs.node === NS_COMMANDS && this.adhoc) return commandItems(this.jid, bareJid(from), this.adhoc);
      return xml('query', { xmlns: NS_ITEMS, node: ctx.element.attrs.node });
    });
    if (this.adhoc) {
      const sessions = new AdhocSessions(this.adhoc);
      this.conn.iqCallee.set(NS_COMMANDS, 'command', (ctx) => {
        const from = ctx.stanza.attrs.from ?? '';
        return sessions.execute(from, bareJid(from), ctx.element);
      });
    }
    this.conn.iqCallee.get('urn:xmpp:ping', 'ping', () => true);
    this.conn.on('online', () => this.probeAll(agents()));
    this.probeAll(agents());
  }

  async stop(): Promise<void> {
    this.conn?.reconnect.stop();
    await this.conn?.stop().catch(() => {});
  }

  /** After (re)connecting we know nothing: ask every agent's server for their presence. */
  probeAll(agents: string[]): void { for (const a of agents) this.probe(a); }

  probe(bare: string): void {
    this.send(xml('presence', { type: 'probe', from: this.jid, to: bare }));
    this.send(xml('presence', { from: this.jid, to: bare }, xml('status', {}, 'Switchboard desk — type "help"')));
  }

  send(...els: Element[]): void {
    this.conn?.send(...els).catch((e: Error) => this.opts.log.warn(`desk send: ${e.message}`));
  }

  tell(to: string, body: string): void {
    this.send(xml('message', { from: this.jid, to, type: 'chat', id: `desk-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` }, xml('body', {}, body)));
    for (const l of this.tellListeners) l(to, body);
  }

  private onStanza(el: Element): void {
    if (el.is('presence')) this.onPresence(el);
    else if (el.is('message')) this.onMessage(el).catch((e: Error) => this.opts.log.error(`desk message: ${e.stack}`));
  }

  private onPresence(p: Element): void {
    const from = p.attrs.from;
    if (!from) return;
    const bare = bareJid(from);
    const type = p.attrs.type;
    const agent = this.hooks.isAgent(bare);
    switch (type) {
      case 'subscribe':
        // RFC 6121 §3.1: approve agents (and ask for their presence back); refuse others.
        this.send(xml('presence', { from: this.jid, to: bare, type: agent ? 'subscribed' : 'unsubscribed' }));
        if (agent) this.send(xml('presence', { from: this.jid, to: bare, type: 'subscribe' }));
        return;
      case 'probe':
        if (agent) this.send(xml('presence', { from: this.jid, to: from }, xml('status', {}, 'Switchboard desk — type "help"')));
        return;
      case 'unavailable':
        this.update(bare, resourceOf(from), null);
        return;
      case undefined:
        if (agent) this.update(bare, resourceOf(from), parseShow(p.getChildText('show')));
        return;
      default:
    }
  }

  private update(bare: string, resource: string, show: ReturnType<typeof parseShow> | null): void {
    const before = this.presence.available(bare);
    const wasOnline = this.presence.online(bare);
    const after = this.presence.set(bare, resource, show);
    // Coming online away, or going offline from away, matters too: away agents flagged mobile get offers (tiers).
    if (before !== after || wasOnline !== this.presence.online(bare)) this.hooks.availability(bare, after);
    for (const l of this.presenceListeners) l(bare);
  }

  /** "available" / "away" typed by the agent (null = follow presence again); routing hears of a change. */
  setManual(bare: string, state: ManualState | null): void {
    const before = this.presence.available(bare);
    const after = this.presence.setManual(bare, state);
    if (before !== after) this.hooks?.availability(bare, after); // none yet while restoring at start
  }

  private async onMessage(m: Element): Promise<void> {
    const { from, type } = m.attrs;
    const body = m.getChildText('body');
    if (!from || type === 'error' || type === 'groupchat' || body === null) return;
    const bare = bareJid(from);
    if (!this.hooks.isAgent(bare)) {
      this.tell(from, 'This is the contact center desk for agents. Customers: please use the chat page.');
      return;
    }
    const reply = await this.hooks.deskCommand(bare, body.trim());
    if (reply !== null) this.tell(from, reply);
  }
}
