// The simulated people of the chat-loop benchmark (bench/chat-loop.ts):
// agents who log in and take a chat by joining its room (the first invited
// agent with room joins; a refused join passes it to the next), customers who
// fill the form, log in anonymously over /xmpp-websocket and join their room,
// then customer → agent messages at a paced total rate. Run in a child process
// of the bench (fork, the default) so the server's process is measured by
// itself, or in the bench's own (--fork 0). All times are this process's
// performance.now(); a message's latency is its receipt at the agent minus
// its send by the customer, both here.
import { performance } from 'node:perf_hooks';
import { groupchat, joinPresence, NS_MUC_USER, type Element, type TestClient } from '../test/support/xmpp.js';
import { agentOnline, customerLogin, isSelf, LoopDelay, paced, pool, serveBench, sleep, stopClients, waitFor, type AgentLogin, type BenchClients } from './lib.js';

export interface ChatOptions {
  maxChats: number; count: number; joinRate: number; messages: number; msgRate: number;
  /** Seconds from the ramp's start for every customer to be served by routing. */
  serveS: number; c2sPort: number; publicUrl: string; wsUrl: string;
}

/** Per conversation, the moments seen (ms, this process's clock) and who took it. */
export interface ConvResult {
  joinSentAt?: number; selfAt?: number; firstInviteAt?: number; servedAt?: number;
  /** Joined by the bench's agents after routing stalled, with no offer seen. */
  assisted?: boolean; refusals: number; agent?: number;
}
export interface Phase1 { rampMs: number; allServed: boolean; idle: boolean; afterS: number; progress: string }
export interface ChatResults {
  convs: ConvResult[]; agents: number; active: number; total: number;
  sendAt: Float64Array; recvAt: Float64Array; sendMs: number; received: number; duplicates: number; outOfOrder: number; sendErrors: number;
  lastRecvAt: number; waitedS: number;
  /** This process's performance.timeOrigin, to put its times on the bench's clock. */
  timeOrigin: number;
  lossy: Array<{ room: string; customer: string; agent: string }>;
  problems: Array<[string, number]>; loopJoins: string; loopMessages: string;
}

/** Commands from the bench and events back (besides lib.ts's LinkEvent). */
export type ToClients = { cmd: 'agents'; agents: AgentLogin[]; opts: ChatOptions } | { cmd: 'ramp' } | { cmd: 'assist' } | { cmd: 'end-unserved' } | { cmd: 'messages' };
export type FromClients = { ev: 'online'; n: number } | { ev: 'progress'; text: string } | { ev: 'joined'; phase: Phase1 } | { ev: 'assisted' }
  | { ev: 'ended' } | { ev: 'measuring' } | { ev: 'results'; results: ChatResults };

interface Agent { i: number; client: TestClient; nick: string; load: number }
interface Conv extends ConvResult {
  id: string; token: string; roomJid: string; password: string; nick: string; client?: TestClient;
  invited: Agent[]; joining?: Agent; by?: Agent; lastRecv: number;
}

export class ChatClients implements BenchClients<ToClients, FromClients> {
  private opts!: ChatOptions;
  private readonly convs: Conv[] = [];
  private readonly byRoom = new Map<string, Conv>();
  private readonly agents: Agent[] = [];
  private readonly clients: TestClient[] = [];
  private readonly problems = new Map<string, number>();
  private readonly loop = new LoopDelay();
  private loopJoins = '';
  private aborted = false;
  private sendAt = new Float64Array(0);
  private recvAt = new Float64Array(0);
  private received = 0; private duplicates = 0; private outOfOrder = 0; private lastRecvAt = 0;

  constructor(private readonly log: (s: string) => void) {}

  note(what: string): void { this.problems.set(what, (this.problems.get(what) ?? 0) + 1); }

  async handle(m: ToClients, emit: (m: FromClients) => void): Promise<void> {
    if (m.cmd === 'agents') { this.opts = m.opts; await this.loginAgents(m.agents, (n) => emit({ ev: 'online', n })); emit({ ev: 'online', n: m.agents.length }); }
    else if (m.cmd === 'ramp') emit({ ev: 'joined', phase: await this.ramp((text) => emit({ ev: 'progress', text })) });
    else if (m.cmd === 'assist') { await this.assist(); emit({ ev: 'assisted' }); }
    else if (m.cmd === 'end-unserved') { await this.endUnserved(); emit({ ev: 'ended' }); }
    else emit({ ev: 'results', results: await this.messages(() => emit({ ev: 'measuring' })) });
  }

  async stop(): Promise<void> {
    this.aborted = true;
    this.loop.stop();
    await stopClients(this.clients, this.log);
  }

