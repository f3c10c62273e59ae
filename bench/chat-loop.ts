// Benchmark of the chat loop on the real stack (Prosody, PostgreSQL, our
// component, the /xmpp-websocket proxy): N customers ramped in, offered to
// agents (the first invited agent with room joins), then customer → agent
// messages at a steady rate. Prints latencies, throughput, losses and CPU.
//   node dist/bench/chat-loop.js [--conversations 500] [--messages 20] [--join-rate 50]
//     [--msg-rate 500] [--max-chats 3] [--ring-limit 0] [--serve-timeout s] [--timeout 600]
//     [--fork 1|0]   (or BENCH_* variables; BENCH_DUMP=file writes each message's send time,
//     latency and room for analysis)
// The agents and customers (bench/chat-loop-clients.ts) run in a child process by default
// (--fork 0: in this one, as before), so this process is the server alone and its event
// loop delay is the server's; the clients time everything in their own clock.
import { writeFileSync } from 'node:fs';
import type { Element } from '@xmpp/xml';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startStack, untilAvailable, type Stack } from '../test/support/stack.js';
import { benchMain, childPid, cpuLine, cpuSnapshot, createAgents, fmt, linkClients, log, LoopDelay, ms, numOption, offerStats, setRingLimit, sleep, stopAll, summarize, verdict, type ClientsLink, type CpuSnapshot } from './lib.js';
import { chatClients, type ChatOptions, type ChatResults, type FromClients, type Phase1, type ToClients } from './chat-loop-clients.js';

const N = Math.floor(numOption('conversations', 'BENCH_CONVERSATIONS', 500));
const M = Math.floor(numOption('messages', 'BENCH_MESSAGES', 20));
const JOIN_RATE = numOption('join-rate', 'BENCH_JOIN_RATE', 50);
const MSG_RATE = numOption('msg-rate', 'BENCH_MSG_RATE', 500);
const MAX_CHATS = Math.floor(numOption('max-chats', 'BENCH_MAX_CHATS', 3));
/** The room's ringLimit for the run: 0 = every available agent (quickest reply's default). */
const RING_LIMIT = Math.floor(numOption('ring-limit', 'BENCH_RING_LIMIT', 0, { zero: true }));
const TIMEOUT_S = numOption('timeout', 'BENCH_TIMEOUT', 600);
const SERVE_S = numOption('serve-timeout', 'BENCH_SERVE_TIMEOUT', 60 + (2 * N) / JOIN_RATE);
const FORK = numOption('fork', 'BENCH_FORK', 1, { zero: true }) > 0;
const AGENTS = Math.ceil(N / MAX_CHATS);

let aborted = false;
let stack: Stack | undefined;
let clients: ClientsLink<ToClients, FromClients> | undefined;

/**
 * When the MUC service got each measured message and when it sent it on (this process's
 * clock), to split a message's latency into before, in and after our component.
 */
function tapComponent(s: Stack): { inAt: Map<number, number>; outAt: Map<number, number> } {
  const inAt = new Map<number, number>(), outAt = new Map<number, number>();
  const idx = (el: Element) => { const b = el.is('message') ? el.getChildText('body') : null; return b?.startsWith('b:') ? Number(b.slice(2)) : -1; };
  s.sb.muc.component.on('stanza', (el: Element) => { const i = idx(el); if (i >= 0) inAt.set(i, performance.now()); });
  const send = s.sb.muc.send.bind(s.sb.muc);
  s.sb.muc.send = (...els: Element[]) => { for (const el of els) { const i = idx(el); if (i >= 0 && !outAt.has(i)) outAt.set(i, performance.now()); } send(...els); };
  return { inAt, outAt };
}

