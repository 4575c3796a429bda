import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, getDb, useDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { hashPassword } from '../../app/features/auth/password.server';
import { DEMO_PASSWORD, seedDemo } from '../../scripts/seed/demo';
import { ensureBuilt } from '../../scripts/build.mjs';

// Builds two base databases once per run: one only migrated, one migrated and
// seeded with the demo data. Each test file works on its own copy.
export default async function setup() {
  // Route and process tests run the built app and the compiled server: never an outdated one.
  await ensureBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-test-'));
  const emptyBase = path.join(dir, 'empty.db');
  const demoBase = path.join(dir, 'demo.db');
  // The demo records are sealed with this key; each test's database copy gets a copy of it.
  process.env.SIGNING_KEY_FILE = path.join(dir, 'keys', 'log-signing.key');
  process.env.CHECKPOINT_DIR = path.join(dir, 'checkpoints');

  useDatabase(emptyBase);
  await migrateToLatest(getDb());
  getDb().sqlite.pragma('wal_checkpoint(TRUNCATE)');
  closeDatabase();

  useDatabase(demoBase);
  await migrateToLatest(getDb());
  // One hash for every demo account keeps the setup fast; each is still scrypt.
  await seedDemo({ passwordHash: await hashPassword(DEMO_PASSWORD) });
  getDb().sqlite.pragma('wal_checkpoint(TRUNCATE)');
  closeDatabase();

  process.env.COSPONSOR_TEST_EMPTY_DB = emptyBase;
  process.env.COSPONSOR_TEST_DEMO_DB = demoBase;
  process.env.COSPONSOR_TEST_KEY_FILE = process.env.SIGNING_KEY_FILE;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