  private async loginAgents(list: AgentLogin[], online: (n: number) => void): Promise<void> {
    let n = 0;
    await pool(list, 8, async (l, i) => {
      if (this.aborted) return;
      this.clients.push(await agentOnline(this.opts.c2sPort, l, (client) => {
        const a: Agent = { i, client, nick: l.nick, load: 0 };
        client.xmpp.on('stanza', (el: Element) => this.onAgentStanza(a, el));
        client.xmpp.on('disconnect', () => { if (!this.aborted) this.note('agent connection lost'); });
        this.agents.push(a);
      }));
      if (++n % 50 === 0 && n < list.length) online(n);
    });
  }

  // ---- phase 1: customers ramped in; the first invited agent with room joins ----

  private readonly progress = () => `${this.convs.filter((c) => c.selfAt).length}/${this.opts.count} joined, ${this.convs.filter((c) => c.firstInviteAt).length} offered, ${this.convs.filter((c) => c.by).length} served, ${this.convs.filter((c) => c.joining).length} agent joins unanswered`;

  /** Customers at the join rate, then until all are served, routing makes no progress for 10 s, or serveS is reached. */
  private async ramp(tick: (progress: string) => void): Promise<Phase1> {
    this.loop.take();
    const rampStart = performance.now();
    const starts: Promise<void>[] = [];
    const rampMs = await paced(this.opts.count, this.opts.joinRate, (i) => {
      starts.push(this.startCustomer(i).catch((e: Error) => this.note(`customer start: ${e.message}`)));
    }, () => this.aborted);
    await Promise.all(starts);
    let last = '', lastChange = performance.now();
    const idle = () => performance.now() - lastChange > 10_000;
    await waitFor(() => {
      const p = this.progress();
      if (p !== last) { last = p; lastChange = performance.now(); }
      return this.convs.every((c) => c.by) || idle();
    }, Math.max(0, this.opts.serveS * 1000 - (performance.now() - rampStart)), () => tick(this.progress()));
    this.loopJoins = this.loop.take();
    return { rampMs, allServed: this.convs.every((c) => c.by), idle: idle(), afterS: (performance.now() - rampStart) / 1000, progress: this.progress() };
  }

  /**
   * Routing stalled or is too slow: so that the message phase still has every conversation,
   * agents with room join the rest directly (the bench knows the passwords), as an agent
   * picking a chat from a queue would. Those are left out of join → offer.
   */
  private async assist(): Promise<void> {
    for (const c of this.convs) if (!c.by && !c.joining) { c.assisted = c.firstInviteAt === undefined; c.invited = [...this.agents]; this.tryAssign(c); }
    await waitFor(() => this.convs.every((c) => c.by), 60_000, () => this.log(this.progress()));
    this.loopJoins = `${this.loopJoins}; with the bench's own joins ${this.loop.take()}`;
  }

  /** Unserved customers end their chat, so the message phase is not mixed with routing work. */
  private async endUnserved(): Promise<void> {
    const unserved = this.convs.filter((c) => !c.by);
    if (unserved.length) this.note(`${unserved.length} conversations never served (ended by their customers before the message phase)`);
    await pool(unserved, 10, async (c) => {
      const r = await fetch(`${this.opts.publicUrl}/api/v1/conversations/${c.id}/end`, { method: 'POST', headers: { authorization: `Bearer ${c.token}` } });
      if (r.status !== 204) this.note(`end conversation: ${r.status}`);
    });
  }

  private async startCustomer(i: number): Promise<void> {
    const { st, client } = await customerLogin({ publicUrl: this.opts.publicUrl, wsUrl: this.opts.wsUrl, form: { name: `Customer ${i}`, email: `c${i}@example.com`, message: `Hello from customer ${i}` } });
    const c: Conv = { id: st.id, token: st.customerToken, roomJid: st.roomJid, password: st.password, nick: st.nick, client, invited: [], refusals: 0, lastRecv: -1 };
    this.convs.push(c);
    this.byRoom.set(c.roomJid, c);
    this.clients.push(client);
    client.xmpp.on('stanza', (el: Element) => {
      if (c.selfAt === undefined && el.is('presence') && el.attrs.type === undefined && el.attrs.from === `${c.roomJid}/${c.nick}` && isSelf(el)) c.selfAt = performance.now();
      if (el.attrs.type === 'error') this.note(`customer got ${el.name} error: ${el.getChild('error')?.getChildElements().map((x) => x.name === 'text' ? `"${x.getText()}"` : x.name).join(' ')}`);
    });
    // (typed without its argument in types/xmpp.d.ts: the socket's close event)
    (client.xmpp as unknown as NodeJS.EventEmitter).on('disconnect', (d: { reason?: { code?: number; reason?: string } }) => { if (!this.aborted) this.note(`customer connection lost (WebSocket close ${d?.reason?.code ?? '?'}${d?.reason?.reason ? ` "${d.reason.reason}"` : ''})`); });
    client.xmpp.on('error', (e: Error) => { if (!this.aborted) this.note(`customer connection error: ${e.message}`); });
    c.joinSentAt = performance.now();
    await client.send(joinPresence(c.roomJid, c.nick, c.password));
  }

