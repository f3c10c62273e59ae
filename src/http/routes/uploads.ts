// The XEP-0363 upload service's HTTP side (Prosody's mod_http_file_share):
// slot URLs name our public URL (src/supervisor/prosody.ts), and /file_share/*
// is relayed here, streaming, to Prosody's HTTP port with the upload host's
// name, so customers and agents upload and download through our one origin.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { uploadHost } from '../../supervisor/prosody.js';

/** What a browser or an XMPP client may say to the upload service, and what it may hear back. */
const REQUEST_HEADERS = ['content-type', 'content-length', 'authorization', 'range', 'if-none-match', 'if-modified-since', 'origin',
  'access-control-request-method', 'access-control-request-headers'];
const RESPONSE_HEADERS = ['content-type', 'content-length', 'content-disposition', 'content-security-policy', 'etag', 'last-modified',
  'cache-control', 'expires', 'accept-ranges', 'content-range', 'x-content-type-options', 'access-control-allow-origin',
  'access-control-allow-methods', 'access-control-allow-headers', 'access-control-allow-credentials', 'access-control-max-age', 'vary'];

const pick = (h: IncomingHttpHeaders, names: string[]) =>
  Object.fromEntries(names.filter((n) => h[n] !== undefined).map((n) => [n, h[n]!]));

export function uploadRoutes(app: FastifyInstance, cfg: Config): void {
  // Prosody's HTTP server is where its WebSocket is.
  const upstream = new URL(cfg.xmppWebsocketUrl.replace(/^ws/, 'http'));
  const host = uploadHost(cfg);

  const relay = (req: FastifyRequest, reply: FastifyReply) => {
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
