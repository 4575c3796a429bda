import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, database, getDb, useDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { hashPassword } from '../../app/features/auth/password.server';
import { DEMO_PASSWORD, seedDemo } from '../../scripts/seed/demo';
import { ensureBuilt } from '../../scripts/build.mjs';
import { ensureCluster, postgresUrl } from './postgres';
import { onPostgres } from './test-database';
import pg from 'pg';

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

  if (onPostgres) await preparePostgresBases();

  process.env.COSPONSOR_TEST_EMPTY_DB = emptyBase;
  process.env.COSPONSOR_TEST_DEMO_DB = demoBase;
  process.env.COSPONSOR_TEST_KEY_FILE = process.env.SIGNING_KEY_FILE;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

// The same two bases on PostgreSQL, as template databases: each test file's database is a
// CREATE DATABASE … TEMPLATE copy (tests/support/db.ts). A template must have no connection
// open when it is copied, so both are closed here.
async function preparePostgresBases() {
  const cluster = await ensureCluster();
  const admin = new pg.Client({ connectionString: postgresUrl(cluster, 'postgres') });
  await admin.connect();
  try {
    for (const name of ['cosponsor_empty_base', 'cosponsor_demo_base']) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  useDatabase(postgresUrl(cluster, 'cosponsor_empty_base'));
  await migrateToLatest(database());
  closeDatabase();
  useDatabase(postgresUrl(cluster, 'cosponsor_demo_base'));
  await migrateToLatest(database());
  await seedDemo({ passwordHash: await hashPassword(DEMO_PASSWORD) });
  closeDatabase();
}
