// rtpengine's ng control protocol: a UDP datagram "<cookie> <bencoded dict>",
// answered with the same cookie. Kamailio's rtpengine module does the call
// work; we use it for readiness (ping) and to read statistics.
// https://github.com/sipwise/rtpengine/blob/master/docs/ng_control_protocol.md
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

export type Bencoded = string | number | Buffer | Bencoded[] | { [key: string]: Bencoded };

export function bencode(v: Bencoded): Buffer {
  if (typeof v === 'number') return Buffer.from(`i${Math.trunc(v)}e`);
  if (typeof v === 'string' || Buffer.isBuffer(v)) {
    const b = Buffer.isBuffer(v) ? v : Buffer.from(v);
    return Buffer.concat([Buffer.from(`${b.length}:`), b]);
  }
  if (Array.isArray(v)) return Buffer.concat([Buffer.from('l'), ...v.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(v).sort();
  return Buffer.concat([Buffer.from('d'), ...keys.flatMap((k) => [bencode(k), bencode(v[k]!)]), Buffer.from('e')]);
}

/** Decodes one value; strings come back as text (ng replies are text). */
export function bdecode(buf: Buffer): Bencoded {
  let i = 0;
  const value = (): Bencoded => {
    const c = String.fromCharCode(buf[i]!);
    if (c === 'i') {
      const end = buf.indexOf('e', i);
      const n = Number(buf.subarray(i + 1, end).toString());
      i = end + 1;
      return n;
    }
    if (c === 'l') {
      i++;
      const out: Bencoded[] = [];
      while (buf[i] !== 0x65) out.push(value());
      i++;
      return out;
    }
    if (c === 'd') {
      i++;
      const out: Record<string, Bencoded> = {};
      while (buf[i] !== 0x65) { const k = String(value()); out[k] = value(); }
      i++;
      return out;
    }
    const colon = buf.indexOf(':', i);
    const len = Number(buf.subarray(i, colon).toString());
    if (colon < 0 || !Number.isInteger(len)) throw new Error('bencode: malformed input');
    const s = buf.subarray(colon + 1, colon + 1 + len).toString();
    i = colon + 1 + len;
    return s;
  };
  const out = value();
  if (i > buf.length) throw new Error('bencode: truncated input');
  return out;
}

/** One ng request; rejects when no answer came within timeoutMs. */
export function ngRequest(host: string, port: number, command: Record<string, Bencoded>, timeoutMs = 1000): Promise<Record<string, Bencoded>> {
  return new Promise((resolve, reject) => {
    const cookie = randomBytes(6).toString('hex');
    const sock = createSocket('udp4');
    const done = (err: Error | null, reply?: Record<string, Bencoded>) => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err); else resolve(reply!);
    };
    const timer = setTimeout(() => done(new Error(`rtpengine ${host}:${port}: no answer to "${String(command.command)}"`)), timeoutMs);
    sock.on('error', (e) => done(e));
    sock.on('message', (msg) => {
      const space = msg.indexOf(' ');
      if (msg.subarray(0, space).toString() !== cookie) return;
      try { done(null, bdecode(msg.subarray(space + 1)) as Record<string, Bencoded>); } catch (e) { done(e as Error); }
    });
    sock.bind(0, '127.0.0.1', () => sock.send(Buffer.concat([Buffer.from(cookie + ' '), bencode(command)]), port, host));
  });
}

export async function ngPing(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  try { return (await ngRequest(host, port, { command: 'ping' }, timeoutMs)).result === 'pong'; } catch { return false; }
}
