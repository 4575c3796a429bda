import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { getDb } from './connection';
import { logConfig, publicKeyFileOf, type LogConfig } from './checkpoints';
import { uploadDir } from './attachment-store';

// Backup and restore of a SQLite installation (docs/operations.md). A backup is
// three things, because the decision log's proof lives partly outside the file:
//   <file>                 the database, copied online (SQLite's backup API)
//   <file>.log/keys/       the signing key and its public key: every record's seal
//                          is derived from it, so without it no restored record verifies
//                          and new checkpoints would be signed by a stranger
//   <file>.log/checkpoints/ the signed checkpoints: the outside record of how long the
//                          log was; without them a restore that lost records goes unnoticed
//   <file>.log/uploads/     the evidence files the records cite (UPLOAD_DIR), by SHA-256: the
//                          verifier checks each cited file is there and unchanged
// The tree-state cache beside the checkpoints is left out: it is rebuilt and never trusted.

export type BackupResult = { file: string; bytes: number; checkpoints: number; key: boolean; files: number };

const logDirOf = (file: string) => `${file}.log`;

function copyCheckpoints(from: string, to: string): number {
  if (!fs.existsSync(from)) return 0;
  fs.mkdirSync(to, { recursive: true });
  let copied = 0;
  for (const name of fs.readdirSync(from)) {
    if (!name.endsWith('.checkpoint')) continue;
    const target = path.join(to, name);
    const source = path.join(from, name);
    if (fs.existsSync(target)) {
      // Checkpoints are never rewritten: the same name must hold the same note.
      if (!fs.readFileSync(target).equals(fs.readFileSync(source))) throw new Error(`${target} exists with other contents; nothing was overwritten.`);
      continue;
    }
    fs.copyFileSync(source, target);
    copied++;
  }
  return copied;
}

const STORED_NAME = /^[0-9a-f]{64}$/;

/**
 * Copies the content-addressed evidence files (<aa>/<sha256>) that `to` lacks. A file of the
 * same name must hold the same bytes: its name is its hash. Unfinished uploads are left out.
 */
function copyUploads(from: string, to: string): number {
  if (!fs.existsSync(from)) return 0;
  let copied = 0;
  for (const shard of fs.readdirSync(from)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const name of fs.readdirSync(path.join(from, shard))) {
      if (!STORED_NAME.test(name)) continue;
      const source = path.join(from, shard, name);
      const target = path.join(to, shard, name);
      if (fs.existsSync(target)) {
        if (!fs.readFileSync(target).equals(fs.readFileSync(source))) throw new Error(`${target} exists with other contents; nothing was overwritten.`);
        continue;
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(source, `${target}.copying`);
      fs.renameSync(`${target}.copying`, target);
      copied++;
    }
  }
  return copied;
}

/**
 * Copies the live database to `file` while the app keeps running, with the key and
 * checkpoints beside it. Checkpoints are copied first: each then describes a log no
 * longer than the database copied after it, so the backup verifies on its own.
 */
export async function backupDatabase(file: string, config: LogConfig = logConfig()): Promise<BackupResult> {
  return backupWith(file, config, async (target) => {
    await getDb().sqlite.backup(target);
  });
}

/**
 * The steps every backup shares, around `copyDatabase` (SQLite's backup API, or pg_dump): the
 * checkpoints and key before the database, the evidence files after it.
 */
export async function backupWith(file: string, config: LogConfig, copyDatabase: (target: string) => Promise<void>): Promise<BackupResult> {
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; choose a new file name.`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const logDir = logDirOf(target);
  fs.mkdirSync(path.join(logDir, 'keys'), { recursive: true, mode: 0o700 });
  const checkpoints = copyCheckpoints(config.checkpointDir, path.join(logDir, 'checkpoints'));
  const key = fs.existsSync(config.signingKeyFile);
  if (key) {
    fs.copyFileSync(config.signingKeyFile, path.join(logDir, 'keys', path.basename(config.signingKeyFile)));
    fs.chmodSync(path.join(logDir, 'keys', path.basename(config.signingKeyFile)), 0o600);
    const pub = publicKeyFileOf(config);
    if (fs.existsSync(pub)) fs.copyFileSync(pub, path.join(logDir, 'keys', path.basename(pub)));
  }
  await copyDatabase(target);
  // After the database: a record is written only once its files are stored, and stored files
  // are never removed, so every file the copied records cite is there to be copied now.
  const files = copyUploads(uploadDir(), path.join(logDir, 'uploads'));
  return { file: target, bytes: fs.statSync(target).size, checkpoints, key, files };
}

export type RestoreResult = { databasePath: string; checkpoints: number; key: boolean; files: number };

/**
 * Puts a backup in place at `databasePath` (which must not exist: a restore never
 * overwrites a database) with its key, checkpoints and evidence files at the configured places. A key
 * already there must be the same key. The copy is checked with integrity_check first.
 */
export function restoreDatabase(file: string, databasePath: string, config: LogConfig = logConfig()): RestoreResult {
  const source = path.resolve(file);
  const target = path.resolve(databasePath);
  if (!fs.existsSync(source)) throw new Error(`There is no backup at ${source}.`);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; a restore never overwrites a database. Move it away first.`);
  const check = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    const result = check.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`The backup ${source} is damaged: ${String(result)}`);
  } finally {
    check.close();
  }
  const { checkpoints, key, files } = restoreLogFiles(source, config);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Through a temporary name, so a crash never leaves half a database at the real path.
  const partial = `${target}.restoring`;
  fs.copyFileSync(source, partial);
  fs.renameSync(partial, target);
  return { databasePath: target, checkpoints, key, files };
}

/**
 * Puts the signing key, checkpoints and evidence files kept beside the backup `source` in
 * their configured places, before the database itself is restored. A key already there must be
 * the same key; a checkpoint or file already there must hold the same bytes.
 */
export function restoreLogFiles(source: string, config: LogConfig): { checkpoints: number; key: boolean; files: number } {
  const logDir = logDirOf(source);
  const keyCopy = path.join(logDir, 'keys', path.basename(config.signingKeyFile));
  const key = fs.existsSync(keyCopy);
  if (key) {
    if (fs.existsSync(config.signingKeyFile)) {
      if (!fs.readFileSync(config.signingKeyFile).equals(fs.readFileSync(keyCopy))) {
        throw new Error(`A different signing key is at ${config.signingKeyFile}; move it away to restore this backup's key.`);
      }
    } else {
      fs.mkdirSync(path.dirname(config.signingKeyFile), { recursive: true, mode: 0o700 });
      fs.copyFileSync(keyCopy, config.signingKeyFile);
      fs.chmodSync(config.signingKeyFile, 0o600);
      const pubCopy = path.join(logDir, 'keys', path.basename(publicKeyFileOf(config)));
      if (fs.existsSync(pubCopy)) fs.copyFileSync(pubCopy, publicKeyFileOf(config));
    }
  }
  const checkpoints = copyCheckpoints(path.join(logDir, 'checkpoints'), config.checkpointDir);
  const files = copyUploads(path.join(logDir, 'uploads'), uploadDir());
  return { checkpoints, key, files };
}
