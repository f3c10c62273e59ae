// Small helpers for the benchmarks: options, percentiles, CPU of processes
// (this one, and children read from /proc), pacing, time bounds, the
// simulated people in this process or a child, the run's frame.
import { execFile, fork, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import type { Stack } from '../test/support/stack.js';
import { stopTestEnv } from '../test/support/env.js';
import { NS_MUC_USER, TestClient, xml, type Element } from '../test/support/xmpp.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `--name value` on the command line, else the environment variable, else the default (> 0, or ≥ 0 with zero). */
export function numOption(flag: string, env: string, def: number, opts: { zero?: boolean } = {}): number {
  const i = process.argv.indexOf(`--${flag}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[env];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !opts.zero)) throw new Error(`--${flag} / ${env}: expected a ${opts.zero ? 'non-negative' : 'positive'} number, got "${raw}"`);
  return n;
}

export interface Summary { n: number; min: number; p50: number; p95: number; p99: number; max: number; mean: number }

/** Nearest-rank percentiles of a list of milliseconds. */
export function summarize(xs: number[]): Summary {
  const s = Float64Array.from(xs).sort();
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN);
  let sum = 0;
  for (const x of s) sum += x;
  return { n: s.length, min: s[0] ?? NaN, p50: at(50), p95: at(95), p99: at(99), max: s[s.length - 1] ?? NaN, mean: s.length ? sum / s.length : NaN };
}

export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 1)} ms` : 'n/a');
export const fmt = (s: Summary) => `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  (n=${s.n})`;
export const verdict = (value: number, target: number) => (!Number.isFinite(value) ? '' : value <= target ? 'meets target' : `MISSES target (${(value / target).toFixed(1)}×)`);

// ---- CPU ----

const TICK = 100; // USER_HZ (getconf CLK_TCK) on Linux

interface ProcStat { pid: number; ppid: number; comm: string; ticks: number }

function readStat(pid: number): ProcStat | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const f = s.slice(close + 2).split(' '); // f[0] = state (field 3)
    // utime, stime, cutime, cstime (fields 14-17): reaped children are in c*time.
    const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    return { pid, ppid: Number(f[1]), comm: s.slice(s.indexOf('(') + 1, close), ticks };
  } catch { return null; }
}

function allStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const d of readdirSync('/proc')) if (/^\d+$/.test(d)) { const st = readStat(Number(d)); if (st) out.push(st); }
  return out;
}

/** CPU seconds of a process and every live descendant (exited ones are in their parent's c*time). */
export function treeCpuSeconds(root: number | undefined): number {
  if (!root) return NaN;
  const stats = allStats();
  const kids = new Map<number, ProcStat[]>();
  for (const s of stats) { const l = kids.get(s.ppid); if (l) l.push(s); else kids.set(s.ppid, [s]); }
  const top = stats.find((s) => s.pid === root);
  if (!top) return NaN;
  let ticks = 0;
  const todo = [top];
  while (todo.length) { const s = todo.pop()!; ticks += s.ticks; todo.push(...(kids.get(s.pid) ?? [])); }
  return ticks / TICK;
}

/** Our direct child process with this command name (e.g. the postmaster). */
export function childPid(comm: string): number | undefined {
  return allStats().find((s) => s.ppid === process.pid && s.comm === comm)?.pid;
}

/** CPU seconds the whole machine spent busy (every process: the machine may be shared). */
function machineBusySeconds(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) / TICK; // user nice system irq softirq steal
  } catch { return NaN; }
}

/** From now on, the CPU every other process of the machine takes: call the result for "x.xx s (y% of a core)". */
export function cpuBusyOthers(): () => string {
  const a = { self: process.cpuUsage(), machine: machineBusySeconds(), at: performance.now() };
  return () => {
    const u = process.cpuUsage(a.self);
    const wall = (performance.now() - a.at) / 1000;
    const others = Math.max(0, machineBusySeconds() - a.machine - (u.user + u.system) / 1e6);
    return `${others.toFixed(2)} s in ${wall.toFixed(1)} s (${((others / wall) * 100).toFixed(0)}% of a core)`;
  };
}

export interface CpuSnapshot { self: number; prosody: number; postgres: number; clients: number; machine: number; at: number }

/** `clients`: a child process running the bench's clients, if any. */
export function cpuSnapshot(pids: { prosody?: number; postgres?: number; clients?: number }): CpuSnapshot {
  const u = process.cpuUsage();
  return { self: (u.user + u.system) / 1e6, prosody: treeCpuSeconds(pids.prosody), postgres: treeCpuSeconds(pids.postgres), clients: pids.clients ? treeCpuSeconds(pids.clients) : NaN, machine: machineBusySeconds(), at: performance.now() };
}

