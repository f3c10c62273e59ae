// Benchmark of the chat loop on the real stack (Prosody, PostgreSQL, our
// component, the /xmpp-websocket proxy): N customers ramped in, offered to
// agents (the first invited agent with room joins), then customer → agent
// messages at a steady rate. Prints latencies, throughput, losses and CPU.
//   node dist/bench/chat-loop.js [--conversations 500] [--messages 20] [--join-rate 50]
//     [--msg-rate 500] [--max-chats 3] [--ring-limit 0] [--serve-timeout s] [--timeout 600]   (or BENCH_* variables;
//     BENCH_DUMP=file writes each message's send time, latency and room for analysis)
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { onlineAgent, startStack, untilAvailable, type Stack } from '../test/support/stack.js';
import { stopTestEnv } from '../test/support/env.js';
import { groupchat, joinPresence, NS_MUC_USER, TestClient, type Element } from '../test/support/xmpp.js';
import { childPid, cpuLine, cpuSnapshot, fmt, LoopDelay, ms, numOption, offerStats, paced, pool, setRingLimit, sleep, summarize, verdict, waitFor, withTimeout, type CpuSnapshot } from './lib.js';

const N = Math.floor(numOption('conversations', 'BENCH_CONVERSATIONS', 500));
const M = Math.floor(numOption('messages', 'BENCH_MESSAGES', 20));
const JOIN_RATE = numOption('join-rate', 'BENCH_JOIN_RATE', 50);
const MSG_RATE = numOption('msg-rate', 'BENCH_MSG_RATE', 500);
const MAX_CHATS = Math.floor(numOption('max-chats', 'BENCH_MAX_CHATS', 3));
/** The room's ringLimit for the run: 0 = every available agent (quickest reply's default). */
const RING_LIMIT = Math.floor(numOption('ring-limit', 'BENCH_RING_LIMIT', 0, { zero: true }));
const TIMEOUT_S = numOption('timeout', 'BENCH_TIMEOUT', 600);
const SERVE_S = numOption('serve-timeout', 'BENCH_SERVE_TIMEOUT', 60 + (2 * N) / JOIN_RATE);
const AGENTS = Math.ceil(N / MAX_CHATS);

interface Agent { i: number; client: TestClient; jid: string; nick: string; load: number }
interface Conv {
  i: number; id: string; token: string; roomJid: string; password: string; nick: string; client?: TestClient;
  joinSentAt?: number; selfAt?: number; firstInviteAt?: number; servedAt?: number;
  invited: Agent[]; joining?: Agent; agent?: Agent; refusals: number; lastRecv: number; assisted?: boolean;
}

const convs: Conv[] = [];
const byRoom = new Map<string, Conv>();
const agents: Agent[] = [];
const clients: TestClient[] = [];
const errors = new Map<string, number>();
const note = (what: string): void => { errors.set(what, (errors.get(what) ?? 0) + 1); };
let aborted = false;
let stack: Stack | undefined;
let sendAt = new Float64Array(0);
let recvAt = new Float64Array(0);
let received = 0, duplicates = 0, outOfOrder = 0, lastRecvAt = 0;

