// baresip (Debian baresip-core) as an agent's stock SIP phone, driven over its
// ctrl_tcp module (JSON in netstrings): registers through our Kamailio,
// answers calls by itself, plays a 440 Hz sine as its microphone.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNetstring, NetstringDecoder } from '../../sip/evapi/netstring.js';
import { freePort } from '../support/ports.js';

export interface BaresipEvent { event: true; class: string; type: string; param?: string; id?: string; peeruri?: string }

export interface BaresipOptions {
  username: string; password: string; domain: string; proxyPort: number;
  /** Send and take video too (fakevideo source, VP8). */
  video?: boolean;
  /** Its address book (SIP URIs); the first is the current contact its "message" command writes to. */
  contacts?: string[];
}

export class Baresip {
  readonly events: BaresipEvent[] = [];
  private listeners: Array<() => void> = [];
  private replies = new Map<string, (r: Record<string, unknown>) => void>();
  private seq = 0;
  readonly exited: Promise<number | null>;

  private constructor(private readonly proc: ChildProcess, private readonly ctrl: Socket, private readonly dir: string, readonly output: string[]) {
    this.exited = new Promise((r) => proc.once('exit', (code) => r(code)));
    const decoder = new NetstringDecoder();
    ctrl.on('data', (d) => {
      for (const text of decoder.push(d)) {
        const m = JSON.parse(text) as Record<string, unknown>;
        if (m.event) { this.events.push(m as unknown as BaresipEvent); for (const l of [...this.listeners]) l(); }
        else if (m.response && typeof m.token === 'string') this.replies.get(m.token)?.(m);
      }
    });
    ctrl.on('error', () => {});
  }

  static async start(o: BaresipOptions): Promise<Baresip> {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-baresip-'));
    // baresip also opens a TLS listener on the SIP port + 1.
    const [sipPort, ctrlPort] = [await freePortPair(), await freePort()];
    writeFileSync(join(dir, 'config'), [
      'poll_method epoll', `sip_listen 127.0.0.1:${sipPort}`, 'net_interface 127.0.0.1', 'sip_trans_def udp',
      'audio_source ausine,440', 'audio_player aufile,/dev/null', 'ausrc_srate 48000', 'ausrc_channels 2',
      'audio_codecs PCMU/8000/1,opus/48000/2', 'module_path /usr/lib/baresip/modules',
      'module g711.so', 'module opus.so', 'module ausine.so', 'module aufile.so',
      ...(o.video ? ['module fakevideo.so', 'module vp8.so', 'video_source fakevideo,nil', 'video_display fakevideo,nil', 'video_size 320x240', 'video_fps 15'] : []),
      // stdio: a UI, so that incoming MESSAGEs get printed (on stdout); stdin stays an open pipe.
      ...(o.contacts ? ['module stdio.so', 'module_app contact.so'] : []),
      'module_app account.so', 'module_app menu.so', 'module_app ctrl_tcp.so', `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`, '',
    ].join('\n'));
    writeFileSync(join(dir, 'accounts'),
      `<sip:${o.username}@${o.domain};transport=udp>;auth_pass=${o.password};outbound="sip:127.0.0.1:${o.proxyPort};transport=udp";regint=300;answermode=auto\n`);
    writeFileSync(join(dir, 'contacts'), (o.contacts ?? []).map((uri) => `"Contact" <${uri}>\n`).join(''));
    const proc = spawn('baresip', ['-f', dir], { stdio: [o.contacts ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    for (const s of [proc.stdout!, proc.stderr!]) s.on('data', (d: Buffer) => { output.push(d.toString()); if (process.env.TEST_LOG) process.stderr.write(`[baresip] ${d}`); });
    let ctrl: Socket | undefined;
    for (let i = 0; i < 200 && !ctrl; i++) {
      ctrl = await new Promise<Socket | undefined>((resolve) => {
        const s = createConnection({ host: '127.0.0.1', port: ctrlPort });
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
      if (!ctrl) await new Promise((r) => setTimeout(r, 50));
      if (proc.exitCode !== null) break;
    }
    if (!ctrl) {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`baresip did not open ctrl_tcp:\n${output.join('')}`);
    }
    return new Baresip(proc, ctrl, dir, output);
  }

  /** Resolves once its output holds a line matching re (incoming SIP MESSAGEs print as `<from URI>: "<text>"`). */
  waitForOutput(re: RegExp, timeoutMs = 15_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const end = Date.now() + timeoutMs;
      const check = () => {
        const line = this.output.join('').split('\n').find((l) => re.test(l));
        if (line) return resolve(line);
        if (Date.now() > end) return reject(new Error(`baresip: no output matching ${re} within ${timeoutMs} ms:\n${this.output.join('').slice(-1500)}`));
        setTimeout(check, 50);
      };
      check();
    });
  }

  /** The first event of this type (already seen or to come). */
  waitForEvent(type: string, timeoutMs = 15_000): Promise<BaresipEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const e = this.events.find((x) => x.type === type);
        if (!e) return false;
        clearTimeout(t);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(e);
        return true;
      };
      const listener = () => { check(); };
      const t = setTimeout(() => reject(new Error(`baresip: no ${type} within ${timeoutMs} ms; events: ${this.events.map((e) => e.type).join(', ')}`)), timeoutMs);
      if (!check()) this.listeners.push(listener);
    });
  }

  command(command: string, params = ''): Promise<Record<string, unknown>> {
    const token = `t${++this.seq}`;
    return new Promise((resolve) => {
      this.replies.set(token, (r) => { this.replies.delete(token); resolve(r); });
      this.ctrl.write(encodeNetstring(JSON.stringify({ command, params, token })));
    });
  }

  /** SIGTERM: baresip un-REGISTERs before it exits (a second SIGTERM would force it). */
  async stop(): Promise<void> {
    if (this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      const forced = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
      await this.exited;
      clearTimeout(forced);
    }
    this.ctrl.destroy();
    if (!process.env.KEEP_TEST_DIRS) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A free port whose next port is free too (on 127.0.0.1, TCP and UDP alike as far as we can tell). */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await freePort();
    if (p < 65535 && await tcpFree(p + 1)) return p;
  }
  throw new Error('no two adjacent free ports');
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