export function cpuLine(label: string, a: CpuSnapshot, b: CpuSnapshot): string {
  const wall = (b.at - a.at) / 1000;
  const c = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} s (${((x / wall) * 100).toFixed(0)}% of a core)` : 'n/a');
  const clients = b.clients - a.clients;
  const forked = Number.isFinite(clients);
  const others = (b.machine - a.machine) - (b.self - a.self) - (b.prosody - a.prosody) - (b.postgres - a.postgres) - (forked ? clients : 0);
  return `  ${label.padEnd(26)} wall ${wall.toFixed(1).padStart(6)} s | node (${forked ? 'server' : 'server+clients'}) ${c(b.self - a.self)}${forked ? ` | clients ${c(clients)}` : ''} | prosody ${c(b.prosody - a.prosody)} | postgres ${c(b.postgres - a.postgres)} | other processes ${c(Math.max(0, others))}`;
}

// ---- event loop ----

export class LoopDelay {
  private h: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });
  constructor() { this.h.enable(); }
  /** p99 and max since the last call, in ms; starts a new window. */
  take(): string {
    const out = `p99 ${(this.h.percentile(99) / 1e6).toFixed(1)} ms, max ${(this.h.max / 1e6).toFixed(1)} ms`;
    this.h.reset();
    return out;
  }
  stop(): void { this.h.disable(); }
}

// ---- pacing and bounds ----

/**
 * Calls fire(i) for i = 0..count-1 at `perSecond`, as close to schedule as the
 * event loop allows (late calls catch up in a burst). Resolves after the last.
 */
export async function paced(count: number, perSecond: number, fire: (i: number) => void, stopped: () => boolean): Promise<number> {
  const start = performance.now();
  let i = 0;
  while (i < count && !stopped()) {
    const due = Math.min(count, Math.floor(((performance.now() - start) * perSecond) / 1000) + 1);
    while (i < due) fire(i++);
    if (i < count) await sleep(Math.max(1, Math.min(20, (i * 1000) / perSecond - (performance.now() - start))));
  }
  return performance.now() - start;
}

export async function waitFor(cond: () => boolean, timeoutMs: number, onTick?: () => void, tickMs = 5000): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  let next = performance.now() + tickMs;
  while (!cond()) {
    if (performance.now() > end) return false;
    if (onTick && performance.now() > next) { onTick(); next += tickMs; }
    await sleep(20);
  }
  return true;
}

export function withTimeout<T>(p: Promise<T>, msLimit: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => { t = setTimeout(() => rej(new Error(`${what}: timed out after ${msLimit} ms`)), msLimit); })])
    .finally(() => clearTimeout(t));
}

/** Runs fn over items with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]!, i); }
  }));
  return out;
}

// ---- Switchboard specifics ----

interface Queryable { query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }> }

/** Sets room general's ringLimit (0 = every available agent) and makes routing read it again. */
export async function setRingLimit(sb: { db: Queryable; routing: { forgetRoom(id: string): void } }, n: number): Promise<void> {
  const r = await sb.db.query("UPDATE rooms SET settings = settings || jsonb_build_object('ringLimit', $1::int) WHERE slug = 'general' RETURNING id", [n]);
  sb.routing.forgetRoom((r.rows[0] as { id: string }).id);
}

/** Offers by status; `stale` = pending offers whose conversation is no longer queued (they hold agents' slots until their timeout). */
export async function offerStats(db: Queryable): Promise<{ pending: number; stale: number; byStatus: string }> {
  const r = await db.query(`SELECT o.status, count(*)::int AS n, count(*) FILTER (WHERE c.status <> 'queued')::int AS stale
    FROM offers o JOIN conversations c ON c.id = o.conversation_id GROUP BY o.status ORDER BY o.status`);
  const rows = r.rows as Array<{ status: string; n: number; stale: number }>;
  const p = rows.find((x) => x.status === 'pending');
  return { pending: p?.n ?? 0, stale: p?.stale ?? 0, byStatus: rows.map((x) => `${x.status} ${x.n}`).join(', ') || 'none' };
}

export interface AgentLogin { jid: string; password: string; nick: string }

/** Creates `count` agents (and their XMPP accounts) for the clients to log in; 8 at a time. */
export async function createAgents(s: Stack, count: number, name: string, maxChats: number): Promise<AgentLogin[]> {
  return pool(Array.from({ length: count }, (_, i) => i), 8, async (i) => {
    const { agent } = await s.sb.agents.create({ name: `${name}${i}`, jid: `${name.toLowerCase()}${process.pid}x${i}@${s.cfg.xmppDomain}`, password: 'agent-password', maxChats });
    return { jid: agent.jid, password: 'agent-password', nick: agent.nickname };
  });
}

// ---- the simulated people, in this process or in a forked child ----

export const log = (s: string) => process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${s}\n`);

