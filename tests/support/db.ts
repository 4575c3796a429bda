import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, database, isPostgresUrl, useDatabase, type AnyDb } from '../../db/connection';
import { SyncPostgres } from '../../db/pg-sync';
import { postgresUrl, startedCluster } from './postgres';
import { onPostgres } from './test-database';

let counter = 0;
const made: string[] = [];

/** A fresh temporary directory, removed with everything in it when the test file ends (removeTempDirs). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * Points this test process at a fresh copy of a base database (a real SQLite
 * file, or a PostgreSQL database in the PostgreSQL test mode) and returns it.
 * 'demo' has the demo seed; 'empty' only the schema.
 */
export function freshDatabase(kind: 'demo' | 'empty' = 'demo'): AnyDb {
  const base = kind === 'demo' ? process.env.COSPONSOR_TEST_DEMO_DB : process.env.COSPONSOR_TEST_EMPTY_DB;
  if (!base) throw new Error('The test databases were not prepared: run tests through vitest.');
  const dir = tempDir(`cosponsor-w${process.pid}-`);
  const file = path.join(dir, `${kind}-${++counter}.db`);
  fs.copyFileSync(base, file);
  process.env.DATABASE_PATH = file;
  // The log's key and checkpoints belong with this database copy, never in the repository's ./data.
  process.env.CHECKPOINT_DIR = path.join(dir, 'checkpoints');
  process.env.SIGNING_KEY_FILE = path.join(dir, 'keys', 'log-signing.key');
  // Evidence files too: never in the repository's ./data.
  process.env.UPLOAD_DIR = path.join(dir, 'uploads');
  const baseKey = process.env.COSPONSOR_TEST_KEY_FILE;
  if (baseKey && fs.existsSync(baseKey)) {
    fs.mkdirSync(path.join(dir, 'keys'), { mode: 0o700 });
    fs.copyFileSync(baseKey, process.env.SIGNING_KEY_FILE);
    fs.chmodSync(process.env.SIGNING_KEY_FILE, 0o600);
    fs.copyFileSync(baseKey.replace(/\.key$/, '.pub'), process.env.SIGNING_KEY_FILE.replace(/\.key$/, '.pub'));
  }
  if (onPostgres) {
    const url = copyPostgresBase(kind);
    process.env.DATABASE_URL = url;
    return useDatabase(url);
  }
  return useDatabase(file);
}

/** A new database on the run's cluster, copied from the migrated (and seeded) template. */
function copyPostgresBase(kind: 'demo' | 'empty'): string {
  const cluster = startedCluster();
  const name = `test_${process.pid}_${++counter}`;
  const admin = new SyncPostgres(postgresUrl(cluster, 'postgres'), 30_000);
  try {
    admin.query(`CREATE DATABASE ${name} TEMPLATE cosponsor_${kind}_base`);
  } finally {
    admin.close();
  }
  return postgresUrl(cluster, name);
}

/**
 * A new, empty database (no tables) of the run's kind, for tests that hand one to a command:
 * a path in a temporary directory, or a new database on the PostgreSQL test cluster.
 */
export function newEmptyDatabase(): string {
  if (!onPostgres) return path.join(tempDir('cosponsor-new-'), 'new.db');
  const cluster = startedCluster();
  const name = `test_${process.pid}_${++counter}`;
  const admin = new SyncPostgres(postgresUrl(cluster, 'postgres'), 30_000);
  try {
    admin.query(`CREATE DATABASE ${name}`);
  } finally {
    admin.close();
  }
  return postgresUrl(cluster, name);
}

/** The environment that points a child process at `target` (a file path or a postgres:// URL). */
export function databaseEnv(target: string): { DATABASE_PATH?: string; DATABASE_URL?: string } {
  return isPostgresUrl(target) ? { DATABASE_URL: target } : { DATABASE_PATH: target, DATABASE_URL: '' };
}

/** The current database: a SQLite file's path, or a postgres:// URL. */
export function currentDatabasePath(): string {
  return database().path;
}

/**
 * A consistent copy of the current database, for a command to run on (or an insider to tamper
 * with) while the current one stays as it is; its path or postgres:// URL. SQLite: VACUUM INTO
 * a new file. PostgreSQL: a new database with the current one as its template, which
 * PostgreSQL copies only while nobody is connected to it: this process's connection is closed
 * for the copy and opened again.
 */
export function copyOfCurrentDatabase(): string {
  const db = database();
  if (db.kind === 'sqlite') {
    const file = path.join(tempDir('cosponsor-copy-'), 'copy.db');
    db.sqlite.exec(`VACUUM INTO '${file}'`);
    return file;
  }
  const source = String(db.connection.query('SELECT current_database() AS name').rows[0]!.name);
  const name = `test_${process.pid}_${++counter}`;
  closeDatabase();
  const admin = new SyncPostgres(postgresUrl(startedCluster(), 'postgres'), 30_000);
  try {
    admin.query(`CREATE DATABASE ${name} TEMPLATE ${source}`);
  } finally {
    admin.close();
    useDatabase(db.path);
  }
  return postgresUrl(startedCluster(), name);
}

/**
 * A new copy of the seeded base database for a child process to start on (this process stays
 * on its own): a file in a temporary directory, or a new database on the PostgreSQL test cluster.
 */
export function newDemoDatabase(): string {
  if (onPostgres) return copyPostgresBase('demo');
  const base = process.env.COSPONSOR_TEST_DEMO_DB;
  if (!base) throw new Error('The test databases were not prepared: run tests through vitest.');
  const file = path.join(tempDir('cosponsor-demo-'), 'app.db');
  fs.copyFileSync(base, file);
  return file;
}

/** Runs `fn` with `target` (a file path or a postgres:// URL) as this process's database, then returns to the current one. */
export function onDatabase<T>(target: string, fn: () => T): T {
  const original = currentDatabasePath();
  useDatabase(target);
  try {
    return fn();
  } finally {
    useDatabase(original);
  }
}

/** Closes the database and removes every directory tempDir made in this test file. */
export function removeTempDirs(): void {
  closeDatabase();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs one statement (`?` placeholders) through a connection of its own, committed when this
 * returns: a write by another worker of the cluster, another instance or a script.
 */
export async function runElsewhere(statement: string, params: unknown[], target = database().path): Promise<void> {
  if (!isPostgresUrl(target)) {
    const other = new SQLite(target);
    try {
      other.prepare(statement).run(...params);
    } finally {
      other.close();
    }
    return;
  }
  let n = 0;
  const other = new pg.Client({ connectionString: target });
  await other.connect();
  try {
    await other.query(
      statement.replace(/\?/g, () => `$${++n}`),
      params,
    );
  } finally {
    await other.end();
  }
}
