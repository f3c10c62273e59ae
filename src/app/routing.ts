// The routing adapter: feeds the pure queue planner (core/queue.ts) with the
// store and agents' presence, acts on its plan (offers, timers), and reacts
// to claims, declines, timeouts and presence changes. Dispatches run one at
// a time; a request during a run schedules exactly one more run.
import { planOffers, type AgentState, type WaitingConversation } from '../core/queue.js';
import { texts } from '../core/texts.js';
import { isStrategy } from '../core/strategies/index.js';
import { inTransaction, type Db } from '../db/pool.js';
import { addEvent, claimAndSettle, conversationById, waitingConversations, type Conversation, type WaitingConversation as WaitingRow } from '../db/repos/conversations.js';
import { agentLoads, endOffers, insertOffers, pendingOffers, type Offer } from '../db/repos/offers.js';
import { roomById, type Room } from '../db/repos/rooms.js';
import type { Logger } from '../log.js';
import type { AgentDirectory } from './agents.js';
import { RoutingInputs } from './routing-inputs.js';

export interface RoutingPorts {
  isAvailable(jid: string): boolean;
  /** Online but away or extended away: reachable if flagged mobile (tiers). */
  isAway?(jid: string): boolean;
  /** Sends the invitation for an offer. */
  invite(conv: Conversation, room: Room, agentJid: string, timeoutSeconds: number): void;
  tellAgent(jid: string, text: string): void;
}

/** Queue behaviours around a dispatch (app/queue-behaviour.ts): wrap-up, queue status. */
export interface RoutingHooks {
  /** The agents as the planner should see them (e.g. in wrap-up = unavailable), and when to plan again. */
  agentsForPlan?(agents: AgentState[], now: number): { agents: AgentState[]; wakeAt: number | null };
  /** After a dispatch: the chats that were waiting and the agents, for the queue status. */
  dispatched?(waiting: readonly WaitingRow[], agents: readonly AgentState[]): void;
  /** A chat closed (before its agent's slot is offered again). */
  closed?(conv: Conversation): Promise<void>;
}

/**
 * For the benchmarks, rings of the latest SAMPLES: each dispatch's duration
 * (ms, whole and planOffers) and waiting chats; and per chat, from its
 * customer's join being stored to its first invitation sent (ms, wall clock).
 */
export class DispatchTimes {
  static readonly SAMPLES = 8192;
  count = 0;
  readonly whole: number[] = [];
  readonly plan: number[] = [];
  readonly waiting: number[] = [];
  firstOffers = 0;
  readonly firstOffer: number[] = [];
  add(wholeMs: number, planMs: number, waiting: number): void {
    const i = this.count++ % DispatchTimes.SAMPLES;
    this.whole[i] = wholeMs; this.plan[i] = planMs; this.waiting[i] = waiting;
  }
  addFirstOffer(ms: number): void { this.firstOffer[this.firstOffers++ % DispatchTimes.SAMPLES] = ms; }
}

export class Routing {
  hooks: RoutingHooks = {};
  readonly times = new DispatchTimes();
  private timers = new Map<string, NodeJS.Timeout>();
  private wake?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private rooms = new Map<string, Room>();
  /** Since when each available agent has had no chat: set when they become available or a chat of theirs ends, dropped while busy. */
  private idleSince = new Map<string, number>();
  private stopped = false;
  private readonly inputs: RoutingInputs;

  constructor(private readonly db: Db, private readonly agents: AgentDirectory, private readonly ports: RoutingPorts, private readonly log: Logger) {
    this.inputs = new RoutingInputs(db, (id) => agents.byId(id) !== undefined);
  }

  /** After a restart: re-arm the deadlines of offers still pending. */
  async start(): Promise<void> {
    for (const o of await pendingOffers(this.db)) this.arm(o);
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    if (this.wake) clearTimeout(this.wake);
  }

  async room(id: string): Promise<Room> {
    let r = this.rooms.get(id);
    if (!r) { r = (await roomById(this.db, id))!; this.rooms.set(id, r); }
    return r;
  }

  forgetRoom(id: string): void { this.rooms.delete(id); }

