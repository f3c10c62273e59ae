// Small helpers for the benchmarks: options, percentiles, CPU of processes
// (this one, and children read from /proc), pacing, time bounds.
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

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
