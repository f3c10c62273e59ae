// One conversation, from joining its MUC room to its end: reads room events,
// drives the chat view, sends the customer's messages and chat states.
import type { Element } from '@xmpp/client';
import { agentsOf, askAllAgents, endConversation, type ContactForm, type ConversationTicket, type RoomPublic } from './api.js';
import { Alerts } from './alerts.js';
import { addEndPanels, muteButton } from './chat-extras.js';
import { TypingPreview } from './typing-preview.js';
import { Waiting } from './waiting.js';
import { ChatView } from './chat-view.js';
import { connect, type Connection } from './connect.js';
import { Outbox } from './outbox.js';
import { CatchUp } from './catch-up.js';
import { readStanza, type MessageEvent, type RoomEvent, type StanzaError } from './read.js';
import { groupchat, joinPresence, type ChatState } from './stanzas.js';
import { strings } from './strings.js';
import { TypingNotifier, TypingWatcher } from './typing.js';
import { randomId } from './dom.js';
import { loadPending, savePending } from './session.js';
import { upload } from './upload.js';

const JOIN_RETRY_MS = 2_000;
const JOIN_GIVE_UP_MS = 60_000;
/**
 * Join errors worth another try: our component restarting (Prosody bounces
 * instead of queueing) or a lingering session of ours still holding the nick.
 */
const TRANSIENT = new Set(['service-unavailable', 'remote-server-not-found', 'remote-server-timeout',
  'internal-server-error', 'recipient-unavailable', 'resource-constraint', 'conflict']);
/** Conflicts on our own nick before joining under a variant of it, and the last variant tried. */
const CONFLICTS_BEFORE_VARIANT = 2;
const LAST_VARIANT = 9;
/** XEP-0045 §9.1 banned, §9.3 kicked, §9.5/§9.6 removed by an affiliation change or members-only. */
const REMOVED = ['301', '307', '321', '322'];

export interface ConversationOptions {
  ticket: ConversationTicket;
  agentLabel: string;
  /** The room as the page loaded it (welcome message, typing preview). */
  room?: RoomPublic;
  /** Just started from the form (not a reload of a running conversation). */
  fresh?: boolean;
  /** The email the customer gave, for the transcript. */
  email?: string;
  /** The contact form as sent (this page load only): a note instead of waiting reuses it. */
  form?: ContactForm;
  /** The ticket will never work again (conversation over, or refused): forget it. */
  forget(): void;
  /** The customer wants the contact form again. */
  restart(): void;
  /** An agent said something live (for an unread marker). */
  attention(): void;
}

type Phase = 'joining' | 'joined' | 'failed' | 'closed';

export class Conversation {
  readonly view: ChatView;
  private phase: Phase = 'joining';
  private nick: string;
  /** Every nick we have used: lines from any of them are the customer's. */
  private readonly ownNicks = new Set<string>();
  private conflicts = 0;
  private everJoined = false;
  /** Other occupants, as of the last completed join. */
  private occupants = new Set<string>();
  /** Other occupants announced during the join in progress. */
  private incoming = new Set<string>();
  private readonly seenIds = new Set<string>();
  /** The newest stanza-id shown: the archive is read after it on each rejoin. */
  private lastStanzaId?: string;
  /** Lines without a stanza-id, by sender and text; `shownBeforeJoin` is its copy when the join began. */
  private readonly seenUnstamped = new Set<string>();
  private shownBeforeJoin = new Set<string>();
  private joinStartedAt = 0;
  private joinTimer?: ReturnType<typeof setTimeout>;
  /** What was said while we were away (a reload, a drop), from the room's archive. */
  private readonly catchUp: CatchUp;
  private readonly conn: Connection;
  private readonly outbox: Outbox;
  private readonly typingOut = new TypingNotifier((state) => this.sendState(state));
  private readonly typingIn: TypingWatcher;
  private readonly alerts = new Alerts();
  /** The Add Alert offer while nobody has answered yet (when the room allows it). */
  private readonly waiting: Waiting;
  private readonly preview: TypingPreview;
  /** Messages pending when the page was reloaded: sent again after the history, unless it shows them. */
  private readonly restored = new Map<string, { body: string; oob?: boolean }>();
  /** Agents' pictures by nick, from the conversation's agents list. */
  private readonly avatars = new Map<string, string | null>();
  private readonly warnBeforeLeaving = (e: BeforeUnloadEvent) => {
    if (this.phase === 'closed' || this.phase === 'failed') return;
    e.preventDefault();
    e.returnValue = strings.leaveWarning; // older browsers show nothing without it
  };

