import crypto from 'node:crypto';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import type pg from 'pg';
import { logConfig, type LogConfig } from './checkpoints';
import { REPLAY_COLUMNS, replayLog, type ReplayResult, type StoredRecord } from './log-replay';
import { migrations } from './migrations';
import { migratePostgres, type Postgres } from './postgres';
import { defaultTrustedKeys } from './verify';

// npm run db:move: copies a SQLite database into an empty PostgreSQL database, then
// checks the copy: every table's row count and rows on both sides, and the decision log replayed
// from PostgreSQL (hashes, chain, Merkle root at every signed checkpoint) against the
// same replay of the SQLite file (docs/decisions/0040-postgresql-path.md).

/** A refusal before anything was written to the target: the message says why. */
export class MoveRefused extends Error {}

/** The SQLite file to move, which must exist (opening a missing path would create an empty database). */
export function openSource(file: string): SQLite.Database {
  if (file === ':memory:' || !fs.existsSync(file)) throw new MoveRefused(`There is no SQLite database at ${file} (set DATABASE_PATH).`);
  const sqlite = new SQLite(file, { fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/** Rows on each side, and whether the two sides hold the same rows (see RowDigest). */
type TableCount = { table: string; sqlite: number; postgres: number; sameContent: boolean };

export type MoveResult = {
  ok: boolean;
  migrations: number;
  tables: TableCount[];
  /** The log replayed from each side. */
  sqliteLog: ReplayResult;
  postgresLog: ReplayResult;
  /** What differs, if anything (counts, heads, a broken log). */
  differences: string[];
  copyMs: number;
};

export type MoveOptions = {
  /** Rows per INSERT statement (fewer when a table has many columns). */
  batchRows?: number;
  config?: LogConfig;
  progress?: (message: string) => void;
};

// PostgreSQL takes at most 65535 parameters per statement.
const MAX_PARAMETERS = 65_535;
const READ_BATCH = 5_000;

type SourceTable = { name: string; columns: string[]; orderBy: string };

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The tables to copy: every table but SQLite's own, the migrator's and the storage an FTS5
 * table keeps for itself (its rows are copied through the FTS table, with their rowid).
 */
function sourceTables(sqlite: SQLite.Database): SourceTable[] {
  const all = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[];
  const virtual = all.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name);
  return all
    .filter((t) => !t.name.startsWith('sqlite_') && !t.name.startsWith('kysely_migration') && !virtual.some((v) => t.name.startsWith(`${v}_`)))
    .map((t) => {
      const columns = (sqlite.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).all(t.name) as { name: string }[]).map((c) => c.name);
      const isVirtual = virtual.includes(t.name);
      const withoutRowid = /WITHOUT\s+ROWID\s*$/i.test(t.sql);
      return { name: t.name, columns: isVirtual ? ['rowid', ...columns] : columns, orderBy: withoutRowid ? '' : ' ORDER BY rowid' };
    });
}

async function targetColumns(client: pg.PoolClient): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
  return out;
}

/** Tables in an order where each comes after the tables its foreign keys point to. */
async function foreignKeyOrder(client: pg.PoolClient, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
      WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace`,
  );
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const r of rows) if (r.child !== r.parent) parents.get(r.child)?.add(r.parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.filter((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p) || !parents.has(p)));
    if (next.length === 0) throw new Error(`The foreign keys of ${tables.filter((t) => !placed.has(t)).join(', ')} form a cycle.`);
    for (const t of next) {
      ordered.push(t);
      placed.add(t);
    }
  }
  return ordered;
}

/** Refuses a source that is not at the latest migration: both sides must have one schema. */
function checkSourceMigrations(sqlite: SQLite.Database): void {
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get();
  const applied = hasTable ? (sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name) : [];
  const known = Object.keys(migrations).sort();
  const missing = known.filter((m) => !applied.includes(m));
  const unknown = applied.filter((m) => !known.includes(m));
  if (unknown.length > 0) throw new MoveRefused(`The SQLite database has migrations this version does not know (${unknown.join(', ')}): move it with the version that wrote it.`);
  if (missing.length > 0) throw new MoveRefused(`The SQLite database is not migrated to the latest schema (${missing.length} pending): run npm run db:migrate first.`);
}

/** Refuses a target that holds any table (a move never mixes with or overwrites data), or whose text the search would split wrongly. */
async function checkTarget(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1 LIMIT 6`,
  );
  // Migration 0001 refuses such a database too; refusing here leaves it untouched.
  const { rows: kind } = await client.query<{ encoding: string; ctype: string }>(
    'SELECT pg_encoding_to_char(encoding) AS encoding, datctype AS ctype FROM pg_database WHERE datname = current_database()',
  );
  if (kind[0] && (kind[0].encoding !== 'UTF8' || ['C', 'POSIX'].includes(kind[0].ctype))) {
    throw new MoveRefused(
      `The PostgreSQL database has encoding ${kind[0].encoding} and LC_CTYPE ${kind[0].ctype}; Cosponsor needs UTF8 and a UTF-8 LC_CTYPE for its search (createdb -E UTF8 --locale=C.UTF-8 -T template0, or en_US.UTF-8).`,
    );
  }
  if (rows.length > 0) {
    const names = rows.slice(0, 5).map((r) => r.name).join(', ');
    throw new MoveRefused(
      `The PostgreSQL database is not empty (it has ${names}${rows.length > 5 ? ', …' : ''}): db:move copies only into an empty database. Create a new one (createdb) and try again.`,
    );
  }
}

