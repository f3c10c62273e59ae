// Benchmark of routing on the real stack (issue 4): many online agents, a
// steady stream of new chats; measures customer join → first offer at an
// agent. Agents accept the first invitation they have room for and close each
// chat after a while, so the run reaches a steady state; customers leave when
// their chat ends.
//   node dist/bench/routing.js [--agents 1000] [--rate 200] [--duration 30] [--max-chats 3]
//     [--ring-limit 3] [--chat-seconds 5] [--via-proxy 0|1] [--status-throttle-ms 1000] [--timeout 900]   (or BENCH_* variables)
// Customers log in on Prosody's WebSocket directly by default (--via-proxy 1: through our
// /xmpp-websocket, as the page does): the proxy is not on the join → offer path, and on this
// 2-core machine its cost for thousands of logins would starve the server being measured.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { onlineAgent, startStack, untilAvailable, type Stack } from '../test/support/stack.js';
import { stopTestEnv } from '../test/support/env.js';
import { groupchat, joinPresence, NS_MUC_USER, TestClient, type Element } from '../test/support/xmpp.js';
import { childPid, cpuLine, cpuSnapshot, fmt, LoopDelay, ms, numOption, offerStats, paced, pool, setRingLimit, summarize, verdict, waitFor, withTimeout, type CpuSnapshot } from './lib.js';

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
const N = Math.round(RATE * DURATION_S);

interface Agent { client: TestClient; nick: string; rooms: Set<string>; joining: Set<string>; deferred: string[] }
interface Conv { id: string; roomJid: string; password: string; nick: string; joinSentAt?: number; selfAt?: number; firstInviteAt?: number; servedAt?: number; endedAt?: number }

const byRoom = new Map<string, Conv>();
const convs: Conv[] = [];
const clients: TestClient[] = [];
const problems = new Map<string, number>();
const note = (what: string) => problems.set(what, (problems.get(what) ?? 0) + 1);
let aborted = false;
let stack: Stack | undefined;
const log = (s: string) => process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${s}\n`);
const isSelf = (el: Element) => !!el.getChild('x', NS_MUC_USER)?.getChildren('status').some((s) => s.attrs.code === '110');

function tryJoin(a: Agent, roomJid: string): void {
  const c = byRoom.get(roomJid);
  if (!c || c.servedAt !== undefined || a.rooms.has(roomJid) || a.joining.has(roomJid)) return;
  if (a.rooms.size + a.joining.size >= MAX_CHATS) { a.deferred.push(roomJid); return; }
  a.joining.add(roomJid);
  a.client.send(joinPresence(roomJid, a.nick, c.password)).catch(() => note('agent join send failed'));
}

function onAgentStanza(a: Agent, el: Element): void {
  const roomJid = (el.attrs.from ?? '').split('/')[0]!;
  const now = performance.now();
  if (el.is('message') && el.getChild('x', NS_MUC_USER)?.getChild('invite')) {
    const c = byRoom.get(roomJid);
    if (c) c.firstInviteAt ??= now;
    tryJoin(a, roomJid);
    return;
  }
  if (!el.is('presence') || (!a.joining.has(roomJid) && !a.rooms.has(roomJid))) return;
  if (el.attrs.type === 'error') { a.joining.delete(roomJid); return; }
  if (el.attrs.type === undefined && isSelf(el) && a.joining.delete(roomJid)) {
    a.rooms.add(roomJid);
    const c = byRoom.get(roomJid);
    if (c) c.servedAt = now;
    setTimeout(() => { if (!aborted) a.client.send(groupchat(roomJid, '!close')).catch(() => note('close send failed')); }, CHAT_S * 1000);
    return;
  }
  if (el.attrs.type === 'unavailable' && isSelf(el) && a.rooms.delete(roomJid)) for (const r of a.deferred.splice(0)) tryJoin(a, r);
}

async function startCustomer(s: Stack, i: number): Promise<void> {
  const res = await fetch(`${s.cfg.publicUrl}/api/v1/rooms/general/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `Customer ${i}`, message: `Hello ${i}` }) });
  if (res.status !== 201) { note(`start conversation: HTTP ${res.status}`); return; }
  const st = await res.json() as { id: string; roomJid: string; password: string; nick: string; guestDomain: string };
  const c: Conv = { id: st.id, roomJid: st.roomJid, password: st.password, nick: st.nick };
  convs.push(c);
  byRoom.set(c.roomJid, c);
  const client = await TestClient.guest({ url: VIA_PROXY ? `ws://127.0.0.1:${s.cfg.httpPort}/xmpp-websocket` : s.cfg.xmppWebsocketUrl, domain: st.guestDomain });
  client.stanzas.push = () => 0;
  clients.push(client);
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