  constructor(private readonly o: ConversationOptions) {
    this.nick = o.ticket.nick;
    // Variants too: after a reload, history may hold lines a variant of ours wrote.
    this.ownNicks.add(this.nick);
    for (let n = CONFLICTS_BEFORE_VARIANT; n <= LAST_VARIANT; n++) this.ownNicks.add(strings.nickVariant(this.nick, n));
    this.view = new ChatView({
      send: (text) => { this.alerts.askPermission(); this.typingOut.sent(); this.preview.cancel(); this.outbox.add(text); },
      input: (text) => { if (this.canSend()) { this.typingOut.input(text); this.preview.input(text); } },
      end: () => void this.end(),
      askAll: () => void this.askAll(),
      restart: () => o.restart(),
      files: o.room?.upload ? { policy: o.room.upload, send: (files) => void this.sendFiles(files) } : undefined,
    });
    this.preview = new TypingPreview(o.room?.hideTypingPreview === false, (text, seq) => {
      if (!this.canSend()) return;
      const state = text.trim() ? 'composing' : 'active';
      this.conn.send(groupchat({ roomJid: o.ticket.roomJid, id: randomId(), state, preview: { seq, text } })).catch(() => {});
    });
    this.waiting = new Waiting({
      view: this.view, ticket: o.ticket, room: o.room, email: o.email, form: o.form,
      changed: () => this.view.setStatus(this.statusText()), close: (reason) => this.close(reason),
    });
    if (o.room?.welcomeMessage) this.view.setWelcome(o.room.welcomeMessage);
    if (o.fresh) this.view.addNotice(strings.started(new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(new Date())));
    this.view.addTool(muteButton(this.alerts.muted, (m) => this.alerts.setMuted(m)));
    window.addEventListener('beforeunload', this.warnBeforeLeaving);
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.alerts.seen(); });
    this.typingIn = new TypingWatcher((nicks) => this.view.setTyping(nicks.length ? strings.typing(nicks) : ''));
    this.outbox = new Outbox({
      canSend: () => this.canSend(),
      send: (id, body, oob) => this.conn.send(groupchat({ roomJid: o.ticket.roomJid, id, body, state: 'active', oob })),
      show: (body, oob) => this.view.addLine({ mine: true, nick: strings.you, body, time: new Date(), pending: true, file: oob }),
      delivered: (line) => this.view.setPending(line, false),
      failed: (line, retry) => this.view.setFailed(line, retry),
      retrying: (line) => this.view.setPending(line, true),
      persist: (pending) => savePending(o.ticket.id, [...pending, ...this.restoredList()]),
    });
    for (const p of loadPending(o.ticket.id)) this.restored.set(p.id, { body: p.body, oob: p.oob });
    this.catchUp = new CatchUp({
      roomJid: o.ticket.roomJid,
      iq: (request) => this.conn.iq(request),
      lastId: () => this.lastStanzaId,
      show: (ev) => this.onMessage(ev),
      done: () => this.historyDone(),
    });
    this.conn = connect(o.ticket, {
      online: () => this.beginJoin(),
      down: () => { this.typingIn.clear(); this.typingOut.reset(); this.updateStatus(); },
      stanza: (stanza) => this.onStanza(stanza),
    });
    this.updateStatus();
  }

  private useNick(nick: string): void {
    this.nick = nick;
    this.ownNicks.add(nick);
  }

  private canSend(): boolean { return this.phase === 'joined' && this.conn.online; }

  /** A new session is never in the room: (re)join, asking only for what we missed. */
  private beginJoin(): void {
    if (this.phase === 'closed' || this.phase === 'failed') return;
    this.phase = 'joining';
    this.nick = this.o.ticket.nick;
    this.conflicts = 0;
    this.incoming = new Set();
    this.joinStartedAt = Date.now();
    this.shownBeforeJoin = new Set(this.seenUnstamped);
    this.catchUp.hold();
    this.updateStatus();
    this.sendJoin();
  }

  private sendJoin(): void {
    clearTimeout(this.joinTimer);
    const { roomJid, password } = this.o.ticket;
    // No XEP-0045 history: the archive query after the join brings what we miss, in order.
    this.conn.send(joinPresence({ roomJid, nick: this.nick, password, history: { maxstanzas: 0 } })).catch(() => {});
  }

  private onStanza(stanza: Element): void {
    if (this.phase === 'closed') return;
    const ev = readStanza(stanza, this.o.ticket.roomJid);
    if (!ev) return;
    switch (ev.kind) {
      case 'presence': return ev.self || ev.destroyed ? this.onSelfPresence(ev) : this.onOccupant(ev);
      case 'presence-error': return this.onJoinError(ev.error);
      case 'message': return this.catchUp.live(ev);
      case 'archived': return this.catchUp.result(ev.queryId, ev.message);
      case 'queue': return this.onQueue(ev);
      case 'message-error': return this.onMessageError(ev.id, ev.error);
      case 'chat-state': if (!this.ownNicks.has(ev.nick)) this.typingIn.state(ev.nick, ev.state); return;
      case 'subject': return;
    }
  }

  private onSelfPresence(ev: Extract<RoomEvent, { kind: 'presence' }>): void {
    if (ev.destroyed) return this.close(ev.destroyed.reason); // XEP-0045 §10.9
    if (!ev.available) {
      if (ev.newNick) { this.useNick(ev.newNick); return; } // §7.6: the new presence follows
      if (REMOVED.some((c) => ev.codes.has(c))) return this.close(ev.reason);
      // Anything else (e.g. 332, the service shutting down): come back in a moment.
      this.phase = 'joining';
      this.updateStatus();
      this.joinTimer = setTimeout(() => { if (this.conn.online) this.beginJoin(); }, JOIN_RETRY_MS);
      return;
    }
    this.useNick(ev.nick); // the room may have rewritten it (status 210)
    if (this.phase === 'joined') return;
    clearTimeout(this.joinTimer);
    this.phase = 'joined';
    if (this.everJoined) this.announceChanges(this.occupants, this.incoming);
    this.occupants = this.incoming;
    this.everJoined = true;
    this.updateStatus();
    void this.catchUp.run();
  }

  private onOccupant(ev: Extract<RoomEvent, { kind: 'presence' }>): void {
    if (this.ownNicks.has(ev.nick)) return; // a lingering session of ours is not an agent
    const live = this.phase === 'joined';
    const set = live ? this.occupants : this.incoming;
    if (ev.available) {
      if (set.has(ev.nick)) return;
      set.add(ev.nick);
      void this.loadAvatars();
      if (live) this.view.addNotice(strings.joined(ev.nick));
    } else {
      set.delete(ev.nick);
      this.typingIn.stop(ev.nick);
      if (ev.newNick) set.add(ev.newNick); // §7.6 nick change: neither left nor joined
      else if (live) this.view.addNotice(strings.left(ev.nick));
    }
    this.updateStatus();
  }

  /** After a rejoin, tell what changed while we were away. */
  private announceChanges(before: Set<string>, after: Set<string>): void {
    for (const nick of before) if (!after.has(nick)) this.view.addNotice(strings.left(nick));
    for (const nick of after) if (!before.has(nick)) this.view.addNotice(strings.joined(nick));
  }

  private onJoinError(error: StanzaError): void {
    if (error.condition === 'gone') return this.close(error.text);
    if (this.phase !== 'joining') return;
    // §7.2.9: our nick is taken, most likely by our previous session, which the
    // server has not seen drop yet (that can take minutes): take a variant.
    if (error.condition === 'conflict' && ++this.conflicts >= CONFLICTS_BEFORE_VARIANT) {
      this.useNick(strings.nickVariant(this.o.ticket.nick, Math.min(this.conflicts, LAST_VARIANT)));
    }
    if (TRANSIENT.has(error.condition) && Date.now() - this.joinStartedAt < JOIN_GIVE_UP_MS) {
      this.joinTimer = setTimeout(() => { if (this.conn.online) this.sendJoin(); }, JOIN_RETRY_MS);
      return;
    }
    // Refused for good (or the server stayed away too long): stop, and let the
    // customer start over. A reload retries the same conversation unless the refusal was final.
    this.phase = 'failed';
    this.catchUp.stop();
    this.outbox.dispose();
    this.view.addNotice(error.text ?? strings.joinFailed, true);
    this.view.close();
    this.updateStatus();
    void this.conn.stop();
    if (!TRANSIENT.has(error.condition)) this.o.forget();
  }

  /**
   * The place in the queue, pushed on each change: it belongs in the status
   * line, not in the chat. When nobody can answer, the words (what to do) are
   * shown once as a notice.
   */
  private onQueue(ev: Extract<RoomEvent, { kind: 'queue' }>): void {
    this.waiting.pushed({ position: ev.position, estimatedWaitSeconds: ev.etaSeconds });
    if (ev.unmanaged && !this.toldUnmanaged) { this.toldUnmanaged = true; this.view.addNotice(ev.body); }
    this.updateStatus();
  }

  private onMessage(ev: MessageEvent): void {
    if (this.phase === 'closed') return;
    // XEP-0359: the room's stanza-id makes the archive after a rejoin safe to replay.
    if (ev.stanzaId !== undefined) {
      if (this.seenIds.has(ev.stanzaId)) return;
      this.seenIds.add(ev.stanzaId);
      this.lastStanzaId = ev.stanzaId;
    } else {
      const key = `${ev.nick ?? ''}\n${ev.body}`;
      if (ev.stamp && this.shownBeforeJoin.has(key)) return;
      this.seenUnstamped.add(key);
    }
    const time = ev.stamp ?? new Date();

    // The room's own words; a transfer is told in the page's words, with the new agent's name.
    if (ev.nick === undefined) return this.view.addNotice(ev.transferredTo ? strings.transferred(ev.transferredTo) : ev.body);
    const mine = this.ownNicks.has(ev.nick);
    if (mine && this.outbox.delivered(ev.originId)) return;
    if (mine && ev.originId !== undefined && this.restored.delete(ev.originId)) savePending(this.o.ticket.id, this.restoredList());
    this.view.addLine({
      mine, nick: mine ? strings.you : ev.nick, body: ev.body, time, label: this.o.agentLabel, file: ev.file,
      avatarUrl: this.avatars.get(ev.nick), responses: ev.stamp ? undefined : ev.responses,
    });
    if (!mine) {
      this.typingIn.stop(ev.nick);
      if (!ev.stamp) {
        this.o.attention();
        this.alerts.message(ev.nick, ev.body);
      }
    }
  }

  private onMessageError(id: string | undefined, error: StanzaError): void {
    if (error.condition === 'gone') return this.close(error.text);
    this.outbox.bounced(id);
    // XEP-0045 §7.4: not-acceptable means we are no longer an occupant (the room lost us).
    if (error.condition === 'not-acceptable' && this.phase === 'joined' && this.conn.online) this.beginJoin();
  }

  private historyDone(): void {
    if (this.phase !== 'joined') return;
    // What the history did not show never reached the room: send it now, under its old id.
    const again = [...this.restored];
    this.restored.clear();
    for (const [id, p] of again) this.outbox.queue(p.body, id, p.oob);
    this.outbox.flush();
  }

  private restoredList(): Array<{ id: string; body: string; oob?: boolean }> {
    return [...this.restored].map(([id, p]) => ({ id, ...p }));
  }

  /** Uploads the files one by one (XEP-0363), each then sent as its own message with its URL. */
  private async sendFiles(files: File[]): Promise<void> {
    const service = this.o.room?.upload?.service;
    if (!service) return;
    for (const file of files) {
      const line = this.view.addUploading(file.name);
      try {
        if (!this.canSend()) throw new Error(strings.fileUploadFailed(file.name));
        const url = await upload(this.conn, service, file);
        line.remove();
        this.outbox.add(url, true);
      } catch (err) {
        line.remove();
        this.view.addNotice(err instanceof Error && err.message ? err.message : strings.fileUploadFailed(file.name), true);
      }
    }
  }

  /** Who answers, with their pictures (the lines that follow show them). */
  private async loadAvatars(): Promise<void> {
    try {
      for (const a of await agentsOf(this.o.ticket)) this.avatars.set(a.nick, a.avatarUrl);
    } catch { /* initials will do */ }
  }

  private sendState(state: ChatState): void {
    if (!this.canSend()) return;
    this.conn.send(groupchat({ roomJid: this.o.ticket.roomJid, id: randomId(), state })).catch(() => {});
  }

  /** Asked (or refused because an agent has it already): the button goes for good. */
  private askedAll = false;
  /** The "nobody can answer now" words were shown (once is enough). */
  private toldUnmanaged = false;

  private async askAll(): Promise<void> {
    this.view.setAskAll(true, true);
    try {
      await askAllAgents(this.o.ticket);
      this.askedAll = true;
      this.view.addNotice(strings.askedAll);
    } catch (e) {
      if ((e as { status?: number }).status === 409) this.askedAll = true;
      else this.view.addNotice(strings.askAllFailed, true);
    }
    this.updateStatus();
  }

  private async end(): Promise<void> {
    this.view.setEndBusy(true);
    try {
      await endConversation(this.o.ticket);
      this.close();
    } catch {
      if (this.phase === 'closed') return;
      this.view.addNotice(strings.endFailed, true);
      this.view.setEndBusy(false);
    }
  }

  /** Over for good: say so, stop input, never rejoin. */
  private close(reason?: string): void {
    if (this.phase === 'closed') return;
    const wasTyping = document.activeElement?.id === 'compose';
    this.phase = 'closed';
    clearTimeout(this.joinTimer);
    this.catchUp.stop();
    this.outbox.dispose();
    this.typingOut.reset();
    this.typingIn.clear();
    this.view.addNotice(reason ? strings.endedWithReason(reason) : strings.ended, true);
    this.view.close();
    this.preview.cancel();
    window.removeEventListener('beforeunload', this.warnBeforeLeaving);
    addEndPanels(this.view, this.o.ticket, this.o.email ?? '', wasTyping);
    this.updateStatus();
    void this.conn.stop();
    this.o.forget();
  }

  private updateStatus(): void {
    this.view.setStatus(this.statusText());
    this.view.setAskAll(this.o.ticket.askAll === true && !this.askedAll && this.phase === 'joined' && this.occupants.size === 0);
    this.waiting.update(this.phase === 'joined' && this.occupants.size === 0, this.phase !== 'joining', this.occupants.size > 0);
  }

  private statusText(): string {
    if (this.phase === 'closed') return strings.statusEnded;
    if (this.phase === 'failed') return strings.statusFailed;
    if (this.phase === 'joining' || !this.conn.online) return this.everJoined ? strings.statusReconnecting : strings.statusConnecting;
    if (this.occupants.size) return strings.statusChatting([...this.occupants]);
    const place = this.waiting.text();
    return place ? `${strings.statusWaiting} ${place}` : strings.statusWaiting;
  }
}