async function copyTable(sqlite: SQLite.Database, client: pg.PoolClient, table: SourceTable, batchRows: number): Promise<number> {
  const columns = table.columns.map(quote).join(', ');
  const perStatement = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMETERS / table.columns.length)));
  // 64-bit integers as BigInt, so no value loses digits on the way.
  const rows = sqlite.prepare(`SELECT ${columns} FROM ${quote(table.name)}${table.orderBy}`).raw().safeIntegers(true).iterate() as Iterable<unknown[]>;
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const width = table.columns.length;
    const values = batch.map((_, r) => `(${table.columns.map((__, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await client.query(`INSERT INTO ${quote(table.name)} (${columns}) VALUES ${values}`, batch.flat());
    copied += batch.length;
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= perStatement) await flush();
  }
  await flush();
  return copied;
}

/**
 * An order-independent digest of a table's rows: the sum (mod 2^64) of the first 8 bytes of
 * SHA-256 over each row's values as JSON, in the source's column order. The two sides sort
 * text differently, so rows are not compared in order; a sum, unlike XOR, does not let two
 * equal rows cancel out.
 */
class RowDigest {
  rows = 0;
  private sum = 0n;
  add(values: unknown[]): void {
    this.rows++;
    this.sum = (this.sum + crypto.createHash('sha256').update(JSON.stringify(values)).digest().readBigUInt64BE(0)) & 0xffffffffffffffffn;
  }
  get digest(): string {
    return this.sum.toString(16);
  }
}

function sqliteDigest(sqlite: SQLite.Database, table: SourceTable): RowDigest {
  const digest = new RowDigest();
  const rows = sqlite.prepare(`SELECT ${table.columns.map(quote).join(', ')} FROM ${quote(table.name)}`).raw().iterate() as Iterable<unknown[]>;
  for (const row of rows) digest.add(row);
  return digest;
}

/** The same digest over PostgreSQL's rows, read through a cursor (a table may not fit in memory). */
async function postgresDigest(client: pg.PoolClient, table: SourceTable): Promise<RowDigest> {
  const digest = new RowDigest();
  await client.query('BEGIN READ ONLY');
  try {
    await client.query(`DECLARE copied NO SCROLL CURSOR FOR SELECT ${table.columns.map(quote).join(', ')} FROM ${quote(table.name)}`);
    for (;;) {
      const { rows } = await client.query<unknown[]>({ text: `FETCH FORWARD ${READ_BATCH} FROM copied`, rowMode: 'array' });
      for (const row of rows) digest.add(row);
      if (rows.length < READ_BATCH) break;
    }
  } finally {
    await client.query('COMMIT');
  }
  return digest;
}

async function compareTables(sqlite: SQLite.Database, client: pg.PoolClient, tables: SourceTable[]): Promise<TableCount[]> {
  const counts: TableCount[] = [];
  for (const t of tables) {
    const source = sqliteDigest(sqlite, t);
    const copy = await postgresDigest(client, t);
    counts.push({ table: t.name, sqlite: source.rows, postgres: copy.rows, sameContent: source.rows === copy.rows && source.digest === copy.digest });
  }
  return counts;
}

/** Each table's rows in SQLite against PostgreSQL's, after a move (as db:move prints them). */
export async function compareWithSource(sqlite: SQLite.Database, target: Postgres): Promise<TableCount[]> {
  const client = await target.pool.connect();
  sqlite.exec('BEGIN');
  try {
    return await compareTables(sqlite, client, sourceTables(sqlite));
  } finally {
    sqlite.exec('COMMIT');
    client.release();
  }
}

async function* postgresRecords(pool: pg.Pool): AsyncIterable<StoredRecord> {
  const select = `SELECT ${REPLAY_COLUMNS.join(', ')} FROM decision_records WHERE seq > $1 ORDER BY seq LIMIT ${READ_BATCH}`;
  for (let after = 0; ; ) {
    const { rows } = await pool.query<StoredRecord>(select, [after]);
    yield* rows;
    if (rows.length < READ_BATCH) return;
    after = rows[rows.length - 1]!.seq;
  }
}

function sqliteRecords(sqlite: SQLite.Database): Iterable<StoredRecord> {
  return sqlite.prepare(`SELECT ${REPLAY_COLUMNS.join(', ')} FROM decision_records ORDER BY seq`).iterate() as Iterable<StoredRecord>;
}

/** Replays the decision log as PostgreSQL holds it (see log-replay.ts). */
export async function verifyPostgresLog(target: Postgres, config: LogConfig = logConfig()): Promise<ReplayResult> {
  return replayLog(postgresRecords(target.pool), { trustedKeys: defaultTrustedKeys(config), config });
}

/**
 * Copies every table of `sqlite` into the empty database `target`: the target is migrated
 * to the same schema, then all rows are copied in one transaction (triggers off meanwhile,
 * so the kept counts are copied as they are rather than counted twice; foreign keys still
 * checked), identity columns continue after the highest id, and both sides are compared.
 * Throws MoveRefused, writing nothing, for a source not at the latest migration or a
 * target that is not empty.
 */
export async function moveToPostgres(sqlite: SQLite.Database, target: Postgres, options: MoveOptions = {}): Promise<MoveResult> {
  const progress = options.progress ?? (() => {});
  const config = options.config ?? logConfig();
  checkSourceMigrations(sqlite);
  const probe = await target.pool.connect();
  try {
    await checkTarget(probe);
  } finally {
    probe.release();
  }
  const applied = await migratePostgres(target);
  progress(`Migrated the PostgreSQL database: ${applied.length} migrations.`);

  const started = performance.now();
  // One read transaction on SQLite: every table comes from the same snapshot.
  sqlite.exec('BEGIN');
  const client = await target.pool.connect();
  try {
    const tables = sourceTables(sqlite);
    const columns = await targetColumns(client);
    const missing = tables.filter((t) => !columns.has(t.name)).map((t) => t.name);
    const extra = [...columns.keys()].filter((t) => !t.startsWith('kysely_migration') && !tables.some((s) => s.name === t));
    if (missing.length > 0 || extra.length > 0) {
      throw new Error(`The schemas differ: ${missing.length ? `only SQLite has ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `only PostgreSQL has ${extra.join(', ')}` : ''}.`);
    }
    for (const t of tables) {
      const there = columns.get(t.name)!;
      if (there.length !== t.columns.length || t.columns.some((c) => !there.includes(c))) {
        throw new Error(`The columns of ${t.name} differ: SQLite has ${t.columns.join(', ')}; PostgreSQL has ${there.join(', ')}.`);
      }
    }
    const order = await foreignKeyOrder(
      client,
      tables.map((t) => t.name),
    );
    await client.query('BEGIN');
    try {
      for (const name of order) {
        const table = tables.find((t) => t.name === name)!;
        await client.query(`ALTER TABLE ${quote(name)} DISABLE TRIGGER USER`);
        const copied = await copyTable(sqlite, client, table, options.batchRows ?? 1_000);
        await client.query(`ALTER TABLE ${quote(name)} ENABLE TRIGGER USER`);
        progress(`  ${name}: ${copied} rows`);
      }
      // New rows continue after the copied ones.
      const { rows: identities } = await client.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'`,
      );
      for (const { table_name: t, column_name: c } of identities) {
        await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${quote(c)}) FROM ${quote(t)}), 0) + 1, false)`, [quote(t), c]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    const copyMs = performance.now() - started;

    const counts = await compareTables(sqlite, client, tables);
    const trustedKeys = defaultTrustedKeys(config);
    const sqliteLog = await replayLog(sqliteRecords(sqlite), { trustedKeys, config });
    const postgresLog = await verifyPostgresLog(target, config);

    const differences: string[] = [];
    for (const c of counts) {
      if (c.sqlite !== c.postgres) differences.push(`${c.table}: ${c.sqlite} rows in SQLite, ${c.postgres} in PostgreSQL`);
      else if (!c.sameContent) differences.push(`${c.table}: the rows hold different values in SQLite and PostgreSQL`);
    }
    if (!postgresLog.ok) differences.push('the decision log on PostgreSQL does not verify');
    if (postgresLog.head.size !== sqliteLog.head.size || postgresLog.head.root !== sqliteLog.head.root) {
      differences.push(`the log's tree heads differ: SQLite ${sqliteLog.head.size} ${sqliteLog.head.root}, PostgreSQL ${postgresLog.head.size} ${postgresLog.head.root}`);
    }
    return { ok: differences.length === 0, migrations: applied.length, tables: counts, sqliteLog, postgresLog, differences, copyMs };
  } finally {
    client.release();
    sqlite.exec('COMMIT');
  }
}
