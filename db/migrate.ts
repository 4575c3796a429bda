import SQLite from 'better-sqlite3';
import { Migrator, type MigrationProvider } from 'kysely';
import type { Db } from './connection';
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
export async function withStartupLock<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (lockHeld || db.path === ':memory:') return work();
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

/** Applies every pending migration, under the startup lock; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
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
