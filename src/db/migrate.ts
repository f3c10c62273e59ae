// Applies the numbered SQL files in schemas/migrations once each, in order,
// under an advisory lock so two processes starting together do not race.
import { readdirSync, readFileSync } from 'node:fs';
import { repoPath } from '../paths.js';
import { inTransaction, type Db } from './pool.js';

const LOCK = 0x5b0a4d; // any constant unique to us

export async function migrate(db: Db): Promise<string[]> {
  const dir = repoPath('schemas', 'migrations');
  const files = readdirSync(dir).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
  return inTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await tx.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version as number));
    const applied: string[] = [];
    for (const f of files) {
      const version = Number(f.slice(0, 3));
      if (done.has(version)) continue;
      await tx.query(readFileSync(`${dir}/${f}`, 'utf8'));
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, f]);
      applied.push(f);
    }
    return applied;
  });
}
