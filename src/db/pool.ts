// The one module that owns the PostgreSQL pool. A transaction uses one client:
// ROLLBACK on error, release in finally.
import pg from 'pg';
import type { Logger } from '../log.js';

export type Db = pg.Pool;
export type Tx = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient;

export function createPool(connectionString: string, log: Logger, max = 10): Db {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client losing its server must not crash the process.
  pool.on('error', (err) => log.warn(`postgres pool: ${err.message}`));
  return pool;
}

export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const tx = await db.connect();
  try {
    await tx.query('BEGIN');
    const out = await fn(tx);
    await tx.query('COMMIT');
    return out;
  } catch (e) {
    await tx.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    tx.release();
  }
}
