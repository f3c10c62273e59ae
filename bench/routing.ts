// Benchmark of routing on the real stack (issue 4): many online agents, a
// steady stream of new chats; measures customer join → first offer at an
// agent. Agents accept the first invitation they have room for and close each
// chat after a while, so the run reaches a steady state; customers leave when
// their chat ends.
//   node dist/bench/routing.js [--agents 1000] [--rate 200] [--duration 30] [--max-chats 3]
//     [--ring-limit 3] [--chat-seconds 5] [--via-proxy 0|1] [--status-throttle-ms 1000] [--timeout 900]
//     [--fork 1|0]   (or BENCH_* variables; BENCH_QUERIES=1 also prints the server's database
//     statements per chat while the customers arrive and are served, by statement)
// The agents and customers (bench/routing-clients.ts) run in a child process by default
// (--fork 0: in this one, as before), so this process is the server alone and its event
// loop delay is the server's. Customers log in on Prosody's WebSocket directly by default
// (--via-proxy 1: through our /xmpp-websocket, as the page does): the proxy is not on the
// join → offer path, and on this 2-core machine its cost for thousands of logins would
// starve the server being measured.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startStack, untilAvailable, type Stack } from '../test/support/stack.js';
import { benchMain, childPid, countQueries, cpuLine, cpuSnapshot, createAgents, fmt, linkClients, log, LoopDelay, ms, numOption, offerStats, setRingLimit, stopAll, summarize, verdict, type ClientsLink, type CpuSnapshot } from './lib.js';
import { routingClients, type ClientOptions, type ClientResults, type FromClients, type ToClients } from './routing-clients.js';

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
let clients: ClientsLink<ToClients, FromClients> | undefined;

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
  const logins = await createAgents(s, AGENTS, 'Router', MAX_CHATS);
  const c = (clients = linkClients({ fork: FORK, module: new URL('./routing-clients.js', import.meta.url), local: routingClients }));
  const opts: ClientOptions = {
    maxChats: MAX_CHATS, rate: RATE, count: N, chatSeconds: CHAT_S, c2sPort: s.cfg.xmppC2sPort, publicUrl: s.cfg.publicUrl,
    customerWsUrl: VIA_PROXY ? `ws://127.0.0.1:${s.cfg.httpPort}/xmpp-websocket` : s.cfg.xmppWebsocketUrl,
  };
  log(`logging ${AGENTS} agents in (${FORK ? `in the clients' process ${c.pid}` : 'in this process'})`);
  await c.ask({ cmd: 'agents', agents: logins, opts }, (m) => (m.ev === 'online' && m.n === logins.length ? true : undefined), (m) => { if (m.ev === 'online' && m.n % 100 === 0) log(`${m.n} agents logged in`); });
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
  const queries = countQueries();
  const res: ClientResults = await c.ask({ cmd: 'run' }, (m) => (m.ev === 'results' ? m.results : undefined), (m) => { if (m.ev === 'ramped') { cpu.push(cpuSnapshot(cpuPids)); loopRamp = loop.take(); } });
  queries.stop();
  if (process.env.BENCH_QUERIES) queries.print(N, 'chat');
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

process.exit(await benchMain({ run, cleanup: () => stopAll(clients, stack), timeoutS: TIMEOUT_S, graceS: 120 }));
