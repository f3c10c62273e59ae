// The embedded PostgreSQL cluster: initialised in the data dir on first start
// (as the `postgres` user when we run as root, since initdb refuses root),
// then run as a supervised child listening on 127.0.0.1 only.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../log.js';
import { SupervisedChild } from './child.js';
import { runAs, type RunAs } from './users.js';

export interface EmbeddedPgOptions {
  dir: string;
  port: number;
  log: Logger;
  /** An initialised cluster to copy instead of running initdb (tests). */
  templateDir?: string;
  /** Skip fsync (tests only). */
  fast?: boolean;
}

export function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'postgres'))) return join(root, v, 'bin');
  throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
}

const DB = 'switchboard';

/** Create a cluster in `dir` (owned by the run-as user) with a generated password. */
export function initCluster(dir: string, who: RunAs, fast = false): void {
  // The parent stays traversable for the postgres user; the cluster itself is theirs alone.
  mkdirSync(join(dir, '..'), { recursive: true, mode: 0o755 });
  chmodSync(join(dir, '..'), 0o755);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (who.uid !== undefined) chownSync(dir, who.uid, who.gid!);
  const password = randomBytes(18).toString('base64url');
  const pwfile = join(dir, '..', `.pw-${process.pid}`);
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (who.uid !== undefined) chownSync(pwfile, who.uid, who.gid!);
  try {
    execFileSync(join(pgBinDir(), 'initdb'), ['-D', dir, '-U', DB, '--pwfile', pwfile, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-locale', ...(fast ? ['--no-sync'] : [])],
      { uid: who.uid, gid: who.gid, stdio: 'pipe' });
  } finally { rmSync(pwfile, { force: true }); }
  // Kept beside the cluster, readable by us only.
  writeFileSync(join(dir, '..', 'postgres.password'), password, { mode: 0o600 });
}

export class EmbeddedPostgres {
  readonly child: SupervisedChild;
  private password = '';

  constructor(private readonly opts: EmbeddedPgOptions) {
    const who = runAs('postgres');
    this.child = new SupervisedChild({
      name: 'postgres',
      command: join(pgBinDir(), 'postgres'),
      args: ['-D', opts.dir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
        ...(opts.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [])],
      uid: who.uid, gid: who.gid,
      stopSignal: 'SIGINT', // fast shutdown: don't wait for clients to leave
      ready: () => this.ping(),
      onLine: (l) => opts.log.debug(`[postgres] ${l}`),
    }, opts.log);
  }

  get url(): string {
    return `postgres://${DB}:${encodeURIComponent(this.password)}@127.0.0.1:${this.opts.port}/${DB}`;
  }

  private async ping(db = 'postgres'): Promise<boolean> {
    const c = new pg.Client({ host: '127.0.0.1', port: this.opts.port, user: DB, password: this.password, database: db });
    c.on('error', () => {});
    try { await c.connect(); await c.query('SELECT 1'); return true; } catch { return false; } finally { await c.end().catch(() => {}); }
  }

  async start(): Promise<string> {
    const { dir, templateDir, fast } = this.opts;
    const who = runAs('postgres');
    const pwPath = join(dir, '..', 'postgres.password');
    if (!existsSync(join(dir, 'PG_VERSION'))) {
      if (templateDir) {
        cpSync(templateDir, dir, { recursive: true, preserveTimestamps: true });
        cpSync(join(templateDir, '..', 'postgres.password'), pwPath);
        if (who.uid !== undefined) execFileSync('chown', ['-R', `${who.uid}:${who.gid}`, dir]);
        chmodSync(dir, 0o700);
        rmSync(join(dir, 'postmaster.pid'), { force: true });
      } else {
        this.opts.log.info(`initialising PostgreSQL cluster in ${dir}`);
        initCluster(dir, who, fast);
      }
    }
    this.password = readFileSync(pwPath, 'utf8').trim();
    await this.child.start();
    const c = new pg.Client({ connectionString: this.url.replace(/\/switchboard$/, '/postgres') });
    await c.connect();
    try {
      const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB]);
      if (r.rowCount === 0) await c.query(`CREATE DATABASE ${DB}`);
    } finally { await c.end(); }
    return this.url;
  }

  stop(): Promise<void> { return this.child.stop(); }
}
