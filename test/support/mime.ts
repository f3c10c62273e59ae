// Just enough MIME (RFC 2045/2046/2047) to read what nodemailer writes: headers,
// nested multiparts, quoted-printable and base64 parts. For assertions in tests.
export interface MimePart { headers: Map<string, string>; body: string; bytes: Buffer; parts: MimePart[] }

export interface ParsedMail {
  headers: Map<string, string>;
  subject: string;
  from: string;
  to: string;
  replyTo: string | undefined;
  messageId: string | undefined;
  text: string;
  html: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

/** RFC 2047 encoded words, as nodemailer writes them for non-ASCII headers. */
function decodeWords(v: string): string {
  return v.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=\s*(?==\?)/g, '=?$1?$2?$3?=').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _cs, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : qp(data.replace(/_/g, ' ')).toString('utf8'));
}

function qp(s: string): Buffer {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) { bytes.push(parseInt(src.slice(i + 1, i + 3), 16)); i += 2; }
    else bytes.push(...Buffer.from(src[i]!, 'utf8'));
  }
  return Buffer.from(bytes);
}

function parsePart(raw: string): MimePart {
  const cut = raw.search(/\r?\n\r?\n/);
  const head = cut < 0 ? raw : raw.slice(0, cut);
  const rest = cut < 0 ? '' : raw.slice(cut).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const chunks = rest.split(`--${boundary}`).slice(1);
    const parts = chunks.filter((c) => !c.startsWith('--')).map((c) => parsePart(c.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
    return { headers, body: '', bytes: Buffer.alloc(0), parts };
  }
  const enc = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes = enc === 'base64' ? Buffer.from(rest.replace(/\s+/g, ''), 'base64') : enc === 'quoted-printable' ? qp(rest) : Buffer.from(rest, 'utf8');
  return { headers, body: bytes.toString('utf8').replace(/\r\n/g, '\n'), bytes, parts: [] };
}

function leaves(p: MimePart): MimePart[] {
  return p.parts.length ? p.parts.flatMap(leaves) : [p];
}

export function parseMail(raw: string): ParsedMail {
  const root = parsePart(raw);
  const all = leaves(root);
  const isAttachment = (p: MimePart) => /attachment/i.test(p.headers.get('content-disposition') ?? '');
  const body = (t: string) => all.find((p) => !isAttachment(p) && (p.headers.get('content-type') ?? 'text/plain').toLowerCase().startsWith(t))?.body ?? '';
  const h = root.headers;
  return {
    headers: h, subject: h.get('subject') ?? '', from: h.get('from') ?? '', to: h.get('to') ?? '', replyTo: h.get('reply-to'), messageId: h.get('message-id'),
    text: body('text/plain'), html: body('text/html'),
    attachments: all.filter(isAttachment).map((p) => ({
      filename: /filename="?([^";]+)"?/i.exec(p.headers.get('content-disposition') ?? '')?.[1] ?? '',
      contentType: (p.headers.get('content-type') ?? '').split(';')[0]!.trim(),
      content: p.bytes,
    })),
  };
}
