import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointLog } from '../../db/checkpoint-log';
import { logConfig } from '../../db/checkpoints';
import { getDb } from '../../db/connection';
import { moveToPostgres, verifyPostgresLog } from '../../db/move';
import { closePostgres, openPostgres, type Postgres } from '../../db/postgres';
import { tempDir } from '../support/db';
import { freshPostgresDatabase } from '../support/postgres';

// npm run db:backup and db:restore on PostgreSQL (pg_dump/pg_restore), through the real
// commands: the seeded demo log (moved from this file's SQLite copy, with a signed checkpoint)
// backed up while a connection is open, restored into an empty database of the same server, and
// the restored log verified, by the restore command itself and by audit:verify afterwards.

const command = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync('npx', ['tsx', script, ...args], {
    env: { ...process.env, DATABASE_PATH: '', ...env },
    encoding: 'utf8',
    timeout: 90_000,
  });

let live: Postgres;
let liveUrl: string;
let records: number;

beforeAll(async () => {
  expect(checkpointLog()).toMatchObject({ ok: true });
  records = (getDb().sqlite.prepare('SELECT count(*) AS n FROM decision_records').get() as { n: number }).n;
  liveUrl = await freshPostgresDatabase();
  live = openPostgres(liveUrl);
  expect((await moveToPostgres(getDb().sqlite, live)).ok).toBe(true);
});

afterAll(async () => {
  await closePostgres(live);
});

describe('db:backup and db:restore on PostgreSQL', () => {
  it('backs up with pg_dump beside the key and checkpoints; restores into an empty database; the restored log verifies', async () => {
    const logFiles = { SIGNING_KEY_FILE: process.env.SIGNING_KEY_FILE!, CHECKPOINT_DIR: process.env.CHECKPOINT_DIR!, UPLOAD_DIR: process.env.UPLOAD_DIR! };
    const backupFile = path.join(tempDir('cosponsor-pg-backup-'), 'nightly.dump');
    // The live database keeps a connection open during the dump: pg_dump reads one snapshot.
    await live.pool.query('SELECT 1');
    const backup = command('scripts/db-backup.ts', [backupFile], { DATABASE_URL: liveUrl, ...logFiles });
    expect(backup.stderr).toBe('');
    expect(backup.stdout).toMatch(/^Backed up PostgreSQL .* with [1-9]\d* checkpoint\(s\), \d+ evidence file\(s\) and the signing key/);
    expect(backup.status).toBe(0);
    expect(fs.statSync(`${backupFile}.log/keys/${path.basename(logFiles.SIGNING_KEY_FILE)}`).mode & 0o777).toBe(0o600);

    const restoredUrl = await freshPostgresDatabase();
    const fresh = tempDir('cosponsor-pg-restored-');
    const restoredAt = {
      DATABASE_URL: restoredUrl,
      SIGNING_KEY_FILE: path.join(fresh, 'keys', 'log-signing.key'),
      CHECKPOINT_DIR: path.join(fresh, 'checkpoints'),
      UPLOAD_DIR: path.join(fresh, 'uploads'),
    };
    const restore = command('scripts/db-restore.ts', [backupFile], restoredAt);
    expect(restore.stdout).toMatch(/^Restored PostgreSQL .* with [1-9]\d* checkpoint\(s\), \d+ evidence file\(s\) and the signing key\./m);
    expect(restore.stdout).toMatch(new RegExp(`^OK ${records} records, consistent with \\d+ signed checkpoint`, 'm'));
    expect(restore.status).toBe(0);

    // The chain, the Merkle tree at each checkpoint and the seals, replayed from the restored rows.
    const restored = openPostgres(restoredUrl);
    try {
      const replay = await verifyPostgresLog(restored, { ...logConfig(), signingKeyFile: restoredAt.SIGNING_KEY_FILE, checkpointDir: restoredAt.CHECKPOINT_DIR });
      expect(replay).toMatchObject({ ok: true, count: records });
    } finally {
      await closePostgres(restored);
    }

    // The verifier on its own, as an operator runs it after a restore.
    const verify = command('scripts/audit-verify.ts', [], restoredAt);
    expect(verify.stdout.trim()).toMatch(new RegExp(`^OK ${records} records, consistent with`));
    expect(verify.status).toBe(0);

    // Restoring again into the now full database is refused, and nothing is written.
    const again = command('scripts/db-restore.ts', [backupFile], restoredAt);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/holds \d+ table\(s\); a restore never writes over a database/);
  }, 180_000);

  it('refuses a file that is not a pg_dump archive before touching the database', async () => {
    const bogus = path.join(tempDir('cosponsor-pg-backup-'), 'not-a-dump');
    fs.writeFileSync(bogus, 'SQLite format 3\u0000 and then nothing useful');
    const url = await freshPostgresDatabase();
    const restore = command('scripts/db-restore.ts', [bogus], { DATABASE_URL: url, SIGNING_KEY_FILE: path.join(path.dirname(bogus), 'k'), CHECKPOINT_DIR: path.join(path.dirname(bogus), 'c') });
    expect(restore.status).toBe(1);
    expect(restore.stderr).toMatch(/Restore failed: pg_restore failed/);
    expect(fs.existsSync(path.join(path.dirname(bogus), 'k'))).toBe(false);
  }, 60_000);
});
