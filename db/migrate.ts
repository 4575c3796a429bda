import SQLite from 'better-sqlite3';
import type pg from 'pg';
import { Migrator, type MigrationProvider } from 'kysely';
import type { AnyDb } from './connection';
import { migrations } from './migrations';

const provider: MigrationProvider = { getMigrations: async () => migrations };

let lockHeld = false;

/**
 * Runs `work` while this process holds the database's startup lock: an
 * exclusive transaction on a small lock file beside the database. A second
 * process starting at the same time waits here (up to a minute) instead of
 * racing the first through the migrations; the operating system releases the
 * lock if the holder dies.
 */
export async function withStartupLock<T>(db: AnyDb, work: () => Promise<T>): Promise<T> {
  if (lockHeld || db.path === ':memory:') return work();
  if (db.kind === 'postgres') return withPostgresStartupLock(db.pool, work);
  const lock = new SQLite(`${db.path}.startup-lock`);
  try {
    lock.pragma('busy_timeout = 60000');
    lock.exec('BEGIN EXCLUSIVE');
    lockHeld = true;
    try {
      return await work();
    } finally {
      lockHeld = false;
      lock.exec('COMMIT');
    }
  } finally {
    lock.close();
  }
}

// On PostgreSQL the startup lock is a session advisory lock, held on its own connection
// until the work is done; the server releases it if this process dies.
const STARTUP_LOCK_KEY = 0x636f7374; // "cost"

async function withPostgresStartupLock<T>(pool: pg.Pool, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    lockHeld = true;
    try {
      return await work();
    } finally {
      lockHeld = false;
      await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

/** Applies every pending migration, under the startup lock; throws with the failing migration's name. */
export async function migrateToLatest(db: AnyDb): Promise<string[]> {
  return withStartupLock(db, async () => {
    const migrator = new Migrator({ db: db.kysely, provider });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) {
      throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
    }
    return (results ?? []).map((r) => r.migrationName);
  });
}
