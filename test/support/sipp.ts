// sipp (Debian sip-tester) as a test client: small custom scenarios, one call
// each, with the status codes it received read back from its message trace.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SippResult {
  /** sipp's exit code: 0 when every expected message came. */
  exitCode: number | null;
  /** Status codes received, in order. */
  responses: number[];
  /** The received responses, whole. */
  received: string[];
  output: string;
}

export interface SippOptions {
  host?: string; port: number; localPort: number; transport?: 'udp' | 'tcp';
  /** Run as a UAS (waits for the first request) instead of sending first. */
  server?: boolean;
  mediaPort?: number;
  /** How many calls (a UAS: incoming requests with their own Call-ID) before sipp ends; default 1. */
  calls?: number;
  /** sipp's global timeout, default 20 s. */
  timeoutS?: number;
}

export function sipp(scenario: string, o: SippOptions): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-sipp-'));
  const sf = join(dir, 'scenario.xml');
  const trace = join(dir, 'messages.log');
  writeFileSync(sf, scenario);
  const args = [`${o.host ?? '127.0.0.1'}:${o.port}`, '-sf', sf, '-m', String(o.calls ?? 1), '-i', '127.0.0.1', '-p', String(o.localPort),
    '-t', o.transport === 'tcp' ? 't1' : 'u1', '-nostdin', '-timeout', `${o.timeoutS ?? 20}s`, '-trace_msg', '-message_file', trace,
    '-mi', '127.0.0.1', ...(o.mediaPort ? ['-mp', String(o.mediaPort)] : [])];
  if (o.server) args.splice(0, 1); // a UAS has no remote host
  return new Promise((resolve) => {
    execFile('sipp', args, { cwd: dir }, (err, stdout, stderr) => {
      let log = '';
      try { log = readFileSync(trace, 'utf8'); } catch { /* no message exchanged */ }
      const received = receivedMessages(log);
      const responses = received.map((m) => /^SIP\/2\.0 (\d{3})/.exec(m)).filter((m) => m !== null).map((m) => Number(m[1]));
      if (!process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
      const exitCode = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ exitCode, responses, received, output: `${stdout}${stderr}`.slice(-2000) });
    });
  });
}

/** The messages sipp logged as received (blocks after "... message received [n] bytes :"). */
function receivedMessages(log: string): string[] {
  const out: string[] = [];
  for (const block of log.split(/^-{10,}.*$/m)) {
    const m = /message received \[\d+\] bytes :\s*\n\n([\s\S]*)/.exec(block);
    if (m) out.push(m[1]!.trim());
  }
  return out;
}

/** A header's value in a SIP message (first occurrence, case-insensitive). */
export function header(message: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(message);
  return m?.[1]?.trim();
}

/** Resolves once something has bound the UDP port on 127.0.0.1 (a UAS sipp is listening). */
export async function udpBound(port: number, timeoutMs = 10_000): Promise<void> {
  const { createSocket } = await import('node:dgram');
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const taken = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => { s.close(); resolve(true); });
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (taken) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on udp 127.0.0.1:${port}`);
}
