// The XEP-0363 upload service's HTTP side (Prosody's mod_http_file_share):
// slot URLs name our public URL (src/supervisor/prosody.ts), and /file_share/*
// is relayed here, streaming, to Prosody's HTTP port with the upload host's
// name, so customers and agents upload and download through our one origin.
// Prosody's HTTP port listens on loopback only, so every upload passes here:
// a customer's PUT is held against the room of the conversation they are in
// (its size and type limits, src/core/upload-policy.ts) before it is relayed.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Queryable } from '../../db/pool.js';
import { roomById } from '../../db/repos/rooms.js';
import { uploadPolicy, uploadRefusal } from '../../core/upload-policy.js';
import { uploadTexts } from '../../core/texts.js';
import { UPLOAD_MAX_BYTES, uploadHost } from '../../supervisor/prosody.js';

/** What a browser or an XMPP client may say to the upload service, and what it may hear back. */
const REQUEST_HEADERS = ['content-type', 'content-length', 'authorization', 'range', 'if-none-match', 'if-modified-since', 'origin',
  'access-control-request-method', 'access-control-request-headers'];
const RESPONSE_HEADERS = ['content-type', 'content-length', 'content-disposition', 'content-security-policy', 'etag', 'last-modified',
  'cache-control', 'expires', 'accept-ranges', 'content-range', 'x-content-type-options', 'access-control-allow-origin',
  'access-control-allow-methods', 'access-control-allow-headers', 'access-control-allow-credentials', 'access-control-max-age', 'vary'];

const pick = (h: IncomingHttpHeaders, names: string[]) =>
  Object.fromEntries(names.filter((n) => h[n] !== undefined).map((n) => [n, h[n]!]));

/**
 * What the slot's token says (mod_http_file_share signs a JWT per slot: the
 * uploader's bare JID, the file's name, size and type). Read, not verified:
 * Prosody verifies the signature of the very token we pass on, so altered
 * claims get no further than a 401.
 */
export function slotClaims(authorization: string | undefined): { uploader: string; name: string; size: number; type: string } | null {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof c.sub !== 'string' || typeof c.filename !== 'string' || typeof c.filesize !== 'number') return null;
    return { uploader: c.sub, name: c.filename, size: c.filesize, type: typeof c.filetype === 'string' ? c.filetype : 'application/octet-stream' };
  } catch {
    return null;
  }
}

/** The room whose limits a customer's upload answers to: the open conversation this guest is in. */
async function customerRoom(db: Queryable, uploader: string): Promise<string | null> {
  const r = await db.query(`SELECT c.room_id AS "roomId" FROM occupants o JOIN conversations c ON c.muc_node = o.muc_node
    WHERE o.kind = 'customer' AND lower(split_part(o.real_jid, '/', 1)) = $1 AND c.status <> 'closed' ORDER BY c.created_at DESC LIMIT 1`, [uploader]);
  return r.rows[0]?.roomId ?? null;
}

const REFUSED: Record<number, string> = { 403: 'Forbidden', 413: 'Payload Too Large', 415: 'Unsupported Media Type' };

export function uploadRoutes(app: FastifyInstance, cfg: Config, db: Queryable): void {
  // Prosody's HTTP server is where its WebSocket is.
  const upstream = new URL(cfg.xmppWebsocketUrl.replace(/^ws/, 'http'));
  const host = uploadHost(cfg);

  /** Why this PUT may not go on (a customer's file against their room's limits), or null. Agents answer to the service's limit only. */
  const gate = async (req: FastifyRequest): Promise<{ status: number; message: string } | null> => {
    const claims = slotClaims(req.headers.authorization);
    if (!claims || claims.uploader.split('@')[1]?.toLowerCase() !== cfg.guestDomain.toLowerCase()) return null;
    const roomId = await customerRoom(db, claims.uploader.toLowerCase());
    const room = roomId ? await roomById(db, roomId) : null;
    if (!room) return { status: 403, message: uploadTexts.notInConversation };
    const policy = uploadPolicy(room.settings, host, UPLOAD_MAX_BYTES);
    const declared = Number(req.headers['content-length']);
    return uploadRefusal(policy, { name: claims.name, type: claims.type, size: Number.isFinite(declared) ? Math.max(declared, claims.size) : claims.size });
  };

  const relay = async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === 'PUT') {
      const refused = await gate(req);
      if (refused) {
        (req.body as Readable | undefined)?.resume(); // read and drop what the client sends
        return reply.code(refused.status).send({ statusCode: refused.status, error: REFUSED[refused.status], message: refused.message, field: 'file' });
      }
    }
    const up = httpRequest({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
      headers: { ...pick(req.headers, REQUEST_HEADERS), host },
    }, (res) => {
      void reply.code(res.statusCode ?? 502).headers(pick(res.headers, RESPONSE_HEADERS)).send(res);
    });
    up.on('error', () => { if (!reply.sent) void reply.code(502).type('text/plain').send('The file service is not available right now.'); });
    if (req.method === 'PUT' && req.body) (req.body as Readable).pipe(up);
    else up.end();
    return reply;
  };

  void app.register(async (files) => {
    // Leave the body as a stream: files go through as they come, whatever their type.
    files.removeAllContentTypeParsers();
    files.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    files.route({ method: ['GET', 'HEAD', 'PUT', 'OPTIONS'], url: '/file_share/*', schema: { hide: true }, handler: relay });
  });
}
