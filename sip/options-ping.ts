// A SIP OPTIONS request over UDP (RFC 3261 §11) to a server itself: its
// answer proves the SIP workers run, not just that a port is bound.
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

/** Resolves with the status code of the answer, or null when none came within timeoutMs. */
export function sipOptions(host: string, port: number, timeoutMs = 500): Promise<number | null> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const id = randomBytes(8).toString('hex');
    const done = (code: number | null) => { clearTimeout(timer); sock.close(); resolve(code); };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.on('error', () => done(null));
    sock.on('message', (msg) => {
      const text = msg.toString();
      const m = /^SIP\/2\.0 (\d{3})/.exec(text);
      if (m && text.includes(id)) done(Number(m[1]));
    });
    sock.bind(0, '127.0.0.1', () => {
      const local = sock.address().port;
      const req = [
        `OPTIONS sip:${host}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${id};rport`,
        'Max-Forwards: 70',
        `From: <sip:ping@127.0.0.1>;tag=${id}`,
        `To: <sip:${host}:${port}>`,
        `Call-ID: ${id}@127.0.0.1`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '', '',
      ].join('\r\n');
      sock.send(req, port, host);
    });
  });
}