async function run(): Promise<string[]> {
  const loop = new LoopDelay();
  log(`starting PostgreSQL, Prosody and Switchboard`);
  const s = (stack = await startStack());
  await setRingLimit(s.sb, RING_LIMIT);
  const c = (clients = linkClients({ fork: FORK, module: new URL('./chat-loop-clients.js', import.meta.url), local: chatClients }));
  const pids = { prosody: s.env.prosody.child.pid, postgres: childPid('postgres'), clients: c.pid };
  const cpu: CpuSnapshot[] = [cpuSnapshot(pids)];
  log(`creating ${AGENTS} agents (maxChats ${MAX_CHATS}) and logging them in (${FORK ? `in the clients' process ${c.pid}` : 'in this process'})`);
  const logins = await createAgents(s, AGENTS, 'Agent', MAX_CHATS);
  const opts: ChatOptions = {
    maxChats: MAX_CHATS, count: N, joinRate: JOIN_RATE, messages: M, msgRate: MSG_RATE, serveS: SERVE_S,
    c2sPort: s.cfg.xmppC2sPort, publicUrl: s.cfg.publicUrl, wsUrl: `ws://127.0.0.1:${s.cfg.httpPort}/xmpp-websocket`,
  };
  await c.ask({ cmd: 'agents', agents: logins, opts }, (m) => (m.ev === 'online' && m.n === logins.length ? true : undefined), (m) => { if (m.ev === 'online') log(`${m.n} agents logged in`); });
  for (const l of logins) await untilAvailable(s, l.jid);
  cpu.push(cpuSnapshot(pids));
  const loopSetup = loop.take();
  // A warm server: open the worker's whole PostgreSQL pool (a cold connection costs ~10 ms
  // of SCRAM; pg.Pool closes idle ones after 10 s) before measuring.
  await Promise.all(Array.from({ length: 20 }, () => s.sb.db.query('SELECT pg_sleep(0.05)')));

  // ---- phase 1: customers ramped in; the first invited agent with room joins ----
  log(`ramping in ${N} customers at ${JOIN_RATE}/s`);
  const offersLine = async () => { const o = await offerStats(s.sb.db); return `pending offers ${o.pending}, ${o.stale} of them on conversations already taken`; };
  const p1: Phase1 = await c.ask({ cmd: 'ramp' }, (m) => (m.ev === 'joined' ? m.phase : undefined), (m) => { if (m.ev === 'progress') void offersLine().then((o) => log(`${m.text}; ${o}`)); });
  let stallLine = '';
  if (!p1.allServed) {
    const why = p1.idle ? 'no progress for 10 s' : `--serve-timeout ${SERVE_S.toFixed(0)} s reached`;
    stallLine = `${p1.progress} ${p1.afterS.toFixed(0)} s after the ramp began (${why}); ${await offersLine()}`;
    log(`routing stalled (${stallLine}): agents now join the unoffered conversations directly`);
    await c.ask({ cmd: 'assist' }, (m) => (m.ev === 'assisted' ? true : undefined));
  }
  cpu.push(cpuSnapshot(pids));
  const loopJoin = loop.take();
  const offersAtEnd = await offerStats(s.sb.db);
  // Pending offers are left to time out, so the message phase is not mixed with routing work.
  await c.ask({ cmd: 'end-unserved' }, (m) => (m.ev === 'ended' ? true : undefined));
  if (offersAtEnd.pending) log(`waiting for ${offersAtEnd.pending} pending offers to time out (offer timeout 30 s)`);
  for (const end = performance.now() + 45_000; performance.now() < end && !aborted && (await offerStats(s.sb.db)).pending > 0;) await sleep(500);
  await sleep(1000); // expiry notices drain

  // ---- phase 2: customer → agent messages at a steady total rate ----
  const tap = tapComponent(s);
  let cpuMsgStart = cpuSnapshot(pids);
  const r = await c.ask({ cmd: 'messages' }, (m) => (m.ev === 'results' ? m.results : undefined), (m) => { if (m.ev === 'measuring') { loop.take(); cpuMsgStart = cpuSnapshot(pids); } });
  cpu.push(cpuSnapshot(pids));
  const loopMsg = loop.take();
  loop.stop();
  return report(s, { r, p1, tap, cpu, cpuMsgStart, stallLine, offersAtEnd, loops: { setup: loopSetup, joins: loopJoin, messages: loopMsg } });
}

function report(s: Stack, o: { r: ChatResults; p1: Phase1; tap: ReturnType<typeof tapComponent>; cpu: CpuSnapshot[]; cpuMsgStart: CpuSnapshot; stallLine: string; offersAtEnd: { byStatus: string; stale: number }; loops: Record<'setup' | 'joins' | 'messages', string> }): string[] {
  const { r, cpu } = o;
  const { convs, sendAt, recvAt, total } = r;
  const lat: number[] = [];
  for (let i = 0; i < total; i++) if (recvAt[i]! > 0) lat.push(recvAt[i]! - sendAt[i]!);
  const organic = convs.filter((c) => !c.assisted && c.firstInviteAt !== undefined);
  const offerFromSelf = summarize(organic.filter((c) => c.selfAt !== undefined).map((c) => c.firstInviteAt! - c.selfAt!));
  const offerFromJoin = summarize(organic.map((c) => c.firstInviteAt! - c.joinSentAt!));
  const joinToSelf = summarize(convs.filter((c) => c.selfAt !== undefined).map((c) => c.selfAt! - c.joinSentAt!));
  const offerToServed = summarize(organic.filter((c) => c.servedAt !== undefined).map((c) => c.servedAt! - c.firstInviteAt!));
  const msg = summarize(lat);
  // The clients' clock on this process's (both count from their process's start).
  const shift = r.timeOrigin - performance.timeOrigin;
  const split = { up: [] as number[], comp: [] as number[], down: [] as number[] };
  for (let i = 0; i < total; i++) {
    const a = o.tap.inAt.get(i), b = o.tap.outAt.get(i);
    if (!(recvAt[i]! > 0) || a === undefined || b === undefined) continue;
    split.up.push(a - (sendAt[i]! + shift)); split.comp.push(b - a); split.down.push(recvAt[i]! + shift - b);
  }
  const part = (xs: number[]) => { const x = summarize(xs); return `p50 ${ms(x.p50)}, p99 ${ms(x.p99)}, max ${ms(x.max)}`; };
  if (process.env.BENCH_DUMP) { // per message: send time (ms since first send), latency (ms, -1 = lost), room index
    writeFileSync(process.env.BENCH_DUMP, Array.from(sendAt, (t, i) => `${(t - sendAt[0]!).toFixed(3)} ${recvAt[i]! > 0 ? (recvAt[i]! - t).toFixed(3) : -1} ${i % r.active}`).join('\n') + '\n');
  }
  const perAgent = new Map<number, number>();
  for (const c of convs) if (c.agent !== undefined) perAgent.set(c.agent, (perAgent.get(c.agent) ?? 0) + 1);
  const served = convs.filter((c) => c.agent !== undefined).length;
  const assisted = convs.filter((c) => c.assisted).length;
  const pad = ' '.repeat(21);
  const where = FORK ? 'the clients\' process' : 'this process';
  const out = [
    '',
    '=== Switchboard chat-loop benchmark ===',
    FORK
      ? `NOTE: the server runs in this Node process; the ${r.agents} agents (TCP) and the customers (WebSocket through our /xmpp-websocket) in a child process,`
      : `NOTE: the server and every client (${r.agents} agents over TCP, customers over WebSocket through our /xmpp-websocket) share this ONE Node process (--fork 0),`,
    `      on ${cpus().length} cores with Prosody and PostgreSQL, all on 127.0.0.1; latencies are taken in ${where}'s clock (receive − send).`,
    FORK
      ? '      The machine may be shared: see "other processes" below.'
      : '      Client work competes with the server for the event loop and CPU: latencies are pessimistic for the server.',
    `conversations        ${N} requested, ${convs.filter((c) => c.selfAt).length} customers in their room, ${served} served (${served - assisted} through offers, ${assisted} joined directly by the bench)`,
    `agents               ${r.agents} logged in, maxChats ${MAX_CHATS}, room ringLimit ${RING_LIMIT || '0 (every available agent)'}; ${perAgent.size} got chats, busiest has ${Math.max(0, ...perAgent.values())} (limit ${MAX_CHATS})`,
    `join ramp            target ${JOIN_RATE} customers/s, achieved ${(N / (o.p1.rampMs / 1000)).toFixed(1)}/s (customer = HTTP form POST + anonymous WebSocket login + MUC join)`,
    `join → self-presence ${fmt(joinToSelf)}`,
    `join → offer         customer self-presence → the FIRST agent's invitation (conversations offered by routing):`,
    `${pad}${fmt(offerFromSelf)}`,
    `${pad}target p99 ≤ 20 ms: ${verdict(offerFromSelf.p99, 20)}`,
    `${pad}(from the join presence sent: p50 ${ms(offerFromJoin.p50)}, p99 ${ms(offerFromJoin.p99)}, max ${ms(offerFromJoin.max)})`,
    ...(o.stallLine ? [`${pad}ROUTING STALLED: ${o.stallLine}`, `${pad}${assisted} conversations had no offer then: the bench's agents joined them directly (left out above)`] : []),
    `offer → agent in room ${fmt(offerToServed)}   agent join refusals: ${convs.reduce((n, c) => n + c.refusals, 0)}`,
    `offers               after phase 1: ${o.offersAtEnd.byStatus}; pending on conversations already taken: ${o.offersAtEnd.stale}`,
    `messages             ${r.active} conversations × ${M} = ${total} customer → agent, target ${MSG_RATE} msg/s total`,
    `${pad}sent at ${(total / (r.sendMs / 1000)).toFixed(1)} msg/s; received at ${(r.received / ((r.lastRecvAt - (sendAt[0] ?? 0)) / 1000)).toFixed(1)} msg/s (first send → last receipt)`,
    `message latency      ${fmt(msg)}`,
    `${pad}target p99 ≤ 10 ms: ${verdict(msg.p99, 10)}`,
    `${pad}split at our MUC service (n=${split.up.length}${FORK ? '; two processes\' clocks, aligned by their time origins' : ''}):`,
    `${pad}  customer → service (WebSocket, our proxy, Prosody) ${part(split.up)}`,
    `${pad}  in the service (stored, then fanned out)          ${part(split.comp)}`,
    `${pad}  service → agent (Prosody, TCP)                     ${part(split.down)}`,
    `lost                 ${total - r.received} of ${total} (duplicates ${r.duplicates}, out of order within a room ${r.outOfOrder}, send errors ${r.sendErrors}; waited ${r.waitedS.toFixed(1)} s after the last send)`,
    `CPU seconds (node = ${FORK ? 'the server process; clients = the bench clients\' process' : 'this process: server + clients'}; prosody and postgres include their child processes):`,
    cpuLine(`setup (${r.agents} agents)`, cpu[0]!, cpu[1]!),
    cpuLine('customers join + offers', cpu[1]!, cpu[2]!),
    cpuLine('messages', o.cpuMsgStart, cpu[3]!),
    cpuLine('whole run', cpu[0]!, cpu[3]!),
    `event loop delay     ${FORK ? 'server process' : 'server + clients'}: setup ${o.loops.setup} | joins ${o.loops.joins} | messages ${o.loops.messages}`,
    ...(FORK ? [`${pad}clients' process: joins ${r.loopJoins} | messages ${r.loopMessages}`] : []),
  ];
  // Rooms that lost messages: what the MUC service knows of them, against the clients.
  for (const l of r.lossy) {
    const room = s.sb.muc.rooms.get(l.room.split('@')[0]!);
    const occ = room ? [...room.occupants.values()].map((x) => `${x.kind} ${x.realJid}`).join(', ') : 'room not in memory';
    out.push(`lossy room           ${l.room}: occupants [${occ}]; customer client ${l.customer}, agent ${l.agent}`);
  }
  if (r.problems.length) out.push(`problems             ${r.problems.map(([k, v]) => `${k} ×${v}`).join('; ')}`);
  return out;
}

process.exit(await benchMain({ run, cleanup: () => stopAll(clients, stack), timeoutS: TIMEOUT_S, graceS: 120, abort: () => { aborted = true; } }));