const log = (s: string) => process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${s}\n`);
/** TestClient records every stanza for waitFor(); the bench reads stanzas from events instead. */
const noHistory = (c: TestClient) => { c.stanzas.push = () => 0; };
const selfPresence = (el: Element) => !!el.getChild('x', NS_MUC_USER)?.getChildren('status').some((s) => s.attrs.code === '110');

function tryAssign(c: Conv): void {
  if (c.agent || c.joining) return;
  const a = c.invited.find((x) => x.load < MAX_CHATS);
  if (!a) return;
  a.load++;
  c.joining = a;
  a.client.send(joinPresence(c.roomJid, a.nick, c.password)).catch(() => note('agent join send failed'));
}

function onAgentStanza(a: Agent, el: Element): void {
  const from = el.attrs.from ?? '';
  const now = performance.now();
  if (el.is('message')) {
    const body = el.getChildText('body');
    if (body?.startsWith('b:') && el.attrs.type === 'groupchat') {
      const idx = Number(body.slice(2));
      if (recvAt[idx] !== 0) { duplicates++; return; }
      recvAt[idx] = now;
      received++;
      lastRecvAt = now;
      const c = byRoom.get(from.split('/')[0]!);
      if (c) { if (idx < c.lastRecv) outOfOrder++; c.lastRecv = idx; }
      return;
    }
    const invite = el.getChild('x', NS_MUC_USER)?.getChild('invite');
    const c = invite ? byRoom.get(from) : undefined;
    if (!c) return;
    c.firstInviteAt ??= now;
    c.invited.push(a);
    tryAssign(c);
    return;
  }
  if (!el.is('presence')) return;
  const c = byRoom.get(from.split('/')[0]!);
  if (!c || c.joining !== a) return;
  if (el.attrs.type === 'error') {
    const cond = el.getChild('error')?.getChildElements().find((x) => x.name !== 'text')?.name ?? 'unknown';
    note(`agent join refused: ${cond}`);
    c.refusals++;
    a.load--;
    c.joining = undefined;
    c.invited = c.invited.filter((x) => x !== a);
    tryAssign(c);
  } else if (el.attrs.type === undefined && selfPresence(el)) {
    c.agent = a;
    c.joining = undefined;
    c.servedAt = now;
  }
}

async function startAgents(s: Stack): Promise<void> {
  await pool(Array.from({ length: AGENTS }, (_, i) => i), 8, async (i) => {
    if (aborted) return;
    const o = await onlineAgent(s, `Agent${i}`, { maxChats: MAX_CHATS });
    clients.push(o.client);
    noHistory(o.client);
    const a: Agent = { i, client: o.client, jid: o.jid, nick: o.nick, load: 0 };
    o.client.xmpp.on('stanza', (el: Element) => onAgentStanza(a, el));
    o.client.xmpp.on('disconnect', () => { if (!aborted) note('agent connection lost'); });
    agents.push(a);
    await untilAvailable(s, o.jid);
  });
}

async function startCustomer(s: Stack, i: number): Promise<void> {
  const form = { name: `Customer ${i}`, email: `c${i}@example.com`, message: `Hello from customer ${i}` };
  const res = await fetch(`${s.cfg.publicUrl}/api/v1/rooms/general/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(form) });
  if (res.status !== 201) throw new Error(`start conversation: ${res.status}`);
  const st = await res.json() as { id: string; customerToken: string; roomJid: string; password: string; nick: string; guestDomain: string };
  const c: Conv = { i, id: st.id, token: st.customerToken, roomJid: st.roomJid, password: st.password, nick: st.nick, invited: [], refusals: 0, lastRecv: -1 };
  convs.push(c);
  byRoom.set(c.roomJid, c);
  const client = await TestClient.guest({ url: `ws://127.0.0.1:${s.cfg.httpPort}/xmpp-websocket`, domain: st.guestDomain });
  clients.push(client);
  c.client = client;
  noHistory(client);
  client.xmpp.on('stanza', (el: Element) => {
    if (c.selfAt === undefined && el.is('presence') && el.attrs.type === undefined && el.attrs.from === `${c.roomJid}/${c.nick}` && selfPresence(el)) c.selfAt = performance.now();
    if (el.attrs.type === 'error') note(`customer got ${el.name} error: ${el.getChild('error')?.getChildElements().map((x) => x.name === 'text' ? `"${x.getText()}"` : x.name).join(' ')}`);
  });
  client.xmpp.on('disconnect', () => { if (!aborted) note('customer connection lost'); });
  c.joinSentAt = performance.now();
  await client.send(joinPresence(c.roomJid, c.nick, c.password));
}

