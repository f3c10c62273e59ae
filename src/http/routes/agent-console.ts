// The agent web console (issue 6): Converse.js at /agent, configured for this
// server — WebSocket on our origin, the rooms service, the desk contact — so an
// agent without a desktop client works from a browser. Converse's own files are
// served from its npm package under /agent/assets/.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../core/errors.js';
import { repoPath } from '../../paths.js';

const CONVERSE_DIST = repoPath('node_modules', 'converse.js', 'dist');
const CONSOLE_JS = repoPath('dist', 'public', 'agent-console.js');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.json': 'application/json',
  '.wasm': 'application/wasm', '.ttf': 'font/ttf', '.woff': 'font/woff', '.woff2': 'font/woff2', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg', '.m4a': 'audio/mp4',
};

/** JSON inside a <script> element: nothing in it may close the element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

function page(cfg: Config): string {
  const settings = { domain: cfg.xmppDomain, mucDomain: cfg.roomsDomain, deskJid: cfg.deskDomain, websocketPath: '/xmpp-websocket', assetsPath: '/agent/assets/' };
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Switchboard — agent console</title>
  <link rel="stylesheet" href="/agent/assets/converse.min.css">
  <script type="application/json" id="switchboard-agent">${scriptJson(settings)}</script>
  <script type="module" src="/agent/assets/converse.min.js"></script>
  <script src="/agent/console.js" defer></script>
</head>
<body class="converse-fullscreen">
  <noscript>The agent console needs JavaScript.</noscript>
</body>
</html>`;
}

export function agentConsoleRoutes(app: FastifyInstance, cfg: Config): void {
  app.get('/agent', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(cfg)));

  app.get('/agent/console.js', { schema: { hide: true } }, async (_req, reply) => {
    if (!existsSync(CONSOLE_JS)) throw new Error('dist/public/agent-console.js is missing: run npm run build');
    return reply.type(TYPES['.js']!).send(readFileSync(CONSOLE_JS));
  });

  app.get<{ Params: { '*': string } }>('/agent/assets/*', { schema: { hide: true } }, async (req, reply) => {
    const rel = req.params['*'];
    const file = normalize(join(CONVERSE_DIST, rel));
    const type = TYPES[extname(file)];
    if (!type || !file.startsWith(CONVERSE_DIST + sep) || rel.split('/').some((p) => p.startsWith('.')) || !existsSync(file) || !statSync(file).isFile()) {
      throw new AppError('not_found', `file: no agent console asset named ${rel}`, 'file');
    }
    return reply.type(type).header('cache-control', 'public, max-age=3600').send(readFileSync(file));
  });
}
