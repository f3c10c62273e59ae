// The MUC service hosting conversations (XEP-0045 subset): one MUC room per
// conversation. Each feature lives in its own file; this wires them.
import type { XmppComponent } from '@xmpp/component';
import type { Db } from '../../src/db/pool.js';
import { conversationByNode, type Conversation } from '../../src/db/repos/conversations.js';
import { allOccupants, removeOccupant } from '../../src/db/repos/occupants.js';
import type { Logger } from '../../src/log.js';
import { texts } from '../../src/core/texts.js';
import { connectComponent, errorReply, localOf, xml, type Element } from '../xmpp.js';
import { joinError } from './errors.js';
import { registerDisco } from './disco.js';
import { registerArchive } from './mam.js';
import type { MucHooks } from './hooks.js';
import { handlePresence } from './join.js';
import { removeOccupantSession } from './leave.js';
import { handleMessage } from './message.js';
import { registerPing } from './ping.js';
import type { Occupant, RoomState } from './state.js';

/** A line a room shows (a message, or a notice to all or to `to`), for mirrors such as SIP MESSAGE chat. */
export interface RoomLine { senderKind: 'customer' | 'agent' | 'system'; nick: string | null; agentId: string | null; body: string; to?: Occupant[] }

export interface MucOptions { db: Db; log: Logger; domain: string; host: string; port: number; secret: string; historyLimit?: number }

export class MucService {
  readonly rooms = new Map<string, RoomState>();
  hooks!: MucHooks;
  /** Called for every line a room shows, after it is stored. */
  onLine?: (room: RoomState, line: RoomLine) => void;
  private conn?: XmppComponent;
  readonly historyLimit: number;

  constructor(readonly opts: MucOptions) { this.historyLimit = opts.historyLimit ?? 100; }

  get db(): Db { return this.opts.db; }
  get log(): Logger { return this.opts.log; }
  get domain(): string { return this.opts.domain; }
  roomJid(node: string): string { return `${node}@${this.opts.domain}`; }

  async start(hooks: MucHooks): Promise<void> {
    this.hooks = hooks;
    await this.restore();
    this.conn = await connectComponent({ ...this.opts }, (el) => this.onStanza(el));
    registerDisco(this);
    registerPing(this);
    registerArchive(this);
    void this.checkOccupants();
  }

  async stop(): Promise<void> {
    this.conn?.reconnect.stop();
    await this.conn?.stop().catch(() => {});
  }

  get component(): XmppComponent {
    if (!this.conn) throw new Error('MUC service not started');
    return this.conn;
  }

  send(...els: Element[]): void {
    this.conn?.send(...els).catch((e: Error) => this.log.warn(`muc send: ${e.message}`));
  }

  private readonly lanes = new Map<string, Promise<void>>();

  /** Stanzas to one room are handled one after another, so storage order = fan-out order = arrival order. */
  private onStanza(el: Element): void {
    const handler = el.is('presence') ? handlePresence : el.is('message') ? handleMessage : null;
    if (!handler) return;
    const lane = localOf(el.attrs.to ?? '');
    const prev = this.lanes.get(lane) ?? Promise.resolve();
    const next = prev.then(() => handler(this, el)).catch((e: Error) => {
      this.log.error(`muc ${el.name}: ${e.stack}`);
      this.answerFailure(el);
    });
    this.lanes.set(lane, next);
    void next.then(() => { if (this.lanes.get(lane) === next) this.lanes.delete(lane); });
  }

  /**
   * A stanza whose handling failed still gets an answer, so the client does
   * not wait forever: a join that did not complete gets a join error, a
   * message an error reply. A join that completed (the sender is an occupant)
   * gets nothing: a presence error would take them out of the room.
   */
  private answerFailure(el: Element): void {
    const { from, to, type } = el.attrs;
    if (!from || !to || type === 'error') return;
    if (el.is('presence')) {
      if (type || this.rooms.get(localOf(to))?.occupants.has(from)) return;
      this.send(joinError(el, 'wait', 'internal-server-error', texts.internalError));
    } else if (type !== 'groupchat' || el.getChildText('body') !== null) {
      this.send(errorReply(el, 'wait', 'internal-server-error', texts.internalError));
    }
  }

  /** The room for a conversation node, loaded from the store when not in memory. */
  async room(node: string): Promise<RoomState | null> {
    const known = this.rooms.get(node);
    if (known) return known;
    const conv = await conversationByNode(this.db, node);
    if (!conv || conv.status === 'closed') return null;
    return this.rooms.get(node) ?? this.createRoom(conv);
  }

  createRoom(conv: Conversation): RoomState {
    const room: RoomState = { node: conv.mucNode, jid: this.roomJid(conv.mucNode), conversation: conv, occupants: new Map(), subject: `Chat with ${conv.customerName}${conv.verifiedIdentity ? ' (verified)' : ''}` };
    this.rooms.set(conv.mucNode, room);
    return room;
  }

  roomFor(jid: string): RoomState | undefined { return this.rooms.get(localOf(jid)); }

  /** After a restart: occupants come back from the store, so the chat goes on without rejoining. */
  private async restore(): Promise<void> {
    for (const o of await allOccupants(this.db)) {
      const room = await this.room(o.mucNode);
      if (!room) { await removeOccupant(this.db, o.mucNode, o.realJid); continue; }
      room.occupants.set(o.realJid, { realJid: o.realJid, nick: o.nick, kind: o.kind, agentId: o.agentId });
    }
  }

  /** Sessions that went away while we were down never told us: ping them (XEP-0199). */
  private async checkOccupants(): Promise<void> {
    for (const room of [...this.rooms.values()]) {
      for (const occ of [...room.occupants.values()]) {
        try {
          await this.component.iqCaller.request(xml('iq', { type: 'get', to: occ.realJid, from: room.jid }, xml('ping', { xmlns: 'urn:xmpp:ping' })), 10_000);
        } catch (e) {
          const cond = (e as { condition?: string }).condition;
          // feature-not-implemented still proves the session is there.
          if (cond === 'feature-not-implemented') continue;
          this.log.info(`occupant ${occ.realJid} of ${room.jid} is gone (${cond ?? (e as Error).message})`);
          await removeOccupantSession(this, room, occ, null);
        }
      }
    }
  }
}
