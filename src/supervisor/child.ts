// One pattern for every child server: start, wait for readiness, restart on
// crash (bounded), clean stop (SIGTERM, then SIGKILL after a grace period).
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import type { Logger } from '../log.js';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Resolves true once the child serves. Polled until readyTimeoutMs. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** Restarts allowed within restartWindowMs before giving up. */
  maxRestarts?: number;
  restartWindowMs?: number;
  stopTimeoutMs?: number;
  /** Called with each output line; default logs it at debug level. */
  onLine?: (line: string) => void;
  /** Signal for a clean stop (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /**
   * Run in a process group of its own and SIGKILL what is left of the group
   * once the main process has exited: for servers that fork workers which
   * would outlive a crashed parent (Kamailio) and keep its ports.
   */
  killGroup?: boolean;
}

// setpriv (util-linux) sets a parent-death signal before exec: if we die, even
// by SIGKILL, the kernel stops our children too — no orphans holding ports.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

export function tcpReady(host: string, port: number): () => Promise<boolean> {
  return () => new Promise((resolve) => {
    const s = createConnection({ host, port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How many of its last output lines a child that exits early reports. */
const TAIL_LINES = 8;

export class SupervisedChild {
  /** The child's last lines of output (stdout and stderr), for the error when it dies early. */
  private tail: string[] = [];
  private proc?: ChildProcess;
  private stopping = false;
  private restarts: number[] = [];
  private exited?: Promise<void>;
  /** Set when the child died for good (restart budget spent). */
  failure?: Error;
  onFailure?: (err: Error) => void;

  constructor(readonly spec: ChildSpec, private readonly log: Logger) {}

  get pid(): number | undefined { return this.proc?.pid; }

  async start(): Promise<void> {
    this.stopping = false;
    this.launch();
    await this.waitReady();
  }

  private launch(): void {
    const { spec } = this;
    const [cmd, args] = SETPRIV
      ? [SETPRIV, ['--pdeathsig', spec.stopSignal ?? 'SIGTERM', '--', spec.command, ...spec.args]]
      : [spec.command, spec.args];
    const proc = spawn(cmd, args, {
      cwd: spec.cwd, env: spec.env ?? process.env, uid: spec.uid, gid: spec.gid,
      stdio: ['ignore', 'pipe', 'pipe'], detached: spec.killGroup === true,
    });
    this.proc = proc;
    const onLine = spec.onLine ?? ((l: string) => this.log.debug(`[${spec.name}] ${l}`));
    this.tail = [];
    const keep = (l: string) => { this.tail.push(l); if (this.tail.length > TAIL_LINES) this.tail.shift(); onLine(l); };
    for (const stream of [proc.stdout, proc.stderr]) if (stream) createInterface({ input: stream }).on('line', keep);
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        if (spec.killGroup && proc.pid) { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* the group is empty */ } }
        resolve();
        if (this.proc !== proc) return;
        this.proc = undefined;
        if (this.stopping) return;
        this.log.warn(`${spec.name} exited (code ${code}, signal ${signal})`);
        void this.maybeRestart();
      });
    });
    proc.once('error', (err) => this.log.error(`${spec.name}: ${err.message}`));
  }

  private async maybeRestart(): Promise<void> {
    const now = Date.now();
    const window = this.spec.restartWindowMs ?? 60_000;
    this.restarts = this.restarts.filter((t) => now - t < window);
    if (this.restarts.length >= (this.spec.maxRestarts ?? 5)) {
      this.failure = new Error(`${this.spec.name} keeps crashing (${this.restarts.length} restarts in ${window / 1000} s); giving up`);
      this.log.error(this.failure.message);
      this.onFailure?.(this.failure);
      return;
    }
    this.restarts.push(now);
    await sleep(Math.min(200 * 2 ** this.restarts.length, 5000));
    if (this.stopping) return;
    this.log.info(`restarting ${this.spec.name}`);
    this.launch();
    try { await this.waitReady(); } catch (e) { this.log.error((e as Error).message); }
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + (this.spec.readyTimeoutMs ?? 20_000);
    const proc = this.proc;
    while (Date.now() < deadline) {
      if (!this.proc || this.proc !== proc) {
        // What it said last is usually why (a port in use, a config error).
        throw new Error(`${this.spec.name} exited before it was ready${this.tail.length ? `; its last output:\n  ${this.tail.join('\n  ')}` : ''}`);
      }
      if (await this.spec.ready()) { this.log.debug(`${this.spec.name} ready (pid ${proc?.pid})`); return; }
      await sleep(50);
    }
    throw new Error(`${this.spec.name} was not ready within ${(this.spec.readyTimeoutMs ?? 20_000) / 1000} s`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    proc.kill(this.spec.stopSignal ?? 'SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), this.spec.stopTimeoutMs ?? 10_000);
    await this.exited;
    clearTimeout(killer);
  }
}
