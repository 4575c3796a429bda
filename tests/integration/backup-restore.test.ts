import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointLog } from '../../db/checkpoint-log';
import { countRecords } from '../../db/decision-log';
import { currentDatabasePath, tempDir } from '../support/db';
import { proposalAt } from './step-fixtures';
import { storeUpload } from '../../app/features/attachments/attachments.server';
import { decide } from '../../app/features/vetting/vetting.server';
import { bytesOf } from '../../db/attachment-store';
import { proposalRow } from '../../db/proposals';
import { samplePdf } from '../support/sample-files';
import { actor, CRITERIA } from './review-fixtures';

/** A values step whose first criterion cites a stored PDF, so the log depends on a file. */
async function valuesWithEvidence(title: string): Promise<string> {
  const stored = await storeUpload(bytesOf(samplePdf(title)), 'funding.pdf');
  if (!stored.ok) throw new Error(stored.message);
  const id = proposalAt('values', title);
  const ratings = Object.fromEntries(
    CRITERIA.map((k, i) => [k, { rating: 'meets', evidence: 'Checked.', links: [], ...(i === 0 ? { attachments: [{ ...stored.ref, effectiveDate: '2026-01-31' }] } : {}) }]),
  );
  const result = decide({ proposalId: id, expectedVersion: proposalRow(id)!.version, actor: actor('lead@cosponsor.test'), command: { type: 'SUBMIT_VALUES', input: { ratings } } });
  if (!result.ok) throw new Error(result.error.message);
  return stored.ref.sha256;
}

// Backup and restore through the real commands: an online backup of the database this
// process holds open, restored into a fresh place, ends in the verifier reporting OK.

const npmRun = (args: string[], env: Record<string, string>) =>
  spawnSync('npx', ['tsx', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

describe('db:backup and db:restore', () => {
  it('backs up a live database with decisions, checkpoints and evidence files; the restored copy verifies', async () => {
    // Decisions before and after a signed checkpoint, so the restore has both to account for.
    proposalAt('values', 'Backup test before the checkpoint');
    const sha256 = await valuesWithEvidence('Backup test with a cited file');
    const checkpoint = checkpointLog();
    expect(checkpoint.ok).toBe(true);
    proposalAt('agenda', 'Backup test after the checkpoint');
    const records = countRecords();
    expect(records).toBeGreaterThan(3);

    const live = {
      DATABASE_PATH: currentDatabasePath(),
      SIGNING_KEY_FILE: process.env.SIGNING_KEY_FILE!,
      CHECKPOINT_DIR: process.env.CHECKPOINT_DIR!,
      UPLOAD_DIR: process.env.UPLOAD_DIR!,
    };
    const backupFile = path.join(tempDir('cosponsor-backup-'), 'nightly.db');
    // This process keeps its connection open (and its WAL unmerged) while the copy is taken.
    const backup = npmRun(['scripts/db-backup.ts', backupFile], live);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    expect(fs.readdirSync(`${backupFile}.log/checkpoints`).filter((f) => f.endsWith('.checkpoint')).length).toBeGreaterThan(0);

    const fresh = tempDir('cosponsor-restored-');
    const restoredAt = {
      DATABASE_PATH: path.join(fresh, 'data', 'cosponsor.db'),
      SIGNING_KEY_FILE: path.join(fresh, 'keys', 'log-signing.key'),
      CHECKPOINT_DIR: path.join(fresh, 'checkpoints'),
      UPLOAD_DIR: path.join(fresh, 'uploads'),
    };
    const restore = npmRun(['scripts/db-restore.ts', backupFile], restoredAt);
    expect(restore.stdout).toMatch(new RegExp(`^OK ${records} records, consistent with \\d+ signed checkpoint.*, 1 attached file intact`, 'm'));
    expect(restore.status).toBe(0);
    expect(fs.existsSync(path.join(restoredAt.UPLOAD_DIR, sha256.slice(0, 2), sha256))).toBe(true);
    expect(fs.statSync(restoredAt.SIGNING_KEY_FILE).mode & 0o777).toBe(0o600);

    // The verifier on its own, as an operator would run it after a restore.
    const verify = npmRun(['scripts/audit-verify.ts'], restoredAt);
    expect(verify.stdout.trim()).toMatch(new RegExp(`^OK ${records} records, consistent with .*, 1 attached file intact`));
    expect(verify.status).toBe(0);

    // A second restore onto the same place is refused: a restore never overwrites a database.
    const again = npmRun(['scripts/db-restore.ts', backupFile], restoredAt);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('a restore never overwrites a database');
  }, 90_000);

  it('an old database restored beside newer checkpoints is reported BROKEN: why the checkpoints go with every backup', () => {
    proposalAt('values', 'Backup test, tail');
    expect(checkpointLog().ok).toBe(true);
    const live = { DATABASE_PATH: currentDatabasePath(), SIGNING_KEY_FILE: process.env.SIGNING_KEY_FILE!, CHECKPOINT_DIR: process.env.CHECKPOINT_DIR! };
    const dir = tempDir('cosponsor-backup-');
    // An old database file next to newer checkpoints: the kind of mix a careless restore makes.
    const old = path.join(dir, 'old.db');
    expect(npmRun(['scripts/db-backup.ts', old], live).status).toBe(0);
    proposalAt('values', 'Backup test, after the old copy');
    expect(checkpointLog().ok).toBe(true);
    const fresh = tempDir('cosponsor-restored-');
    const restoredAt = {
      DATABASE_PATH: path.join(fresh, 'cosponsor.db'),
      SIGNING_KEY_FILE: path.join(fresh, 'keys', 'log-signing.key'),
      CHECKPOINT_DIR: path.join(fresh, 'checkpoints'),
    };
    const restore = npmRun(['scripts/db-restore.ts', old], restoredAt);
    expect(restore.status).toBe(0);
    // Copy in the newer checkpoints: the verifier now sees the database is shorter than the log it signed.
    for (const f of fs.readdirSync(live.CHECKPOINT_DIR).filter((n) => n.endsWith('.checkpoint'))) {
      const target = path.join(restoredAt.CHECKPOINT_DIR, f);
      if (!fs.existsSync(target)) fs.copyFileSync(path.join(live.CHECKPOINT_DIR, f), target);
    }
    const verify = npmRun(['scripts/audit-verify.ts'], restoredAt);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^BROKEN/);
  }, 90_000);
});