/** Our own room presence (XEP-0045 §7.2.3: status 110). */
export const isSelf = (el: Element) => !!el.getChild('x', NS_MUC_USER)?.getChildren('status').some((s) => s.attrs.code === '110');

/** TestClient records every stanza for waitFor(); the benches read stanzas from events instead. */
export const quiet = (c: TestClient) => { c.stanzas.push = () => 0; return c; };

export interface Started { id: string; customerToken: string; roomJid: string; password: string; nick: string; guestDomain: string }

/** A customer as the page starts: the room's form over HTTP, then an anonymous login on `wsUrl` (the join is the caller's). */
export async function customerLogin(o: { publicUrl: string; wsUrl: string; form: Record<string, string> }): Promise<{ st: Started; client: TestClient }> {
  const res = await fetch(`${o.publicUrl}/api/v1/rooms/general/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(o.form) });
  if (res.status !== 201) throw new Error(`start conversation: HTTP ${res.status}`);
  const st = await res.json() as Started;
  return { st, client: quiet(await TestClient.guest({ url: o.wsUrl, domain: st.guestDomain })) };
}

/** An agent logged in (PLAIN over loopback); `watch` attaches its listeners before it becomes available. */
export async function agentOnline(port: number, l: AgentLogin, watch: (c: TestClient) => void): Promise<TestClient> {
  const client = quiet(await TestClient.agent({ port, jid: l.jid, password: l.password }));
  watch(client);
  await client.send(xml('presence'));
  return client;
}

/** Stops every client, 100 at a time, 3 s each at most. */
export async function stopClients(clients: TestClient[], logTo: (s: string) => void): Promise<void> {
  logTo(`stopping ${clients.length} clients`);
  await pool(clients, 100, (c) => withTimeout(c.stop(), 3000, 'client stop').catch(() => {}));
}

/** The clients' side of a bench: commands in, events out through `emit`. */
export interface BenchClients<To, From> { handle(m: To, emit: (m: From) => void): Promise<void>; stop(): Promise<void>; note(what: string): void }
/** Events every clients' side may send besides its own. */
export type LinkEvent = { ev: 'log'; text: string } | { ev: 'failed'; error: string } | { ev: 'stopped' };
type Command<To> = To | { cmd: 'stop' };

export interface ClientsLink<To, From> {
  /** The clients' process when forked (for its CPU), else undefined. */
  pid: number | undefined;
  /** Sends a command; resolves with the first event `until` maps to a value (`on` sees each event first); rejects on a failure. */
  ask<T>(m: To, until: (m: From) => T | undefined, on?: (m: From) => void): Promise<T>;
  /** The clients stop (60 s at most), then their process ends. */
  stop(): Promise<void>;
}

/** xmpp.js may still get a socket's data after its client was stopped (its parser is gone): counted, not fatal. */
function survive(note: (what: string) => void, logTo: (s: string) => void): void {
  process.on('uncaughtException', (e) => { note(`client error: ${e.message}`); if (!/parser|reading 'write'/.test(String(e.stack))) logTo(e.stack ?? e.message); });
}

function perform<To, From>(h: BenchClients<To, From>, m: Command<To>, emit: (m: From | LinkEvent) => void): void {
  const done = (m as { cmd?: string }).cmd === 'stop' ? h.stop().then(() => emit({ ev: 'stopped' })) : h.handle(m as To, emit);
  done.catch((e: Error) => emit({ ev: 'failed', error: e.stack ?? e.message }));
}

/**
 * The bench's clients, from `module` (which calls serveBench) in a forked process, or
 * from `local` in this one. Times the clients take are in their own process's clock.
 */
export function linkClients<To, From extends { ev: string }>(o: { fork: boolean; module: URL; local: (logTo: (s: string) => void) => BenchClients<To, From> }): ClientsLink<To, From> {
  type Ev = From | LinkEvent;
  const waiters = new Set<(m: Ev) => void>();
  const dispatch = (m: Ev) => { if (m.ev === 'log') log(`clients: ${(m as { text: string }).text}`); for (const w of [...waiters]) w(m); };
  let exited: Error | undefined;
  let send: (m: Command<To>) => void;
  let end = () => {};
  let pid: number | undefined;
  if (o.fork) {
    const child = fork(o.module, ['--bench-clients'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    child.on('message', dispatch);
    child.on('exit', (code, sig) => { exited = new Error(`bench clients exited (${code ?? sig})`); dispatch({ ev: 'failed', error: exited.message }); });
    send = (m) => child.send(m as object);
    end = () => child.kill();
    pid = child.pid;
  } else {
    const local = o.local(log);
    survive((w) => local.note(w), log);
    send = (m) => perform(local, m, dispatch);
  }
  const ask = <T>(m: Command<To>, until: (m: Ev) => T | undefined, on?: (m: Ev) => void) => new Promise<T>((resolve, reject) => {
    if (exited) { reject(exited); return; }
    const w = (ev: Ev) => {
      if (ev.ev === 'failed') { waiters.delete(w); reject(new Error((ev as { error: string }).error)); return; }
      on?.(ev);
      const v = until(ev);
      if (v !== undefined) { waiters.delete(w); resolve(v); }
    };
    waiters.add(w);
    send(m);
  });
  return {
    pid,
    ask: (m, until, on) => ask(m, (ev) => until(ev as From), on && ((ev) => on(ev as From))),
    async stop() {
      if (!exited) await withTimeout(ask({ cmd: 'stop' }, (ev) => (ev.ev === 'stopped' ? true : undefined)), 60_000, 'bench clients stop').catch((e: Error) => log(e.message));
      end();
    },
  };
}

/** In a forked clients' process (argument --bench-clients): serves the bench over IPC. */
export function serveBench<To, From>(make: (logTo: (s: string) => void) => BenchClients<To, From>): void {
  const emit = (m: From | LinkEvent) => process.send!(m);
  const h = make((text) => emit({ ev: 'log', text }));
  survive((w) => h.note(w), (text) => emit({ ev: 'log', text }));
  process.on('disconnect', () => process.exit(0)); // the bench went away
  process.on('message', (m: Command<To>) => perform(h, m, emit));
}

// ---- the run ----

/** Prints run()'s lines (or why it failed) within `timeoutS`, then cleans up within `graceS`; the exit code. */
export async function benchMain(o: { run: () => Promise<string[]>; cleanup: () => Promise<void>; timeoutS: number; graceS: number; abort?: () => void }): Promise<number> {
  let code = 0;
  let fail: (e: Error) => void = () => {};
  const stopped = new Promise<never>((_, rej) => { fail = (e) => { o.abort?.(); rej(e); }; });
  const overall = setTimeout(() => fail(new Error(`overall timeout of ${o.timeoutS} s`)), o.timeoutS * 1000);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => fail(new Error(`stopped by ${sig}`)));
  try {
    process.stdout.write((await Promise.race([o.run(), stopped])).join('\n') + '\n');
  } catch (e) {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    code = 1;
  } finally {
    clearTimeout(overall);
    setTimeout(() => { process.stderr.write(`cleanup took over ${o.graceS} s: exiting anyway\n`); process.exit(3); }, o.graceS * 1000).unref();
    await o.cleanup();
  }
  return code;
}

/** Stops the clients, the worker, Prosody and PostgreSQL, each within a bound. */
export async function stopAll(clients: { stop(): Promise<void> } | undefined, stack: Stack | undefined): Promise<void> {
  log('stopping the clients, the worker, Prosody and PostgreSQL');
  await withTimeout(clients?.stop() ?? Promise.resolve(), 90_000, 'clients stop').catch((e: Error) => log(e.message));
  await withTimeout(stack?.stop() ?? Promise.resolve(), 15_000, 'worker stop').catch((e: Error) => log(e.message));
  const { stopTestEnv } = await import('../test/support/env.js');
  await withTimeout(stopTestEnv(), 30_000, 'servers stop').catch((e: Error) => log(e.message));
}

/** Counts the statements every pg client of this process runs (the pool's and transactions' alike), by their text. */
export function countQueries(): { stop(): void; print(n: number, per: string): void } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const byText = new Map<string, number>();
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0];
    const text = typeof q === 'string' ? q : (q as { text?: string } | null)?.text ?? '?';
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 110);
    byText.set(key, (byText.get(key) ?? 0) + 1);
    return original.apply(this, args);
  };
  return {
    stop() { proto.query = original; },
    print(n, per) {
      const total = [...byText.values()].reduce((a, b) => a + b, 0);
      console.log(`  database statements: ${total} (${(total / n).toFixed(2)} per ${per})`);
      for (const [text, k] of [...byText].sort((a, b) => b[1] - a[1])) console.log(`  ${(k / n).toFixed(2).padStart(6)}  ${text}`);
    },
  };
}

/** The sipp processes of a SIP bench: each run kept, so that the teardown kills what is still running. */
export class SippRuns {
  private readonly children: ChildProcess[] = [];
  run(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      this.children.push(execFile('sipp', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, out: `${stdout}${stderr}` })));
    });
  }

  /** Ends a SIP bench: sipp killed, its temp dir removed (unless KEEP_TEST_DIRS), our worker and the servers stopped. */
  async teardown(o: { dir: string; stack: { stop(): Promise<void> }; voice: { stop(): Promise<void> } }): Promise<void> {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
    if (!process.env.KEEP_TEST_DIRS) rmSync(o.dir, { recursive: true, force: true });
    await o.stack.stop();
    await o.voice.stop();
    await stopTestEnv();
  }
}
