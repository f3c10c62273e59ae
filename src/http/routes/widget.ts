// The pop-up widget's script (issue 6): one file for every room; the script
// tag's data-room says which room it opens. Host pages on any origin load it
// with a plain <script src>, so it is served like any public static file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { repoPath } from '../../paths.js';

const PUBLIC_DIR = repoPath('dist', 'public');

export function widgetRoutes(app: FastifyInstance): void {
  for (const [url, file, type] of [['/widget.js', 'widget.js', 'text/javascript; charset=utf-8'], ['/widget.js.map', 'widget.js.map', 'application/json']] as const) {
    app.get(url, { schema: { hide: true } }, async (_req, reply) => {
      const path = join(PUBLIC_DIR, file);
      if (!existsSync(path)) throw new Error(`dist/public/${file} is missing: run npm run build`);
      // Short cache: host pages keep the same URL across our upgrades.
      return reply.type(type).header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*')
        .send(readFileSync(path));
    });
  }
}
