// Builds the customer chat page into dist/public:
//   customer.js (+ .map)  web/customer/main.ts bundled with @xmpp/client for browsers
//   customer.css          web/customer/customer.css, minified
//   customer.html         web/customer/customer.html, asset URLs stamped with a content hash
//   widget.js (+ .map)    web/widget/widget.ts, the pop-up a host page loads (classic script, IIFE)
//   agent-console.js      web/agent/console.ts, Converse.js settings for /agent
// Run from the repo root: `node dist/scripts/build-web.js` (part of `npm run build`).
// The server serves customer.html at /c/:slug (replacing __ROOM_SLUG__) and
// the rest under /assets/; widget.js at /widget.js.
import { build, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';

const root = process.cwd();
const srcDir = join(root, 'web', 'customer');
const outDir = join(root, 'dist', 'public');

// Browsers of the last few years; the page uses ES modules, so nothing older matters.
const TARGETS = ['es2020', 'chrome100', 'edge100', 'firefox100', 'safari15'];

/**
 * @xmpp/resolve's package.json maps "./lib/dns" to false for browsers (DNS SRV
 * lookups need Node), but its code imports "./lib/dns.js", which that mapping
 * does not catch in esbuild. Apply the package's intent by hand; we always
 * pass a ws(s):// service, so resolution never runs anyway.
 */
const noNodeDns: Plugin = {
  name: 'xmpp-resolve-no-dns',
  setup(b) {
    b.onResolve({ filter: /^\.\/lib\/dns\.js$/ }, (args) =>
      args.importer.includes(`${sep}@xmpp${sep}resolve${sep}`) ? { path: 'dns', namespace: 'browser-stub' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'browser-stub' }, () => ({ contents: 'export const resolve = undefined;', loader: 'js' }));
  },
};

async function bundleScript(): Promise<void> {
  await build({
    entryPoints: [join(srcDir, 'main.ts')],
    outfile: join(outDir, 'customer.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'browser', // honours @xmpp/client's "browser" field (no TCP/TLS transports)
    format: 'esm',
    target: TARGETS,
    tsconfig: join(root, 'web', 'tsconfig.json'),
    legalComments: 'linked',
    plugins: [noNodeDns],
    logLevel: 'warning',
  });
}

/** A classic script (no type=module on the host page's tag), so an IIFE. */
async function bundleWidget(): Promise<void> {
  await build({
    entryPoints: [join(root, 'web', 'widget', 'widget.ts')],
    outfile: join(outDir, 'widget.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'browser',
    format: 'iife',
    target: TARGETS,
    tsconfig: join(root, 'web', 'tsconfig.json'),
    logLevel: 'warning',
  });
}

/** The agent console's settings script (Converse.js itself is served from its package). */
async function bundleAgentConsole(): Promise<void> {
  await build({
    entryPoints: [join(root, 'web', 'agent', 'console.ts')],
    outfile: join(outDir, 'agent-console.js'),
    bundle: true, minify: true, platform: 'browser', format: 'iife', target: TARGETS,
    tsconfig: join(root, 'web', 'tsconfig.json'), logLevel: 'warning',
  });
}

async function bundleStyles(): Promise<void> {
  await build({
    entryPoints: [join(srcDir, 'customer.css')],
    outfile: join(outDir, 'customer.css'),
    bundle: true,
    minify: true,
    target: TARGETS,
    logLevel: 'warning',
  });
}

/** Short content hash, so a new build is never masked by a cached asset. */
async function hashOf(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex').slice(0, 10);
}

async function writePage(): Promise<void> {
  let html = await readFile(join(srcDir, 'customer.html'), 'utf8');
  if (!html.includes('__ROOM_SLUG__')) throw new Error('customer.html lost its __ROOM_SLUG__ placeholder');
  for (const asset of ['customer.js', 'customer.css']) {
    const url = `/assets/${asset}`;
    if (!html.includes(`"${url}"`)) throw new Error(`customer.html does not reference ${url}`);
    html = html.replace(`"${url}"`, `"${url}?v=${await hashOf(join(outDir, asset))}"`);
  }
  await writeFile(join(outDir, 'customer.html'), html);
}

async function main(): Promise<void> {
  if (!existsSync(join(srcDir, 'main.ts'))) {
    throw new Error(`no web/customer/main.ts under ${root}: run this from the repository root`);
  }
  await mkdir(outDir, { recursive: true });
  await Promise.all([bundleScript(), bundleStyles(), bundleWidget(), bundleAgentConsole()]);
  await writePage();
  const sizes = await Promise.all(['customer.js', 'customer.css', 'customer.html', 'widget.js'].map(async (f) =>
    `${f} ${((await stat(join(outDir, f))).size / 1024).toFixed(1)} kB`));
  console.log(`build-web: dist/public/ ${sizes.join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(`build-web: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
