// Benchmark of routing on the real stack (issue 4): many online agents, a
// steady stream of new chats; measures customer join → first offer at an
// agent. Agents accept the first invitation they have room for and close each
// chat after a while, so the run reaches a steady state; customers leave when
// their chat ends.
//   node dist/bench/routing.js [--agents 1000] [--rate 200] [--duration 30] [--max-chats 3]
//     [--ring-limit 3] [--chat-seconds 5] [--via-proxy 0|1] [--status-throttle-ms 1000] [--timeout 900]
//     [--fork 1|0]   (or BENCH_* variables)
// The agents and customers (bench/routing-clients.ts) run in a child process by default
// (--fork 0: in this one, as before), so this process is the server alone and its event
// loop delay is the server's. Customers log in on Prosody's WebSocket directly by default
// (--via-proxy 1: through our /xmpp-websocket, as the page does): the proxy is not on the
// join → offer path, and on this 2-core machine its cost for thousands of logins would
// starve the server being measured.
import { fork, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startStack, untilAvailable, type Stack } from '../test/support/stack.js';
import { stopTestEnv } from '../test/support/env.js';
import { childPid, cpuLine, cpuSnapshot, fmt, LoopDelay, ms, numOption, offerStats, pool, setRingLimit, summarize, verdict, withTimeout, type CpuSnapshot } from './lib.js';
import { RoutingClients, type AgentLogin, type ClientOptions, type ClientResults, type FromClients, type ToClients } from './routing-clients.js';

const AGENTS = Math.floor(numOption('agents', 'BENCH_AGENTS', 1000));
const RATE = numOption('rate', 'BENCH_RATE', 200);
const DURATION_S = numOption('duration', 'BENCH_DURATION', 30);
const MAX_CHATS = Math.floor(numOption('max-chats', 'BENCH_MAX_CHATS', 3));
const RING_LIMIT = Math.floor(numOption('ring-limit', 'BENCH_RING_LIMIT', 3, { zero: true }));
const CHAT_S = numOption('chat-seconds', 'BENCH_CHAT_SECONDS', 5);
const TIMEOUT_S = numOption('timeout', 'BENCH_TIMEOUT', 900);
const VIA_PROXY = numOption('via-proxy', 'BENCH_VIA_PROXY', 0, { zero: true }) > 0;
/** Least time between rounds of queue-status pushes to waiting customers (the server's default: 1000). */
const STATUS_MS = numOption('status-throttle-ms', 'BENCH_STATUS_THROTTLE_MS', 1000);
const FORK = numOption('fork', 'BENCH_FORK', 1, { zero: true }) > 0;
const N = Math.round(RATE * DURATION_S);