async function run(): Promise<string[]> {
  const loop = new LoopDelay();
  log('starting PostgreSQL, Prosody and Switchboard');
  const s = (stack = await startStack({}, undefined, { queueStatusThrottleMs: STATUS_MS }));
  const pids = { prosody: s.env.prosody.child.pid, postgres: childPid('postgres') };
  await setRingLimit(s.sb, RING_LIMIT);
  log(`creating ${AGENTS} agents (maxChats ${MAX_CHATS}) and logging them in`);
  const agents: Agent[] = [];
  const setupStart = performance.now();
  await pool(Array.from({ length: AGENTS }, (_, i) => i), 8, async (i) => {
    if (aborted) return;
    const o = await onlineAgent(s, `Router${i}`, { maxChats: MAX_CHATS });
    clients.push(o.client);
    o.client.stanzas.push = () => 0;
    const a: Agent = { client: o.client, nick: o.nick, rooms: new Set(), joining: new Set(), deferred: [] };
    o.client.xmpp.on('stanza', (el: Element) => onAgentStanza(a, el));
    agents.push(a);
    await untilAvailable(s, o.jid);
    if (agents.length % 100 === 0) log(`${agents.length} agents online`);
  });
  const setupS = (performance.now() - setupStart) / 1000;
  await Promise.all(Array.from({ length: 20 }, () => s.sb.db.query('SELECT pg_sleep(0.05)'))); // a warm pool
  loop.take();
  const cpu: CpuSnapshot[] = [cpuSnapshot(pids)];

  log(`${N} customers at ${RATE}/s for ${DURATION_S} s; chats last ${CHAT_S} s`);
  const starts: Promise<void>[] = [];
  const rampMs = await paced(N, RATE, (i) => { starts.push(startCustomer(s, i).catch((e: Error) => { note(`customer: ${e.message}`); })); }, () => aborted);
  await Promise.all(starts);
  cpu.push(cpuSnapshot(pids));
  const loopRamp = loop.take();
  const offeredAll = await waitFor(() => convs.every((c) => c.firstInviteAt !== undefined), 60_000, () => log(`${convs.filter((c) => c.firstInviteAt !== undefined).length}/${convs.length} offered`));
  await waitFor(() => convs.every((c) => c.servedAt !== undefined), 60_000, () => log(`${convs.filter((c) => c.servedAt !== undefined).length}/${convs.length} served`));
  const offers = await offerStats(s.sb.db);
  loop.stop();

  const fromSelf = summarize(convs.filter((c) => c.selfAt !== undefined && c.firstInviteAt !== undefined).map((c) => c.firstInviteAt! - c.selfAt!));
  const fromJoin = summarize(convs.filter((c) => c.firstInviteAt !== undefined).map((c) => c.firstInviteAt! - c.joinSentAt!));
  const joinToSelf = summarize(convs.filter((c) => c.selfAt !== undefined).map((c) => c.selfAt! - c.joinSentAt!));
  const offerToServed = summarize(convs.filter((c) => c.servedAt !== undefined && c.firstInviteAt !== undefined).map((c) => c.servedAt! - c.firstInviteAt!));
  const maxActive = (await s.sb.db.query("SELECT coalesce(max(n), 0)::int AS m FROM (SELECT count(*) AS n FROM conversations WHERE status = 'active' GROUP BY agent_id) x")).rows[0].m;
  const pad = ' '.repeat(22);
  return [
    '',
    '=== Switchboard routing benchmark ===',
    `NOTE: the server and every client (${AGENTS} agents over TCP, customers over WebSocket ${VIA_PROXY ? 'through our /xmpp-websocket' : "on Prosody's port directly"}) share this ONE Node process`,
    `      on ${cpus().length} cores; figures are pessimistic for the server. The machine may be shared: see "other processes" below.`,
    `agents                ${agents.length} online (set up in ${setupS.toFixed(0)} s), maxChats ${MAX_CHATS}, room ringLimit ${RING_LIMIT || '0 (every available agent)'}, chats last ${CHAT_S} s; queue-status rounds ≥ ${STATUS_MS} ms apart`,
    `customers             ${convs.length}/${N} started, target ${RATE}/s for ${DURATION_S} s, achieved ${(convs.length / (rampMs / 1000)).toFixed(1)}/s; ${convs.filter((c) => c.selfAt).length} in their room, ${convs.filter((c) => c.firstInviteAt).length} offered${offeredAll ? '' : ' (NOT ALL)'}, ${convs.filter((c) => c.servedAt).length} served`,
    `join → self-presence  ${fmt(joinToSelf)}`,
    `join → first offer    customer's self-presence → the first agent's invitation:`,
    `${pad}${fmt(fromSelf)}`,
    `${pad}target p99 ≤ 20 ms: ${verdict(fromSelf.p99, 20)}`,
    `${pad}(from the join presence sent: p50 ${ms(fromJoin.p50)}, p99 ${ms(fromJoin.p99)}, max ${ms(fromJoin.max)})`,
    `offer → agent in room ${fmt(offerToServed)}`,
    `offers                ${offers.byStatus}; most active chats of one agent at the end: ${maxActive} (limit ${MAX_CHATS})`,
    'CPU seconds (node = this process: server + clients; prosody and postgres with their children):',
    cpuLine('customers arriving', cpu[0]!, cpu[1]!),
    `event loop delay      while customers arrived: ${loopRamp}`,
    ...(problems.size ? [`problems              ${[...problems].map(([k, v]) => `${k} ×${v}`).join('; ')}`] : []),
  ];
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
  // xmpp.js may still get a socket's data after a client was stopped (its parser is gone): a
  // customer leaving as their chat ends must not end the run. Counted with the problems.
  process.on('uncaughtException', (e) => { note(`client error: ${e.message}`); if (!/parser|reading 'write'/.test(String(e.stack))) log(e.stack ?? e.message); });
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
