import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { logConfig, type LogConfig } from './checkpoints';
import { backupWith, restoreLogFiles, type BackupResult } from './backup';
import { describePostgresUrl } from './postgres';

// Backup and restore of a PostgreSQL installation (docs/operations.md): the same three parts as
// SQLite's (db/backup.ts) around the database, which is copied with PostgreSQL's own tools:
//   <file>        pg_dump's custom format: one consistent snapshot of the whole database, taken
//                 while the app keeps running (a single repeatable-read transaction)
//   <file>.log/   the signing key, the checkpoints and the evidence files, as for SQLite
// The tools come from Debian's postgresql-client (or PATH): their major version must be at
// least the server's.

const run = promisify(execFile);

/** A PostgreSQL client program: from PATH, else the newest in Debian's /usr/lib/postgresql/<version>/bin. */
function postgresProgram(name: 'pg_dump' | 'pg_restore'): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', name))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`PostgreSQL's ${name} was not found on PATH or in ${root}/*/bin: install postgresql-client.`);
  return path.join(root, versions[0]!, 'bin', name);
}

/** The URL without its password (which goes in PGPASSWORD), so it never shows in the process list. */
function connectionArgs(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const m = /^(postgres(?:ql)?:\/\/[^:@/?]*):([^@/?]*)@/.exec(url);
  if (!m) return { url, env: process.env };
  return { url: url.replace(m[0], `${m[1]}@`), env: { ...process.env, PGPASSWORD: decodeURIComponent(m[2]!) } };
}

async function runProgram(name: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run(postgresProgram(name), args, { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${name} failed: ${(e.stderr || e.message).trim()}`, { cause: error });
  }
}

/** A consistent copy of the database at `url` to `file` (pg_dump), with the log's key, checkpoints and evidence files. */
export async function backupPostgresDatabase(file: string, url: string, config: LogConfig = logConfig()): Promise<BackupResult> {
  const { url: target, env } = connectionArgs(url);
  return backupWith(file, config, async (out) => {
    // Owners and grants are left out: the restoring role owns what it restores.
    await runProgram('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${out}`, `--dbname=${target}`], env);
  });
}

export type PostgresRestoreResult = { database: string; checkpoints: number; key: boolean; files: number };

/** The tables in the database at `url`, in any schema of its own. */
async function tableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/**
 * Restores a backup made by backupPostgresDatabase into the EMPTY database at `url` (a restore
 * never writes over a database), with its key, checkpoints and evidence files at the configured
 * places. All in one transaction: a restore that fails leaves the database empty.
 */
export async function restorePostgresDatabase(file: string, url: string, config: LogConfig = logConfig()): Promise<PostgresRestoreResult> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new Error(`There is no backup at ${source}.`);
  const { url: target, env } = connectionArgs(url);
  // Reading its table of contents checks the file is a whole pg_dump archive before anything is written.
  await runProgram('pg_restore', ['--list', source], env);
  const tables = await tableCount(url);
  if (tables > 0) {
    throw new Error(`The database ${describePostgresUrl(url)} holds ${tables} table(s); a restore never writes over a database. Create an empty one first.`);
  }
  const { checkpoints, key, files } = restoreLogFiles(source, config);
  await runProgram('pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${target}`, source], env);
  return { database: describePostgresUrl(url), checkpoints, key, files };
}
