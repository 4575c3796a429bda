import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, getDb, useSqliteDatabase, type Db } from '../../db/connection';

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
 * file) and returns it. 'demo' has the demo seed; 'empty' only the schema.
 */
export function freshDatabase(kind: 'demo' | 'empty' = 'demo'): Db {
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
  return useSqliteDatabase(file);
}

export function currentDatabasePath(): string {
  return getDb().path;
}

/** Closes the database and removes every directory tempDir made in this test file. */
export function removeTempDirs(): void {
  closeDatabase();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
