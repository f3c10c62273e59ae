// The throwaway servers of one test run: a PostgreSQL cluster (copied from a
// template initialised once per machine) and a Prosody, in temp dirs on free
// 127.0.0.1 ports. Each suite then gets its own database (see stack.ts).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { EmbeddedPostgres, initCluster, pgBinDir } from '../../src/supervisor/postgres.js';
import { EmbeddedProsody } from '../../src/supervisor/prosody.js';
import { runAs } from '../../src/supervisor/users.js';
import { freePort } from './ports.js';

export interface TestEnv {
  dir: string;
  pgAdminUrl: string;
  prosody: EmbeddedProsody;
  baseConfig: Config;
  stop(): Promise<void>;
}

const log = process.env.TEST_LOG ? createLogger('debug', 'test') : silentLogger;

function template(): string {
  const root = join(tmpdir(), `switchboard-pg-template-${pgBinDir().split('/').at(-2)}`);
  const dir = join(root, 'cluster');
  if (existsSync(join(dir, 'PG_VERSION')) && existsSync(join(root, 'postgres.password'))) return dir;
  rmSync(root, { recursive: true, force: true });
  const tmp = `${root}.tmp-${process.pid}`;
  mkdirSync(tmp, { recursive: true, mode: 0o755 });
  chmodSync(tmp, 0o755);
  initCluster(join(tmp, 'cluster'), runAs('postgres'), true);
  renameSync(tmp, root);
  return dir;
}

let current: Promise<TestEnv> | null = null;

export function testEnv(): Promise<TestEnv> {
  current ??= start();
  return current;
}

export async function stopTestEnv(): Promise<void> {
  if (current) await (await current).stop();
  current = null;
}

async function start(): Promise<TestEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  chmodSync(dir, 0o755); // the postgres user must reach its cluster inside
  const pgPort = await freePort();
  const db = new EmbeddedPostgres({ dir: join(dir, 'postgres', 'cluster'), port: pgPort, log, templateDir: template(), fast: true });
  mkdirSync(join(dir, 'postgres'), { recursive: true, mode: 0o755 });
  const url = await db.start();
  const [c2s, comp, http] = [await freePort(), await freePort(), await freePort()];
  const baseConfig = loadConfig({}, {
    dataDir: dir, xmppC2sPort: c2s, xmppComponentPort: comp, xmppHttpPort: http,
    xmppWebsocketUrl: `ws://127.0.0.1:${http}/xmpp-websocket`, xmppRequireTls: false, xmppAllowPlain: true,
    pgPort, logLevel: 'error',
    // Kamailio and rtpengine start only for the suites that need them (voice.ts).
    voiceEnabled: false,
  });
  const prosody = new EmbeddedProsody(baseConfig, log);
  await prosody.start();
  return {
    dir, prosody, pgAdminUrl: url.replace(/\/switchboard$/, '/postgres'),
    baseConfig: { ...baseConfig, xmppComponentSecret: prosody.secret },
    async stop() {
      await prosody.stop();
      await db.stop();
      if (!process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let dbCounter = 0;
/** A fresh database on the run's cluster. */
export async function freshDatabase(env: TestEnv): Promise<string> {
  const name = `sb_${process.pid}_${++dbCounter}`;
  const c = new pg.Client({ connectionString: env.pgAdminUrl });
  await c.connect();
  try { await c.query(`CREATE DATABASE ${name}`); } finally { await c.end(); }
  return env.pgAdminUrl.replace(/\/postgres$/, `/${name}`);
}
