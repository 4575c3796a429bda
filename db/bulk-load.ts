import { database, type AnyDb } from './connection';

// A generator filling an empty database with thousands of small transactions (the scale seed)
// runs them without waiting for the disk at every commit; a crash mid-load means rebuilding the
// dataset, nothing more. Everything is put back before any other use of the database.

/** SQLite's page cache during the load, 1 GiB: a register of 200,000 proposals is about 11 GB. */
const BULK_CACHE_KIB = 1024 * 1024;
/** WAL pages between checkpoints while generating (SQLite's default is 1,000): about 160 MB. */
const BULK_CHECKPOINT_PAGES = 40_000;

/** Starts a bulk load on the process's database; the returned function ends it. */
export function beginBulkLoad(): () => void {
  const db = database();
  if (db.kind === 'postgres') {
    // The session's commits return before their WAL reaches the disk; PostgreSQL stays
    // consistent after a crash (only the last commits are lost), unlike fsync = off.
    db.connection.query('SET synchronous_commit = off');
    return () => endPostgres(db);
  }
  const { sqlite } = db;
  // The bulk load alone runs without fsync per commit. A large cache (memory, not disk) and
  // rarer WAL checkpoints: with SQLite's default 2 MB page cache every index lookup and
  // every append reads its pages back from the OS.
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma(`cache_size = -${BULK_CACHE_KIB}`);
  sqlite.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
  return () => {
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('cache_size = -2000');
    sqlite.pragma('wal_autocheckpoint = 1000');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  };
}

function endPostgres(db: Extract<AnyDb, { kind: 'postgres' }>): void {
  db.connection.query('SET synchronous_commit = on');
  // The planner's statistics of the loaded tables now, rather than whenever autovacuum gets to them.
  db.connection.query('ANALYZE');
}