  /** Ask for a dispatch; resolves when one that started after this call has finished. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) { this.again = true; return this.running.then(() => this.running ?? undefined); }
    this.running = (async () => {
      do {
        this.again = false;
        try { await this.dispatch(); } catch (e) { this.log.error(`routing: ${(e as Error).stack}`); }
      } while (this.again && !this.stopped);
      this.running = null;
    })();
    return this.running;
  }

  private async dispatch(): Promise<void> {
    const started = performance.now();
    const now = Date.now();
    // Most dispatches (after every claim and close) find nobody waiting: the loads are read only when someone is.
    const waiting = await waitingConversations(this.db);
    if (waiting.length === 0) { this.hooks.dispatched?.([], []); return; }
    const loads = await agentLoads(this.db);
    const views: WaitingConversation[] = [];
    // This dispatch's view of the rooms, whatever forgetRoom() does meanwhile: each room once, not once per chat.
    const rooms = new Map<string, Room>();
    for (const id of new Set(waiting.map((c) => c.roomId))) rooms.set(id, await this.room(id));
    const roomOf = new Map(waiting.map((c) => [c.id, rooms.get(c.roomId)!]));
    const extras = await this.inputs.gather(waiting, roomOf);
    for (const c of waiting) {
      const room = roomOf.get(c.id)!;
      views.push({
        ...extras.get(c.id),
        id: c.id, roomId: c.roomId, createdAt: c.createdAt.getTime(),
        strategy: isStrategy(room.settings.strategy) ? room.settings.strategy : 'quickest-reply',
        reofferAfterMs: room.settings.reofferAfterSeconds * 1000,
        ringLimit: room.settings.ringLimit,
        pendingAgents: new Set(c.pendingAgents),
        refusedBy: new Map(c.refusals.map((x) => [x.agentId, x.at])),
      });
    }
    const agents: AgentState[] = this.agents.all().map((a) => {
      const available = this.ports.isAvailable(a.jid);
      const { active = 0, pending = 0 } = loads.get(a.id) ?? {};
      if (!available || active > 0) this.idleSince.delete(a.id);
      else if (!this.idleSince.has(a.id)) this.idleSince.set(a.id, now);
      return {
        id: a.id, available, maxChats: a.maxChats, active, pending, idleSince: this.idleSince.get(a.id) ?? null,
        away: !available && (this.ports.isAway?.(a.jid) ?? false), mobile: a.mobile, location: a.location, departmentIds: a.departmentIds,
      };
    });
    const seen = this.hooks.agentsForPlan?.(agents, now) ?? { agents, wakeAt: null };
    const planStart = performance.now();
    const plan = planOffers(views, seen.agents, now);
    const planMs = performance.now() - planStart;
    const byId = new Map(waiting.map((c) => [c.id, c]));
    const timeoutOf = (conversationId: string) => roomOf.get(conversationId)!.settings.offerTimeoutSeconds;
    // One statement for the whole plan and its events: a burst of waiting conversations
    // costs one round trip, not two per conversation.
    // Round robin: where the rotation stands, stored with the offers so it continues after a restart.
    const roundRobin = new Set([...rooms.values()].filter((r) => r.settings.strategy === 'round-robin').map((r) => r.id));
    const rotation = new Map([...plan.lastOffered].filter(([roomId]) => roundRobin.has(roomId)));
    const made = await insertOffers(this.db, plan.offers.map((o) => ({ ...o, deadline: new Date(now + timeoutOf(o.conversationId) * 1000) })), rotation);
    const firsts = new Set<string>();
    for (const offer of made) {
      this.arm(offer);
      const c = byId.get(offer.conversationId)!;
      this.ports.invite(c, roomOf.get(offer.conversationId)!, this.agents.byId(offer.agentId)!.jid, timeoutOf(offer.conversationId));
      if (c.pendingAgents.length === 0 && c.refusals.length === 0 && c.customerJoinedAt) firsts.add(c.id);
    }
    const sent = Date.now();
    for (const id of firsts) this.times.addFirstOffer(sent - byId.get(id)!.customerJoinedAt!.getTime());
    this.hooks.dispatched?.(waiting, agents);
    if (this.wake) clearTimeout(this.wake);
    const wakeAt = Math.min(plan.wakeAt ?? Infinity, seen.wakeAt ?? Infinity);
    if (wakeAt !== Infinity) this.wake = setTimeout(() => void this.kick(), Math.max(0, wakeAt - Date.now()) + 5);
    this.times.add(performance.now() - started, planMs, waiting.length);
  }

  private arm(o: Offer): void {
    const t = setTimeout(() => void this.expire(o), Math.max(0, o.deadline.getTime() - Date.now()));
    this.timers.set(o.id, t);
  }

  private disarm(offers: Offer[]): void {
    for (const o of offers) { clearTimeout(this.timers.get(o.id)); this.timers.delete(o.id); }
  }

  private async expire(o: Offer): Promise<void> {
    this.timers.delete(o.id);
    const ended = await endOffers(this.db, { offerId: o.id }, 'timed_out');
    if (ended.length === 0) return;
    await this.noticeAgents(ended, (c, room) => texts.offerExpired(c.customerName, room.settings.name));
    await addEvent(this.db, o.conversationId, 'offer_timed_out', { agent: this.agents.byId(o.agentId)?.jid });
    await this.kick();
  }

  /** The claim (first join wins). Returns the conversation, or null if it was not queued or the agent is full. */
  async claim(conversationId: string, agentId: string): Promise<Conversation | null> {
    // The agent's row locked, then one guarded statement: the claim, its offers settled, its 'accepted' event.
    const claimed = await inTransaction(this.db, (tx) => claimAndSettle(tx, conversationId, agentId, this.agents.byId(agentId)?.jid ?? null));
    if (!claimed) return null;
    const conv = claimed.conversation;
    const withdrawn = claimed.offers.filter((o) => o.status === 'withdrawn');
    this.disarm(claimed.offers);
    const by = this.agents.byId(agentId)?.nickname ?? 'another agent';
    // The join is answered now; then the others are told (the claimed row names the customer,
    // so no lookup), before the re-dispatch of their freed slots can send them new invitations.
    void (async () => {
      const text = texts.offerTaken(conv.customerName, (await this.room(conv.roomId)).settings.name, by);
      for (const o of withdrawn) { const agent = this.agents.byId(o.agentId); if (agent) this.ports.tellAgent(agent.jid, text); }
      await this.kick();
    })().catch((e: Error) => this.log.error(`after claim: ${e.stack}`));
    return conv;
  }