  private tryAssign(c: Conv): void {
    if (c.by || c.joining) return;
    const a = c.invited.find((x) => x.load < this.opts.maxChats);
    if (!a) return;
    a.load++;
    c.joining = a;
    a.client.send(joinPresence(c.roomJid, a.nick, c.password)).catch(() => this.note('agent join send failed'));
  }

  private onAgentStanza(a: Agent, el: Element): void {
    const from = el.attrs.from ?? '';
    const now = performance.now();
    if (el.is('message')) {
      const body = el.getChildText('body');
      if (body?.startsWith('b:') && el.attrs.type === 'groupchat') { this.onMessage(Number(body.slice(2)), from, now); return; }
      const c = el.getChild('x', NS_MUC_USER)?.getChild('invite') ? this.byRoom.get(from) : undefined;
      if (!c) return;
      c.firstInviteAt ??= now;
      c.invited.push(a);
      this.tryAssign(c);
      return;
    }
    if (!el.is('presence')) return;
    const c = this.byRoom.get(from.split('/')[0]!);
    if (!c || c.joining !== a) return;
    if (el.attrs.type === 'error') {
      const cond = el.getChild('error')?.getChildElements().find((x) => x.name !== 'text')?.name ?? 'unknown';
      this.note(`agent join refused: ${cond}`);
      c.refusals++;
      a.load--;
      c.joining = undefined;
      c.invited = c.invited.filter((x) => x !== a);
      this.tryAssign(c);
    } else if (el.attrs.type === undefined && isSelf(el)) {
      c.by = a;
      c.agent = a.i;
      c.joining = undefined;
      c.servedAt = now;
    }
  }

  // ---- phase 2: customer → agent messages at a steady total rate ----

  private onMessage(idx: number, from: string, now: number): void {
    if (this.recvAt[idx] !== 0) { this.duplicates++; return; }
    this.recvAt[idx] = now;
    this.received++;
    this.lastRecvAt = now;
    const c = this.byRoom.get(from.split('/')[0]!);
    if (c) { if (idx < c.lastRecv) this.outOfOrder++; c.lastRecv = idx; }
  }

  /** 1 s of unmeasured warm-up messages, then `messages` per conversation; `measuring` marks the start. */
  private async messages(measuring: () => void): Promise<ChatResults> {
    const { msgRate, messages } = this.opts;
    const active = this.convs.filter((c) => c.by && c.client);
    this.log(`${active.length}/${this.opts.count} conversations active; 1 s of unmeasured warm-up messages, then ${messages} each at ${msgRate} msg/s`);
    await paced(Math.ceil(msgRate), msgRate, (i) => void active[i % active.length]!.client!.send(groupchat(active[i % active.length]!.roomJid, `w:${i}`)).catch(() => {}), () => this.aborted);
    await sleep(500);
    const total = active.length * messages;
    const sendAt = (this.sendAt = new Float64Array(total));
    const recvAt = (this.recvAt = new Float64Array(total));
    let sendErrors = 0;
    measuring();
    this.loop.take();
    const sendMs = await paced(total, msgRate, (idx) => {
      const c = active[idx % active.length]!;
      sendAt[idx] = performance.now();
      c.client!.send(groupchat(c.roomJid, `b:${idx}`)).catch(() => sendErrors++);
    }, () => this.aborted);
    const sendEnd = performance.now();
    await waitFor(() => this.received >= total, 30_000, () => this.log(`received ${this.received}/${total}`), 2000);
    const loopMessages = this.loop.take();
    // Rooms that lost messages: the bench names their clients (the server adds its view).
    const lossy = active.filter((_, r) => { for (let i = r; i < total; i += active.length) if (!recvAt[i]) return true; return false; }).slice(0, 3)
      .map((c) => ({ room: c.roomJid, customer: `${c.client?.jid} (now ${c.client?.xmpp.jid})`, agent: `${c.by?.client.jid} (now ${c.by?.client.xmpp.jid})` }));
    return {
      convs: this.convs.map(({ joinSentAt, selfAt, firstInviteAt, servedAt, assisted, refusals, agent }) => ({ joinSentAt, selfAt, firstInviteAt, servedAt, assisted, refusals, agent })),
      agents: this.agents.length, active: active.length, total, sendAt, recvAt, sendMs, received: this.received, duplicates: this.duplicates,
      outOfOrder: this.outOfOrder, sendErrors, lastRecvAt: this.lastRecvAt, waitedS: (performance.now() - sendEnd) / 1000, lossy, timeOrigin: performance.timeOrigin,
      problems: [...this.problems], loopJoins: this.loopJoins, loopMessages,
    };
  }
}

export const chatClients = (log: (s: string) => void) => new ChatClients(log);

if (process.send && process.argv.includes('--bench-clients')) serveBench(chatClients);
