// SIP control: our process's side of Kamailio. One evapi connection, one
// handler per message type (listed below), the registry they feed.
import { randomUUID } from 'node:crypto';
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/pool.js';
import type { Logger } from '../src/log.js';
import { EvapiClient, type EvapiMessage } from './evapi/client.js';
import { CallLog } from './calls/log.js';
import { auth } from './handlers/auth.js';
import { dialog, invite } from './handlers/calls.js';
import { banned, contacts, expired, probeReply } from './handlers/registrations.js';
import { acd } from './handlers/room-calls.js';
import { chat, chatOk } from './handlers/chat.js';
import { SipChat, type SipChatDeps } from './chat/agent-chat.js';
import { NO_APP, type Handler, type SipAppPorts, type SipContext } from './handlers/types.js';
import { SipRegistry } from './registry/registry.js';

const FORGET_WAIT_MS = 2000;

const HANDLERS: Readonly<Record<string, Handler>> = { auth, contacts, expired, banned, probe_reply: probeReply, invite, dialog, acd, chat, chat_ok: chatOk };

export interface SipControlOptions {
  db: Db; cfg: Config; log: Logger; app?: SipAppPorts;
  /** The chat side, for SIP MESSAGE chat; without it MESSAGEs from agents get 403. */
  chat?: Pick<SipChatDeps, 'muc' | 'routing' | 'agents' | 'deskCommand' | 'availabilityChanged' | 'transfers'>;
}

export class SipControl {
  readonly registry: SipRegistry;
  readonly evapi: EvapiClient;
  readonly calls: CallLog;
  readonly chat: SipChat | null;
  private readonly ctx: SipContext;
  /** forget() calls waiting for Kamailio's answer, by id. */
  private readonly forgets = new Map<string, () => void>();

  constructor(o: SipControlOptions) {
    this.registry = new SipRegistry({ db: o.db, log: o.log });
    this.evapi = new EvapiClient({ host: o.cfg.sipEvapiHost, port: o.cfg.sipEvapiPort, secret: o.cfg.sipEvapiSecret, log: o.log });
    this.calls = new CallLog(o.db, o.log);
    const app = o.app ?? NO_APP;
    this.calls.onAnswered = (conversationId, agentId) => app.claim(conversationId, agentId);
    this.chat = o.chat ? new SipChat({ ...o.chat, db: o.db, cfg: o.cfg, log: o.log, evapi: this.evapi, registry: this.registry, presence: (id) => app.presence(id) }) : null;
    this.ctx = { db: o.db, cfg: o.cfg, log: o.log, registry: this.registry, calls: this.calls, app, chat: this.chat, probe: (to) => this.evapi.send({ type: 'probe', to }) };
    this.evapi.on('ready', (boot) => void this.registry.kamailioReady(boot));
    this.evapi.on('message', (msg) => void this.dispatch(msg));
  }

  /** Loads the registrations mirror and starts connecting; does not wait for Kamailio. */
  async start(): Promise<void> {
    await this.registry.load();
    this.evapi.start();
  }

  /** Resolves once Kamailio has accepted our connection. */
  connected(): Promise<void> {
    if (this.evapi.ready) return Promise.resolve();
    return new Promise((resolve) => this.evapi.once('ready', () => resolve()));
  }

  /**
   * An agent's SIP credentials changed or are gone: Kamailio drops the HA1 it
   * keeps for that username (without one, every HA1 it keeps), and the
   * promise resolves once it has. If we are not connected, nothing is lost:
   * Kamailio drops them all when we connect.
   */
  forget(username?: string): Promise<void> {
    const id = randomUUID();
    if (!this.evapi.send({ type: 'forget', id, ...(username ? { user: username } : {}) })) return Promise.resolve();
    // Resolves on Kamailio's "forgotten" (or after a while: it may be going away).
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.forgets.delete(id); resolve(); }, FORGET_WAIT_MS);
      this.forgets.set(id, () => { clearTimeout(timer); this.forgets.delete(id); resolve(); });
    });
  }

  async stop(): Promise<void> {
    await this.evapi.stop();
    await this.registry.stop();
  }

  private async dispatch(msg: EvapiMessage): Promise<void> {
    if (msg.type === 'forgotten') { this.forgets.get(String(msg.id))?.(); return; }
    const handler = HANDLERS[msg.type];
    if (!handler) { this.ctx.log.warn(`evapi: no handler for "${msg.type}"`); return; }
    try {
      const reply = await handler(this.ctx, msg);
      if (reply && !this.evapi.send(reply)) this.ctx.log.warn(`evapi: could not answer "${msg.type}" (not connected)`);
    } catch (e) {
      this.ctx.log.error(`evapi ${msg.type}: ${(e as Error).message}`);
      // A suspended SIP request waits for us: let Kamailio answer 500 now.
      if (typeof msg.tindex === 'number' && typeof msg.tlabel === 'number') this.evapi.send({ type: 'fail', tindex: msg.tindex, tlabel: msg.tlabel });
    }
  }
}
