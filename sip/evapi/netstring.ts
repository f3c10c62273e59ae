// Netstrings (https://cr.yp.to/proto/netstrings.txt): "<length>:<bytes>,".
// evapi frames every message this way with modparam("evapi","netstring_format",1).

export function encodeNetstring(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

export class NetstringError extends Error {}

/** Streaming decoder: feed it bytes as they come, get whole payloads back. */
export class NetstringDecoder {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes = 1 << 20) {}

  push(chunk: Buffer): string[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: string[] = [];
    for (;;) {
      const colon = this.buf.indexOf(0x3a);
      if (colon < 0) {
        if (this.buf.length > 10) throw new NetstringError('netstring: no length prefix');
        return out;
      }
      const head = this.buf.subarray(0, colon).toString('latin1');
      if (!/^(0|[1-9]\d{0,9})$/.test(head)) throw new NetstringError(`netstring: bad length ${JSON.stringify(head.slice(0, 12))}`);
      const len = Number(head);
      if (len > this.maxBytes) throw new NetstringError(`netstring: ${len} bytes is over the ${this.maxBytes} limit`);
      const end = colon + 1 + len;
      if (this.buf.length < end + 1) return out;
      if (this.buf[end] !== 0x2c) throw new NetstringError('netstring: missing trailing comma');
      out.push(this.buf.subarray(colon + 1, end).toString('utf8'));
      this.buf = this.buf.subarray(end + 1);
    }
  }
}
