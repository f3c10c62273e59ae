// The simulated people of the routing benchmark (bench/routing.ts): agents
// who join the first invitation they have room for and close each chat after
// a while, and customers who fill the form, join their MUC room and leave
// when it ends. Run in a child process of the bench (fork, the default) so
// the server's process is measured by itself, or in the bench's own process
// (--fork 0). All times are this process's performance.now().
import { performance } from 'node:perf_hooks';
import { groupchat, joinPresence, NS_MUC_USER, type Element, type TestClient } from '../test/support/xmpp.js';
import { agentOnline, customerLogin, isSelf, LoopDelay, paced, pool, serveBench, stopClients, waitFor, type AgentLogin, type BenchClients } from './lib.js';

export interface ClientOptions {
  maxChats: number; rate: number; count: number; chatSeconds: number;
  c2sPort: number; publicUrl: string; customerWsUrl: string;
}

/** What the bench reads back: per conversation, the moments seen (ms, this process's clock). */
export interface ConvTimes { joinSentAt?: number; selfAt?: number; firstInviteAt?: number; servedAt?: number; endedAt?: number }
export interface ClientResults { convs: ConvTimes[]; rampMs: number; offeredAll: boolean; problems: Array<[string, number]>; loopDelay: string }

/** Commands from the bench and events back (besides lib.ts's LinkEvent). */
export type ToClients = { cmd: 'agents'; agents: AgentLogin[]; opts: ClientOptions } | { cmd: 'run' };
export type FromClients = { ev: 'online'; n: number } | { ev: 'ramped' } | { ev: 'results'; results: ClientResults };

interface Agent { client: TestClient; nick: string; rooms: Set<string>; joining: Set<string>; deferred: string[] }
interface Conv extends ConvTimes { id: string; roomJid: string; password: string; nick: string }

export class RoutingClients {
  private readonly byRoom = new Map<string, Conv>();
  private readonly convs: Conv[] = [];
  private readonly clients: TestClient[] = [];
  private readonly problems = new Map<string, number>();
  aborted = false;

  constructor(private readonly opts: ClientOptions, private readonly log: (s: string) => void) {}

  note(what: string): void { this.problems.set(what, (this.problems.get(what) ?? 0) + 1); }

  /** Logs the agents in (available), 8 at a time. */
  async loginAgents(list: AgentLogin[], online: (n: number) => void): Promise<void> {
    let n = 0;
    await pool(list, 8, async (l) => {
      if (this.aborted) return;
      this.clients.push(await agentOnline(this.opts.c2sPort, l, (client) => {
        const a: Agent = { client, nick: l.nick, rooms: new Set(), joining: new Set(), deferred: [] };
        client.xmpp.on('stanza', (el: Element) => this.onAgentStanza(a, el));
      }));
      online(++n);
    });
  }

  /** Customers at the rate for the count, then until each was offered and served (60 s each at most). */
  async run(ramped: () => void = () => {}): Promise<ClientResults> {
    const loop = new LoopDelay();
    const starts: Promise<void>[] = [];
    const rampMs = await paced(this.opts.count, this.opts.rate, (i) => { starts.push(this.startCustomer(i).catch((e: Error) => { this.note(`customer: ${e.message}`); })); }, () => this.aborted);
    await Promise.all(starts);
    ramped();
    const loopDelay = loop.take();
    loop.stop();
    const convs = this.convs;
    const offeredAll = await waitFor(() => convs.every((c) => c.firstInviteAt !== undefined), 60_000, () => this.log(`${convs.filter((c) => c.firstInviteAt !== undefined).length}/${convs.length} offered`));
    await waitFor(() => convs.every((c) => c.servedAt !== undefined), 60_000, () => this.log(`${convs.filter((c) => c.servedAt !== undefined).length}/${convs.length} served`));
    return {
      convs: convs.map(({ joinSentAt, selfAt, firstInviteAt, servedAt, endedAt }) => ({ joinSentAt, selfAt, firstInviteAt, servedAt, endedAt })),
      rampMs, offeredAll, problems: [...this.problems], loopDelay,
    };
  }

  async stop(): Promise<void> {
    this.aborted = true;
    await stopClients(this.clients, this.log);
  }

  private tryJoin(a: Agent, roomJid: string): void {
    const c = this.byRoom.get(roomJid);
    if (!c || c.servedAt !== undefined || a.rooms.has(roomJid) || a.joining.has(roomJid)) return;
    if (a.rooms.size + a.joining.size >= this.opts.maxChats) { a.deferred.push(roomJid); return; }
    a.joining.add(roomJid);
    a.client.send(joinPresence(roomJid, a.nick, c.password)).catch(() => this.note('agent join send failed'));
  }

  private onAgentStanza(a: Agent, el: Element): void {
    const roomJid = (el.attrs.from ?? '').split('/')[0]!;
    const now = performance.now();
    if (el.is('message') && el.getChild('x', NS_MUC_USER)?.getChild('invite')) {
      const c = this.byRoom.get(roomJid);
      if (c) c.firstInviteAt ??= now;
      this.tryJoin(a, roomJid);
      return;
    }
    if (!el.is('presence') || (!a.joining.has(roomJid) && !a.rooms.has(roomJid))) return;
    if (el.attrs.type === 'error') { a.joining.delete(roomJid); return; }
    if (el.attrs.type === undefined && isSelf(el) && a.joining.delete(roomJid)) {
      a.rooms.add(roomJid);
      const c = this.byRoom.get(roomJid);
      if (c) c.servedAt = now;
      setTimeout(() => { if (!this.aborted) a.client.send(groupchat(roomJid, '!close')).catch(() => this.note('close send failed')); }, this.opts.chatSeconds * 1000);
      return;
    }
    if (el.attrs.type === 'unavailable' && isSelf(el) && a.rooms.delete(roomJid)) for (const r of a.deferred.splice(0)) this.tryJoin(a, r);
  }

  private async startCustomer(i: number): Promise<void> {
    const { st, client } = await customerLogin({ publicUrl: this.opts.publicUrl, wsUrl: this.opts.customerWsUrl, form: { name: `Customer ${i}`, message: `Hello ${i}` } });
    const c: Conv = { id: st.id, roomJid: st.roomJid, password: st.password, nick: st.nick };
    this.convs.push(c);
    this.byRoom.set(c.roomJid, c);
    this.clients.push(client);
    client.xmpp.on('stanza', (el: Element) => {
      if (!el.is('presence') || !(el.attrs.from ?? '').startsWith(c.roomJid + '/')) return;
      if (el.attrs.type === undefined && isSelf(el)) c.selfAt ??= performance.now();
      if (el.attrs.type === 'unavailable' && el.getChild('x', NS_MUC_USER)?.getChild('destroy')) {
        c.endedAt = performance.now();
        void client.stop();
      }
    });
    c.joinSentAt = performance.now();
    await client.send(joinPresence(c.roomJid, c.nick, c.password));
  }
}

/** The bench's commands: log the agents in, then run the customers. */
export function routingClients(log: (s: string) => void): BenchClients<ToClients, FromClients> {
  let clients: RoutingClients | undefined;
  return {
    note: (what) => clients?.note(what),
    stop: async () => { await clients?.stop(); },
    async handle(m, emit) {
      if (m.cmd === 'agents') {
        clients = new RoutingClients(m.opts, log);
        await clients.loginAgents(m.agents, (n) => emit({ ev: 'online', n }));
      } else emit({ ev: 'results', results: await clients!.run(() => emit({ ev: 'ramped' })) });
    },
  };
}

if (process.send && process.argv.includes('--bench-clients')) serveBench(routingClients);
