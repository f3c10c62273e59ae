// Node wrapper around test/clients/slix_agent.py: a scriptable stock XMPP
// client (Debian's python3-slixmpp) for integration tests.
//
// The agent speaks line-delimited JSON: events on its stdout, commands on its
// stdin. See slix_agent.py for the full protocol.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface SlixEvent {
  event: string;
  [k: string]: unknown;
}

export interface SlixStartOptions {
  jid: string;
  password: string;
  host: string;
  port: number;
  /** available (default) | away | xa | dnd | chat */
  show?: string;
  status?: string;
  /** Force a SASL mechanism (e.g. "PLAIN"); default: slixmpp's choice. */
  mech?: string;
  /** Python log level on stderr (default WARNING). */
  logLevel?: string;
  /** How long to wait for {"event":"online"} (default 10 000 ms). */
  startTimeoutMs?: number;
}

interface Waiter {
  pred: (e: SlixEvent) => boolean;
  resolve: (e: SlixEvent) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const PYTHON = "/usr/bin/python3";
const STDERR_TAIL = 8192;
const DEFAULT_WAIT_MS = 5000;

function findAgentScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) {
      const script = join(dir, "test", "clients", "slix_agent.py");
      if (existsSync(script)) return script;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`slix_agent.py not found above ${fileURLToPath(import.meta.url)}`);
}

function isEvent(v: unknown): v is SlixEvent {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { event?: unknown }).event === "string";
}

export class SlixAgent {
  /** Everything received from the agent, in order (never consumed). */
  readonly events: SlixEvent[] = [];
  readonly jid: string;

  private readonly child: ChildProcessWithoutNullStreams;
  private readonly buffer: SlixEvent[] = [];
  private readonly waiters: Waiter[] = [];
  private stderrTail = "";
  private exited = false;
  private exitInfo = "";
  private readonly exitPromise: Promise<void>;
  private nextId = 1;

  private constructor(opts: SlixStartOptions) {
    this.jid = opts.jid;
    const args = [
      findAgentScript(),
      "--jid", opts.jid,
      "--password", opts.password,
      "--host", opts.host,
      "--port", String(opts.port),
      "--show", opts.show ?? "available",
    ];
    if (opts.status !== undefined) args.push("--status", opts.status);
    if (opts.mech !== undefined) args.push("--mech", opts.mech);
    if (opts.logLevel !== undefined) args.push("--log-level", opts.logLevel);

    this.child = spawn(PYTHON, args, {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" },
    });
    this.child.stdin.on("error", () => {
      /* EPIPE after the agent exited; reported through exit */
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
      if (process.env["SLIX_DEBUG"]) process.stderr.write(`[slix ${this.jid}] ${chunk}`);
    });
    const rl = createInterface({ input: this.child.stdout, crlfDelay: Infinity });
    rl.on("line", (line) => this.onLine(line));

    this.exitPromise = new Promise<void>((resolve) => {
      this.child.on("error", (err) => {
        this.onExit(`spawn error: ${err.message}`);
        resolve();
      });
      this.child.on("close", (code, signal) => {
        this.onExit(signal ? `killed by ${signal}` : `exit code ${String(code)}`);
        resolve();
      });
    });
  }

  /** Spawns the agent; resolves once it is logged in and has sent its presence. */
  static async start(opts: SlixStartOptions): Promise<SlixAgent> {
    const agent = new SlixAgent(opts);
    try {
      await agent.waitFor((e) => e.event === "online", opts.startTimeoutMs ?? 10_000);
    } catch (err) {
      await agent.kill();
      const msg = err instanceof Error ? err.message : String(err);
      // msg already carries the stderr tail
      throw new Error(`SlixAgent ${opts.jid} failed to come online: ${msg}`);
    }
    return agent;
  }

  /** The agent's process id (for diagnostics). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Last few kB of the agent's stderr (slixmpp logs, tracebacks). */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Sends one command (a JSON object with "cmd"). Fire and forget. */
  send(cmd: Record<string, unknown>): void {
    if (this.exited || !this.child.stdin.writable) {
      throw new Error(`SlixAgent ${this.jid} is not running (${this.exitInfo}); cannot send ${JSON.stringify(cmd)}`);
    }
    this.child.stdin.write(JSON.stringify(cmd) + "\n");
  }

  /**
   * Sends a command with a fresh "id" and waits for its ack; rejects if the
   * agent reports the command failed. Resolves with the ack event (for "say"
   * and "chat" it carries originId and msgId).
   */
  async command(cmd: Record<string, unknown>, timeoutMs = DEFAULT_WAIT_MS): Promise<SlixEvent> {
    const id = `c${this.nextId++}`;
    this.send({ ...cmd, id });
    const ack = await this.waitFor((e) => e.event === "ack" && e["id"] === id, timeoutMs);
    if (ack["ok"] === false) {
      throw new Error(`SlixAgent ${this.jid} command ${JSON.stringify(cmd)} failed: ${String(ack["error"])}`);
    }
    return ack;
  }

  /**
   * Resolves with the first event matching pred, looking first at events
   * already received and not yet consumed. A matched event is consumed.
   */
  waitFor(pred: (e: SlixEvent) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<SlixEvent> {
    const idx = this.buffer.findIndex(pred);
    if (idx >= 0) {
      const [ev] = this.buffer.splice(idx, 1);
      return Promise.resolve(ev as SlixEvent);
    }
    if (this.exited) {
      return Promise.reject(this.waitError(pred, `agent exited (${this.exitInfo})`));
    }
    return new Promise<SlixEvent>((resolve, reject) => {
      const waiter: Waiter = {
        pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.removeWaiter(waiter);
          reject(this.waitError(pred, `timeout after ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Events received but not consumed by waitFor yet. */
  pending(): SlixEvent[] {
    return [...this.buffer];
  }

  /** Asks the agent to quit; SIGKILLs it after 3 s. Idempotent. */
  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      if (this.child.stdin.writable) {
        this.child.stdin.write(JSON.stringify({ cmd: "quit" }) + "\n");
        this.child.stdin.end();
      }
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      if (!this.exited) this.child.kill("SIGKILL");
    }, 3000);
    await this.exitPromise;
    clearTimeout(timer);
  }

  private async kill(): Promise<void> {
    if (this.exited) return;
    this.child.kill("SIGKILL");
    await this.exitPromise;
  }

  private onLine(line: string): void {
    if (line.trim() === "") return;
    let ev: SlixEvent;
    try {
      const parsed: unknown = JSON.parse(line);
      ev = isEvent(parsed) ? parsed : { event: "stdout", line };
    } catch {
      ev = { event: "stdout", line };
    }
    this.events.push(ev);
    const w = this.waiters.find((x) => x.pred(ev));
    if (w) {
      this.removeWaiter(w);
      w.resolve(ev);
    } else {
      this.buffer.push(ev);
    }
  }

  private onExit(info: string): void {
    if (this.exited) return;
    this.exited = true;
    this.exitInfo = info;
    // Let readline deliver the last lines before failing the waiters.
    setImmediate(() => {
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(this.waitError(w.pred, `agent exited (${info})`));
      }
    });
  }

  private removeWaiter(w: Waiter): void {
    clearTimeout(w.timer);
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  private waitError(pred: (e: SlixEvent) => boolean, why: string): Error {
    const recent = this.events.slice(-15).map((e) => JSON.stringify(e)).join("\n  ");
    return new Error(
      `SlixAgent ${this.jid}: no event matching ${pred.toString()}: ${why}\n` +
          `recent events:\n  ${recent}\n--- stderr tail ---\n${this.stderrTail.slice(-4000)}`,
    );
  }
}
