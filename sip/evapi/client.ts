// Our end of Kamailio's evapi: a TCP client that (re)connects for as long as
// it runs, proves the shared secret with a "hello", and then exchanges JSON
// messages in netstrings. Kamailio answers SIP requests that need us with 503
// while no proven client is connected, so a gap costs callers a retry, not a hang.
import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import type { Logger } from '../../src/log.js';
import { encodeNetstring, NetstringDecoder } from './netstring.js';

export interface EvapiOptions { host: string; port: number; secret: string; log: Logger; minDelayMs?: number; maxDelayMs?: number }

export type EvapiMessage = { type: string } & Record<string, unknown>;

export interface EvapiEvents {
  /** Kamailio accepted our hello; boot is its start time (changes when it restarts). */
  ready: [boot: number];
  message: [msg: EvapiMessage];
  down: [];
}

export class EvapiClient extends EventEmitter<EvapiEvents> {
  private sock?: Socket;
  private running = false;
  private delay: number;
  private timer?: NodeJS.Timeout;
  /** True between Kamailio's hello answer and the connection's end. */
  ready = false;

  constructor(private readonly o: EvapiOptions) {
    super();
    this.delay = o.minDelayMs ?? 100;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  /** Sends one message; false when not connected (the caller's request then times out in Kamailio). */
  send(msg: EvapiMessage): boolean {
    if (!this.ready || !this.sock) return false;
    const text = JSON.stringify(msg);
    this.o.log.debug(`evapi → ${text.slice(0, 300)}`);
    this.sock.write(encodeNetstring(text));
    return true;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    const s = this.sock;
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => { s.once('close', () => resolve()); s.end(); setTimeout(() => s.destroy(), 500).unref(); });
  }

  private connect(): void {
    const { host, port, secret, log } = this.o;
    const sock = createConnection({ host, port });
    this.sock = sock;
    sock.setNoDelay(true);
    const decoder = new NetstringDecoder();
    sock.on('connect', () => sock.write(encodeNetstring(JSON.stringify({ type: 'hello', secret }))));
    sock.on('data', (chunk) => {
      let payloads: string[];
      try { payloads = decoder.push(chunk); } catch (e) {
        log.error(`evapi: ${(e as Error).message}; reconnecting`);
        sock.destroy();
        return;
      }
      for (const p of payloads) this.receive(p);
    });
    sock.on('error', (e) => log.debug(`evapi ${host}:${port}: ${e.message}`));
    sock.on('close', () => {
      const was = this.ready;
      this.ready = false;
      if (this.sock === sock) this.sock = undefined;
      if (was) { log.warn(`evapi: connection to Kamailio ${host}:${port} lost`); this.emit('down'); }
      if (!this.running) return;
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, this.o.maxDelayMs ?? 2000);
    });
  }

  private receive(payload: string): void {
    this.o.log.debug(`evapi ← ${payload.slice(0, 300)}`);
    let msg: EvapiMessage;
    try {
      msg = JSON.parse(payload) as EvapiMessage;
      if (typeof msg !== 'object' || msg === null || typeof msg.type !== 'string') throw new Error('no type');
    } catch {
      this.o.log.warn(`evapi: ignoring a message that is not a typed JSON object: ${payload.slice(0, 200)}`);
      return;
    }
    if (msg.type === 'hello') {
      // Several of our connections share the tag, so each sees every hello: only the first counts.
      if (this.ready) return;
      this.ready = true;
      this.delay = this.o.minDelayMs ?? 100;
      this.o.log.info(`evapi: connected to Kamailio ${this.o.host}:${this.o.port}`);
      this.emit('ready', Number(msg.boot));
      return;
    }
    this.emit('message', msg);
  }
}