async function run(): Promise<string[]> {
  const loop = new LoopDelay();
  log(`starting PostgreSQL, Prosody and Switchboard`);
  const s = (stack = await startStack());
  const pids = { prosody: s.env.prosody.child.pid, postgres: childPid('postgres') };
  const cpu: CpuSnapshot[] = [cpuSnapshot(pids)];
  await setRingLimit(s.sb, RING_LIMIT);
  log(`creating ${AGENTS} agents (maxChats ${MAX_CHATS}) and logging them in`);
  await startAgents(s);
  cpu.push(cpuSnapshot(pids));
  const loopSetup = loop.take();
  // A warm server: open the worker's whole PostgreSQL pool (a cold connection costs ~10 ms
  // of SCRAM; pg.Pool closes idle ones after 10 s) before measuring.
  await Promise.all(Array.from({ length: 20 }, () => s.sb.db.query('SELECT pg_sleep(0.05)')));

  // ---- phase 1: customers ramped in; the first invited agent with room joins ----
  log(`ramping in ${N} customers at ${JOIN_RATE}/s`);
  const rampStart = performance.now();
  const starts: Promise<void>[] = [];
  const rampMs = await paced(N, JOIN_RATE, (i) => {
    starts.push(startCustomer(s, i).catch((e: Error) => note(`customer start: ${e.message}`)));
  }, () => aborted);
  await Promise.all(starts);
  const served = () => convs.filter((c) => c.agent).length;
  const progress = () => `${convs.filter((c) => c.selfAt).length}/${N} joined, ${convs.filter((c) => c.firstInviteAt).length} offered, ${served()} served, ${convs.filter((c) => c.joining).length} agent joins unanswered`;
  const offersLine = async () => { const o = await offerStats(s.sb.db); return `pending offers ${o.pending}, ${o.stale} of them on conversations already taken`; };
  let last = '', lastChange = performance.now();
  const allServed = await waitFor(() => {
    const p = progress();
    if (p !== last) { last = p; lastChange = performance.now(); }
    return convs.every((c) => c.agent) || performance.now() - lastChange > 10_000;
  }, Math.max(0, SERVE_S * 1000 - (performance.now() - rampStart)), () => void offersLine().then((o) => log(`${progress()}; ${o}`))) && convs.every((c) => c.agent);
  let stallLine = '';
  if (!allServed) {
    // Routing stalled or is too slow: so that the message phase still has every conversation,
    // agents with room join the rest directly (the bench knows the passwords), as an agent
    // picking a chat from a queue would. Those are left out of join → offer.
    const why = performance.now() - lastChange > 10_000 ? 'no progress for 10 s' : `--serve-timeout ${SERVE_S.toFixed(0)} s reached`;
    stallLine = `${progress()} ${((performance.now() - rampStart) / 1000).toFixed(0)} s after the ramp began (${why}); ${await offersLine()}`;
    log(`routing stalled (${stallLine}): agents now join the unoffered conversations directly`);
    for (const c of convs) if (!c.agent && !c.joining) { c.assisted = c.firstInviteAt === undefined; c.invited = [...agents]; tryAssign(c); }
    await waitFor(() => convs.every((c) => c.agent), 60_000, () => log(progress()));
  }
  cpu.push(cpuSnapshot(pids));
  const loopJoin = loop.take();
  const offersAtEnd = await offerStats(s.sb.db);
  // Unserved customers end their chat and pending offers are left to time out, so the
  // message phase is not mixed with routing work.
  const unserved = convs.filter((c) => !c.agent);
  if (unserved.length) note(`${unserved.length} conversations never served (ended by their customers before the message phase)`);
  await pool(unserved, 10, async (c) => {
    const r = await fetch(`${s.cfg.publicUrl}/api/v1/conversations/${c.id}/end`, { method: 'POST', headers: { authorization: `Bearer ${c.token}` } });
    if (r.status !== 204) note(`end conversation: ${r.status}`);
  });
  if (offersAtEnd.pending) log(`waiting for ${offersAtEnd.pending} pending offers to time out (offer timeout 30 s)`);
  for (const end = performance.now() + 45_000; performance.now() < end && !aborted && (await offerStats(s.sb.db)).pending > 0;) await sleep(500);
  await sleep(1000); // expiry notices drain

  // ---- phase 2: customer → agent messages at a steady total rate ----
  const active = convs.filter((c) => c.agent && c.client);
  log(`${active.length}/${N} conversations active; 1 s of unmeasured warm-up messages, then ${M} each at ${MSG_RATE} msg/s`);
  await paced(Math.ceil(MSG_RATE), MSG_RATE, (i) => void active[i % active.length]!.client!.send(groupchat(active[i % active.length]!.roomJid, `w:${i}`)).catch(() => {}), () => aborted);
  await sleep(500);
  loop.take();
  const cpuMsgStart = cpuSnapshot(pids);
  const total = active.length * M;
  sendAt = new Float64Array(total);
  recvAt = new Float64Array(total);
  let sendErrors = 0;
  const sendMs = await paced(total, MSG_RATE, (idx) => {
    const c = active[idx % active.length]!;
    sendAt[idx] = performance.now();
    c.client!.send(groupchat(c.roomJid, `b:${idx}`)).catch(() => sendErrors++);
  }, () => aborted);
  const sendEnd = performance.now();
  await waitFor(() => received >= total, 30_000, () => log(`received ${received}/${total}`), 2000);
  cpu.push(cpuSnapshot(pids));
  const loopMsg = loop.take();
  loop.stop();

  // ---- results ----
  const lat: number[] = [];
  for (let i = 0; i < total; i++) if (recvAt[i]! > 0) lat.push(recvAt[i]! - sendAt[i]!);
  const organic = convs.filter((c) => !c.assisted && c.firstInviteAt !== undefined);
  const offerFromSelf = summarize(organic.filter((c) => c.selfAt !== undefined).map((c) => c.firstInviteAt! - c.selfAt!));
  const offerFromJoin = summarize(organic.map((c) => c.firstInviteAt! - c.joinSentAt!));
  const joinToSelf = summarize(convs.filter((c) => c.selfAt !== undefined).map((c) => c.selfAt! - c.joinSentAt!));
  const offerToServed = summarize(organic.filter((c) => c.servedAt !== undefined).map((c) => c.servedAt! - c.firstInviteAt!));
  const msg = summarize(lat);
  if (process.env.BENCH_DUMP) { // per message: send time (ms since first send), latency (ms, -1 = lost), room index
    writeFileSync(process.env.BENCH_DUMP, Array.from(sendAt, (t, i) => `${(t - sendAt[0]!).toFixed(3)} ${recvAt[i]! > 0 ? (recvAt[i]! - t).toFixed(3) : -1} ${i % active.length}`).join('\n') + '\n');
  }
  const perAgent = new Map<number, number>();
  for (const c of convs) if (c.agent) perAgent.set(c.agent.i, (perAgent.get(c.agent.i) ?? 0) + 1);
  const assisted = convs.filter((c) => c.assisted).length;
  const pad = ' '.repeat(21);
  const out = [
    '',
    '=== Switchboard chat-loop benchmark ===',
    'NOTE: the server AND all clients (customers over WebSocket, agents over TCP) run in this ONE Node process',
    `      on ${cpus().length} cores, all on 127.0.0.1: client work competes with the server for the event loop and CPU,`,
    '      so latencies are pessimistic for the server and the "node" CPU figures include the clients.',
    `conversations        ${N} requested, ${convs.filter((c) => c.selfAt).length} customers in their room, ${served()} served (${served() - assisted} through offers, ${assisted} joined directly by the bench)`,
    `agents               ${agents.length} logged in, maxChats ${MAX_CHATS}, room ringLimit ${RING_LIMIT || '0 (every available agent)'}; ${perAgent.size} got chats, busiest has ${Math.max(0, ...perAgent.values())} (limit ${MAX_CHATS})`,
    `join ramp            target ${JOIN_RATE} customers/s, achieved ${(N / (rampMs / 1000)).toFixed(1)}/s (customer = HTTP form POST + anonymous WebSocket login + MUC join)`,
    `join → self-presence ${fmt(joinToSelf)}`,
    `join → offer         customer self-presence → the FIRST agent's invitation (conversations offered by routing):`,
    `${pad}${fmt(offerFromSelf)}`,
    `${pad}target p99 ≤ 20 ms: ${verdict(offerFromSelf.p99, 20)}`,
    `${pad}(from the join presence sent: p50 ${ms(offerFromJoin.p50)}, p99 ${ms(offerFromJoin.p99)}, max ${ms(offerFromJoin.max)})`,
    ...(stallLine ? [`${pad}ROUTING STALLED: ${stallLine}`, `${pad}${assisted} conversations had no offer then: the bench's agents joined them directly (left out above)`] : []),
    `offer → agent in room ${fmt(offerToServed)}   agent join refusals: ${convs.reduce((n, c) => n + c.refusals, 0)}`,
    `offers               after phase 1: ${offersAtEnd.byStatus}; pending on conversations already taken: ${offersAtEnd.stale}`,
    `messages             ${active.length} conversations × ${M} = ${total} customer → agent, target ${MSG_RATE} msg/s total`,
    `${pad}sent at ${(total / (sendMs / 1000)).toFixed(1)} msg/s; received at ${(received / ((lastRecvAt - (sendAt[0] ?? 0)) / 1000)).toFixed(1)} msg/s (first send → last receipt)`,
    `message latency      ${fmt(msg)}`,
    `${pad}target p99 ≤ 10 ms: ${verdict(msg.p99, 10)}`,
    `lost                 ${total - received} of ${total} (duplicates ${duplicates}, out of order within a room ${outOfOrder}, send errors ${sendErrors}; waited ${((performance.now() - sendEnd) / 1000).toFixed(1)} s after the last send)`,
    'CPU seconds (node = this process: server + clients; prosody and postgres include their child processes):',
    cpuLine(`setup (${agents.length} agents)`, cpu[0]!, cpu[1]!),
    cpuLine('customers join + offers', cpu[1]!, cpu[2]!),
    cpuLine('messages', cpuMsgStart, cpu[3]!),
    cpuLine('whole run', cpu[0]!, cpu[3]!),
    `event loop delay     setup ${loopSetup} | joins ${loopJoin} | messages ${loopMsg}`,
  ];
  // Rooms that lost messages: what the MUC service knows of them, against our clients.
  const lossy = active.filter((_, r) => { for (let i = r; i < total; i += active.length) if (!recvAt[i]) return true; return false; });
  for (const c of lossy.slice(0, 3)) {
    const room = s.sb.muc.rooms.get(c.roomJid.split('@')[0]!);
    const occ = room ? [...room.occupants.values()].map((o) => `${o.kind} ${o.realJid}`).join(', ') : 'room not in memory';
    out.push(`lossy room           ${c.roomJid}: occupants [${occ}]; customer client ${c.client?.jid} (now ${c.client?.xmpp.jid}), agent ${c.agent?.client.jid} (now ${c.agent?.client.xmpp.jid})`);
  }
  if (errors.size) out.push(`problems             ${[...errors].map(([k, v]) => `${k} ×${v}`).join('; ')}`);
  return out;
}