  async declined(conversationId: string, agentId: string): Promise<boolean> {
    const ended = await endOffers(this.db, { conversationId, agentId }, 'declined');
    if (ended.length === 0) return false;
    this.disarm(ended);
    await this.noticeAgents(ended, (c, room) => texts.offerDeclined(c.customerName, room.settings.name));
    await addEvent(this.db, conversationId, 'declined', { agent: this.agents.byId(agentId)?.jid });
    await this.kick();
    return true;
  }

  /** A conversation ended: its offers are withdrawn, the agent's slot is free. */
  async closed(conv: Conversation): Promise<void> {
    if (conv.agentId) this.idleSince.set(conv.agentId, Date.now()); // idle again from now, if this was their last chat
    await this.hooks.closed?.(conv);
    this.disarm(await endOffers(this.db, { conversationId: conv.id }, 'withdrawn'));
    await this.kick();
  }

  /** Away/offline: pending offers go back so the chat reaches someone present. */
  async availability(agentId: string, available: boolean): Promise<void> {
    if (available) this.idleSince.set(agentId, Date.now()); // the idle time of longest-idle starts here
    else this.idleSince.delete(agentId);
    if (!available) {
      const ended = await endOffers(this.db, { agentId }, 'withdrawn');
      this.disarm(ended);
    }
    await this.kick();
  }

  private async noticeAgents(offers: Offer[], text: (c: Conversation, room: Room) => string): Promise<void> {
    const said = new Map<string, string | null>(); // one lookup per conversation
    for (const o of offers) {
      if (!said.has(o.conversationId)) {
        const conv = await conversationById(this.db, o.conversationId);
        said.set(o.conversationId, conv ? text(conv, await this.room(conv.roomId)) : null);
      }
      const agent = this.agents.byId(o.agentId);
      const t = said.get(o.conversationId);
      if (agent && t) this.ports.tellAgent(agent.jid, t);
    }
  }
}