let stack: Stack | undefined;
let clients: Clients | undefined;
const log = (s: string) => process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${s}\n`);

/** The simulated people, in this process or in a child. */
interface Clients {
  pid: number | undefined;
  login(agents: AgentLogin[], opts: ClientOptions, online: (n: number) => void): Promise<void>;
  run(ramped: () => void): Promise<ClientResults>;
  stop(): Promise<void>;
}

function inProcess(): Clients {
  let c: RoutingClients | undefined;
  process.on('uncaughtException', (e) => { c?.note(`client error: ${e.message}`); if (!/parser|reading 'write'/.test(String(e.stack))) log(e.stack ?? e.message); });
  return {
    pid: undefined,
    async login(agents, opts, online) { c = new RoutingClients(opts, log); await c.loginAgents(agents, online); },
    run: (ramped) => c!.run(ramped),
    async stop() { await c?.stop(); },
  };
}

function forked(): Clients {
  const child: ChildProcess = fork(new URL('./routing-clients.js', import.meta.url), ['--bench-clients'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = new Set<(m: FromClients) => void>();
  let exited: Error | undefined;
  child.on('message', (m: FromClients) => { if (m.ev === 'log') log(`clients: ${m.text}`); for (const w of [...waiters]) w(m); });
  child.on('exit', (code, sig) => { exited = new Error(`bench clients exited (${code ?? sig})`); for (const w of [...waiters]) w({ ev: 'failed', error: exited.message }); });
  const send = (m: ToClients) => child.send(m);
  /** Resolves on the first message `until` accepts; rejects on a failure. */
  const next = <T>(until: (m: FromClients) => T | undefined, on?: (m: FromClients) => void) => new Promise<T>((resolve, reject) => {
    if (exited) { reject(exited); return; }
    const w = (m: FromClients) => {
      if (m.ev === 'failed') { waiters.delete(w); reject(new Error(m.error)); return; }
      on?.(m);
      const v = until(m);
      if (v !== undefined) { waiters.delete(w); resolve(v); }
    };
    waiters.add(w);
  });
  return {
    pid: child.pid,
    async login(agents, opts, online) {
      const done = next((m) => (m.ev === 'online' && m.n === agents.length ? true : undefined), (m) => { if (m.ev === 'online') online(m.n); });
      send({ cmd: 'agents', agents, opts });
      await done;
    },
    async run(ramped) {
      const done = next((m) => (m.ev === 'results' ? m.results : undefined), (m) => { if (m.ev === 'ramped') ramped(); });
      send({ cmd: 'run' });
      return done;
    },
    async stop() {
      if (exited) return;
      const done = next((m) => (m.ev === 'stopped' ? true : undefined));
      send({ cmd: 'stop' });
      await withTimeout(done, 60_000, 'bench clients stop').catch((e: Error) => log(e.message));
      child.kill();
    },
  };
}

/** Percentiles of the dispatches recorded since `from` (the server keeps the latest 8,192). */
function dispatchLines(s: Stack, from: number, firstFrom: number): string[] {
  const t = s.sb.routing.times;
  const n = t.count - from;
  const ring = t.whole.length;
  const idx = Array.from({ length: Math.min(n, ring) }, (_, k) => (t.count - 1 - k) % ring);
  const pick = (xs: number[]) => summarize(idx.map((i) => xs[i]!));
  const w = pick(t.waiting);
  const nf = t.firstOffers - firstFrom;
  const fring = t.firstOffer.length;
  const first = summarize(Array.from({ length: Math.min(nf, fring) }, (_, k) => t.firstOffer[(t.firstOffers - 1 - k) % fring]!));
  return [
    `server's own view     customer's join stored → first invitation sent (wall clock, in the server process): ${fmt(first)}`,
    `dispatches            ${n}${n > ring ? ` (percentiles of the last ${ring})` : ''}; waiting chats per dispatch p50 ${w.p50}, max ${w.max}`,
    `  whole dispatch      ${fmt(pick(t.whole))}`,
    `  planOffers          ${fmt(pick(t.plan))}`,
  ];
}

async function run(): Promise<string[]> {
  const loop = new LoopDelay();
  log('starting PostgreSQL, Prosody and Switchboard');
  const s = (stack = await startStack({}, undefined, { queueStatusThrottleMs: STATUS_MS }));
  const pids = { prosody: s.env.prosody.child.pid, postgres: childPid('postgres') };
  await setRingLimit(s.sb, RING_LIMIT);
  const setupStart = performance.now();
  log(`creating ${AGENTS} agents (maxChats ${MAX_CHATS})`);
  const logins = await pool(Array.from({ length: AGENTS }, (_, i) => i), 8, async (i): Promise<AgentLogin> => {
    const { agent } = await s.sb.agents.create({ name: `Router${i}`, jid: `router${process.pid}x${i}@${s.cfg.xmppDomain}`, password: 'agent-password', maxChats: MAX_CHATS });
    return { jid: agent.jid, password: 'agent-password', nick: agent.nickname };
  });
  const c = (clients = FORK ? forked() : inProcess());
  const opts: ClientOptions = {
    maxChats: MAX_CHATS, rate: RATE, count: N, chatSeconds: CHAT_S, c2sPort: s.cfg.xmppC2sPort, publicUrl: s.cfg.publicUrl,
    customerWsUrl: VIA_PROXY ? `ws://127.0.0.1:${s.cfg.httpPort}/xmpp-websocket` : s.cfg.xmppWebsocketUrl,
  };
  log(`logging ${AGENTS} agents in (${FORK ? `in the clients' process ${c.pid}` : 'in this process'})`);
  await c.login(logins, opts, (n) => { if (n % 100 === 0) log(`${n} agents logged in`); });
  for (const l of logins) await untilAvailable(s, l.jid);
  const setupS = (performance.now() - setupStart) / 1000;
  await Promise.all(Array.from({ length: 20 }, () => s.sb.db.query('SELECT pg_sleep(0.05)'))); // a warm pool
  loop.take();
  const cpuPids = { ...pids, clients: c.pid };
  const cpu: CpuSnapshot[] = [cpuSnapshot(cpuPids)];
  const dispatchesFrom = s.sb.routing.times.count;
  const firstOffersFrom = s.sb.routing.times.firstOffers;

  log(`${N} customers at ${RATE}/s for ${DURATION_S} s; chats last ${CHAT_S} s`);
  let loopRamp = '';
  const res = await c.run(() => { cpu.push(cpuSnapshot(cpuPids)); loopRamp = loop.take(); });
  const loopAfter = loop.take();
  const offers = await offerStats(s.sb.db);
  loop.stop();

  const convs = res.convs;
  const fromSelf = summarize(convs.filter((x) => x.selfAt !== undefined && x.firstInviteAt !== undefined).map((x) => x.firstInviteAt! - x.selfAt!));
  const fromJoin = summarize(convs.filter((x) => x.firstInviteAt !== undefined && x.joinSentAt !== undefined).map((x) => x.firstInviteAt! - x.joinSentAt!));
  const joinToSelf = summarize(convs.filter((x) => x.selfAt !== undefined && x.joinSentAt !== undefined).map((x) => x.selfAt! - x.joinSentAt!));
  const offerToServed = summarize(convs.filter((x) => x.servedAt !== undefined && x.firstInviteAt !== undefined).map((x) => x.servedAt! - x.firstInviteAt!));
  const maxActive = (await s.sb.db.query("SELECT coalesce(max(n), 0)::int AS m FROM (SELECT count(*) AS n FROM conversations WHERE status = 'active' GROUP BY agent_id) x")).rows[0].m;
  const pad = ' '.repeat(22);
  return [
    '',
    '=== Switchboard routing benchmark ===',
    FORK
      ? `NOTE: the server runs in this Node process; the ${AGENTS} agents (TCP) and the customers (WebSocket ${VIA_PROXY ? 'through our /xmpp-websocket' : "on Prosody's port directly"}) in a child process`
      : `NOTE: the server and every client (${AGENTS} agents over TCP, customers over WebSocket ${VIA_PROXY ? 'through our /xmpp-websocket' : "on Prosody's port directly"}) share this ONE Node process (--fork 0)`,
    `      on ${cpus().length} cores, with Prosody and PostgreSQL. The machine may be shared: see "other processes" below.`,
    `agents                ${AGENTS} online (set up in ${setupS.toFixed(0)} s), maxChats ${MAX_CHATS}, room ringLimit ${RING_LIMIT || '0 (every available agent)'}, chats last ${CHAT_S} s; queue-status rounds ≥ ${STATUS_MS} ms apart`,
    `customers             ${convs.length}/${N} started, target ${RATE}/s for ${DURATION_S} s, achieved ${(convs.length / (res.rampMs / 1000)).toFixed(1)}/s; ${convs.filter((x) => x.selfAt).length} in their room, ${convs.filter((x) => x.firstInviteAt).length} offered${res.offeredAll ? '' : ' (NOT ALL)'}, ${convs.filter((x) => x.servedAt).length} served`,
    `join → self-presence  ${fmt(joinToSelf)}`,
    `join → first offer    customer's self-presence → the first agent's invitation:`,
    `${pad}${fmt(fromSelf)}`,
    `${pad}target p99 ≤ 20 ms: ${verdict(fromSelf.p99, 20)}`,
    `${pad}(from the join presence sent: p50 ${ms(fromJoin.p50)}, p99 ${ms(fromJoin.p99)}, max ${ms(fromJoin.max)})`,
    `offer → agent in room ${fmt(offerToServed)}`,
    `offers                ${offers.byStatus}; most active chats of one agent at the end: ${maxActive} (limit ${MAX_CHATS})`,
    ...dispatchLines(s, dispatchesFrom, firstOffersFrom),
    `CPU seconds (node = ${FORK ? 'the server process; clients = the bench clients\' process' : 'this process: server + clients'}; prosody and postgres with their children):`,
    cpuLine('customers arriving', cpu[0]!, cpu[1]!),
    `event loop delay      ${FORK ? 'server process' : 'server + clients'} while customers arrived: ${loopRamp}; after, until all served: ${loopAfter}`,
    ...(FORK ? [`                      clients' process while customers arrived: ${res.loopDelay}`] : []),
    ...(res.problems.length ? [`problems              ${res.problems.map(([k, v]) => `${k} ×${v}`).join('; ')}`] : []),
  ];
}

async function cleanup(): Promise<void> {
  log('stopping the clients, the worker, Prosody and PostgreSQL');
  await withTimeout(clients?.stop() ?? Promise.resolve(), 90_000, 'clients stop').catch((e: Error) => log(e.message));
  await withTimeout(stack?.stop() ?? Promise.resolve(), 15_000, 'worker stop').catch((e: Error) => log(e.message));
  await withTimeout(stopTestEnv(), 30_000, 'servers stop').catch((e: Error) => log(e.message));
}

async function main(): Promise<number> {
  let code = 0;
  let fail: (e: Error) => void = () => {};
  const stopped = new Promise<never>((_, rej) => { fail = rej; });
  const overall = setTimeout(() => fail(new Error(`overall timeout of ${TIMEOUT_S} s`)), TIMEOUT_S * 1000);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => fail(new Error(`stopped by ${sig}`)));
  try {
    process.stdout.write((await Promise.race([run(), stopped])).join('\n') + '\n');
  } catch (e) {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    code = 1;
  } finally {
    clearTimeout(overall);
    setTimeout(() => { process.stderr.write('cleanup took over 120 s: exiting anyway\n'); process.exit(3); }, 120_000).unref();
    await cleanup();
  }
  return code;
}

process.exit(await main());