async function cleanup(): Promise<void> {
  aborted = true;
  log(`stopping ${clients.length} clients, the worker, Prosody and PostgreSQL`);
  await pool(clients, 100, (c) => withTimeout(c.stop(), 3000, 'client stop').catch(() => {}));
  await withTimeout(stack?.stop() ?? Promise.resolve(), 15_000, 'worker stop').catch((e: Error) => log(e.message));
  await withTimeout(stopTestEnv(), 30_000, 'servers stop').catch((e: Error) => log(e.message));
}

async function main(): Promise<number> {
  let code = 0;
  let fail: (e: Error) => void = () => {};
  const stopped = new Promise<never>((_, rej) => { fail = (e) => { aborted = true; rej(e); }; });
  const overall = setTimeout(() => fail(new Error(`overall timeout of ${TIMEOUT_S} s`)), TIMEOUT_S * 1000);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => fail(new Error(`stopped by ${sig}`)));
  try {
    process.stdout.write((await Promise.race([run(), stopped])).join('\n') + '\n');
  } catch (e) {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    code = 1;
  } finally {
    clearTimeout(overall);
    setTimeout(() => { process.stderr.write('cleanup took over 60 s: exiting anyway\n'); process.exit(3); }, 60_000).unref();
    await cleanup();
  }
  return code;
}

process.exit(await main());
