import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Compilable, type CompiledQuery, type RawBuilder } from 'kysely';
import pg from 'pg';
import { SyncPostgres } from './pg-sync';
import type { Database } from './schema';

/** An open SQLite database (the default). */
export type Db = {
  kind: 'sqlite';
  path: string;
  sqlite: SQLite.Database;
  /** Query builder and migrator; queries run synchronously through the helpers below. */
  kysely: Kysely<Database>;
  statements: Map<string, SQLite.Statement>;
  /** The statements all() and first() read rows with (see rowReader). */
  readers: Map<string, RowReader>;
  /** One transaction wrapper, made once: better-sqlite3 builds four functions for each wrapper it makes. */
  runTransaction: SQLite.Transaction<<T>(fn: () => T) => T>;
};

/** An open PostgreSQL database (DATABASE_URL=postgres://…): the same synchronous helpers, through db/pg-sync.ts. */
export type PostgresDb = {
  kind: 'postgres';
  /** The URL, as given (it may hold a password: describe it with describePostgresUrl for messages). */
  path: string;
  connection: SyncPostgres;
  /** Builds and compiles queries; its pool is used only by the migrator and by scripts that await. */
  kysely: Kysely<Database>;
  pool: pg.Pool;
  /** Open transactions and savepoints on the connection. */
  depth: number;
};

export type AnyDb = Db | PostgresDb;
export type Dialect = AnyDb['kind'];

export const DEFAULT_DATABASE_PATH = './data/cosponsor.db';

/** How long a statement or a lock wait may take on PostgreSQL, like SQLite's busy timeout. */
const POSTGRES_STATEMENT_TIMEOUT_MS = 5000;

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

export function openDatabase(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers continue while a decision commits; FULL makes each commit
  // durable before we answer the user (see docs/decisions/0002-sqlite-pragmas.md).
  // The busy timeout first: switching a new file to WAL waits for another process opening it.
  sqlite.pragma('busy_timeout = 5000');
  switchToWal(sqlite, 5000);
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // A decision's statements fire triggers and touch many indexes; past 64 KiB SQLite kept the
  // pages a statement may have to restore in a new temporary file, per transaction (strace).
  sqlite.pragma('temp_store = MEMORY');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const runTransaction = sqlite.transaction(<T>(fn: () => T): T => fn());
  return { kind: 'sqlite', path: file, sqlite, kysely, statements: new Map(), readers: new Map(), runTransaction };
}

const INT8_OID = 20;
const parseInt8 = (text: string): number | string => (Number.isSafeInteger(Number(text)) ? Number(text) : text);
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function openPostgresDatabase(url: string): PostgresDb {
  // A small pool for what awaits (migrations, db:move's checks); requests use the one synchronous connection.
  const pool = new pg.Pool({ connectionString: url, max: 2, types: pgTypes, connectionTimeoutMillis: 10_000, allowExitOnIdle: true });
  pool.on('error', () => {});
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kind: 'postgres', path: url, connection: new SyncPostgres(url, POSTGRES_STATEMENT_TIMEOUT_MS), kysely, pool, depth: 0 };
}

function open(target: string): AnyDb {
  return isPostgresUrl(target) ? openPostgresDatabase(target) : openDatabase(target);
}

let current: AnyDb | undefined;

/** The process-wide database: DATABASE_URL (PostgreSQL) when set, else the SQLite file at DATABASE_PATH. */
export function database(): AnyDb {
  if (!current) current = open(process.env.DATABASE_URL || process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
  return current;
}

/** Which database this process runs on. */
export function dialect(): Dialect {
  return database().kind;
}

/** The process-wide SQLite database, for what only SQLite has (backup API, pragmas); refused on PostgreSQL. */
export function getDb(): Db {
  const db = database();
  if (db.kind !== 'sqlite') throw new Error('This operation needs SQLite; the database is PostgreSQL (DATABASE_URL).');
  return db;
}

/**
 * Switching a new file to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once,
 * without waiting out the busy timeout, to another process switching the same file meanwhile:
 * on a fresh checkout the two web workers `npm start` forks open the new file together, and one
 * of them died at start. Retried here, up to the busy timeout.
 */
function switchToWal(sqlite: SQLite.Database, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      // Start-up only: a short synchronous pause, as SQLite's own busy handler would make.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** Tests and scripts point the process at another database: a file path, or a postgres:// URL. */
export function useDatabase(target: string): AnyDb {
  closeDatabase();
  current = open(target);
  return current;
}

/** Like useDatabase, for callers that only work on SQLite files. */
export function useSqliteDatabase(file: string): Db {
  if (isPostgresUrl(file)) throw new Error('A SQLite file path is needed here, not a PostgreSQL URL.');
  return useDatabase(file) as Db;
}

export function closeDatabase(): void {
  if (!current) return;
  const closing = current;
  current = undefined;
  if (closing.kind === 'sqlite') closing.sqlite.close();
  else {
    closing.connection.close();
    void closing.kysely.destroy();
  }
}

/** The Kysely builder of the current database. */
export function qb(): Kysely<Database> {
  return database().kysely;
}

/** A raw `sql` query, compiled by the current database's dialect, for all/first/run. */
export function raw<R>(query: RawBuilder<R>): Compilable<R> {
  return { compile: () => query.compile(qb()) };
}

function prepare(db: Db, sql: string): SQLite.Statement {
  let statement = db.statements.get(sql);
  if (!statement) {
    statement = db.sqlite.prepare(sql);
    db.statements.set(sql, statement);
  }
  return statement;
}

/** One run of a prebuilt query: its method is shared, where a closure per run was one more object (and, under tsx, a name set on it). */
class PrebuiltQuery<R> implements Compilable<R> {
  constructor(
    private readonly compiled: CompiledQuery<R>,
    private readonly parameters: unknown[],
  ) {}

  compile(): CompiledQuery<R> {
    return { ...this.compiled, parameters: this.parameters };
  }
}

/**
 * What a result read now may be kept under (dataVersion, below), or null when it may not be kept:
 * on PostgreSQL (its version is a snapshot, true only of reads made in that snapshot), and inside
 * a transaction on SQLite, whose reads may still
 * be rolled back. Read the token before the result, so a result is never older than its token.
 */
export function changeToken(): string | null {
  const db = database();
  if (db.kind !== 'sqlite' || db.sqlite.inTransaction) return null;
  return dataVersion();
}

/**
 * A query Kysely builds and compiles once, then re-runs with new parameters.
 * The decision path runs a dozen small queries per decision, and building and
 * compiling them cost more than SQLite takes to run them. Each named parameter
 * is built as a unique sentinel, so its position in the compiled SQL is found,
 * never assumed; a query whose SQL depends on a parameter's value (not only
 * its position) must not be prebuilt.
 */
export function prebuilt<P extends Record<string, unknown>, R>(names: readonly (keyof P & string)[], build: (params: P) => Compilable<R>) {
  type Template = { compiled: CompiledQuery<R>; parametersOf: (params: P) => unknown[] };
  // One per dialect: the SQL text differs ($1 on PostgreSQL, ? on SQLite).
  const templates = new Map<Dialect, Template>();
  return (params: P): Compilable<R> => {
    const kind = dialect();
    let template = templates.get(kind);
    if (!template) {
      const sentinel = (name: string) => `\u0000prebuilt:${name}\u0000`;
      const compiled = build(Object.fromEntries(names.map((n) => [n, sentinel(n)])) as P).compile();
      const slots = compiled.parameters.map((value) => {
        const name = names.find((n) => value === sentinel(n));
        return name ? { name } : { value };
      });
      const used = new Set(slots.flatMap((s) => ('name' in s ? [s.name] : [])));
      if (used.size !== names.length) throw new Error(`prebuilt query lost a parameter: ${compiled.sql}`);
      template = { compiled, parametersOf: parameterList(slots) };
      templates.set(kind, template);
    }
    return new PrebuiltQuery(template.compiled, template.parametersOf(params));
  };
}

/** A statement read as arrays, with what turns its arrays into the rows better-sqlite3 would have made. */
type RowReader = { statement: SQLite.Statement; toRow: ((values: unknown[]) => unknown) | null };

/**
 * better-sqlite3 makes each row object one property at a time, through V8's generic property
 * path, after looking every column's name up again: on the decision path that was a tenth of
 * the JavaScript time. Read as arrays, each statement's rows become objects through one object
 * literal of its columns, compiled once: the same keys, in the same order, with the same values
 * (a repeated column name keeps its first place and its last value, as before).
 */
function rowReader(db: Db, sql: string): RowReader {
  let reader = db.readers.get(sql);
  if (!reader) {
    const statement = db.sqlite.prepare(sql);
    // A statement that returns nothing keeps better-sqlite3's own refusal; a column named
    // __proto__ would set the literal's prototype, so such a statement keeps objects.
    const columns = statement.reader ? statement.columns().map((c) => c.name) : null;
    const toRow = columns && !columns.includes('__proto__') ? rowLiteral(columns) : null;
    if (toRow) statement.raw(true);
    reader = { statement, toRow };
    db.readers.set(sql, reader);
  }
  return reader;
}

function rowLiteral(columns: string[]): (values: unknown[]) => unknown {
  // JSON's string syntax is valid JavaScript: any column name is quoted safely.
  const fields = columns.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${fields} };`) as (values: unknown[]) => unknown;
}

/**
 * The function that lists a prebuilt query's parameters from its named values, compiled once
 * per query: one array literal of plain property reads, where a loop over the names read each
 * through V8's slow keyed path (every query's parameter object has its own shape).
 */
function parameterList<P>(slots: ({ name: string } | { value: unknown })[]): (params: P) => unknown[] {
  const constants = slots.map((s) => ('value' in s ? s.value : undefined));
  const items = slots.map((s, i) => ('name' in s ? `p[${JSON.stringify(s.name)}]` : `c[${i}]`)).join(', ');
  const make = new Function('c', `return (p) => [${items}];`) as (c: unknown[]) => (params: P) => unknown[];
  return make(constants);
}

// Kysely builds and types the SQL; better-sqlite3 (or the synchronous PostgreSQL connection)
// runs it at once, so a transaction below never interleaves with another request of this process.
function pgQuery(db: PostgresDb, compiled: CompiledQuery<unknown>) {
  return db.connection.query(compiled.sql, compiled.parameters, db.depth > 0);
}

export function all<R>(query: Compilable<R>): R[] {
  const compiled = query.compile();
  const db = database();
  if (db.kind === 'postgres') return pgQuery(db, compiled).rows as R[];
  const { statement, toRow } = rowReader(db, compiled.sql);
  const rows = statement.all(...(compiled.parameters as unknown[]));
  if (toRow) for (let i = 0; i < rows.length; i++) rows[i] = toRow(rows[i] as unknown[]);
  return rows as R[];
}

/** Rows as arrays of their values, in column order: for results of thousands of rows, where objects cost more than the query. */
export function allArrays<R extends unknown[]>(query: Compilable<unknown>): R[] {
  const compiled = query.compile();
  const db = database();
  // PostgreSQL's rows come as objects from the connection's worker; their values are in column order.
  if (db.kind === 'postgres') return (pgQuery(db, compiled).rows as Record<string, unknown>[]).map((r) => Object.values(r) as R);
  const { statement, toRow } = rowReader(db, compiled.sql);
  const rows = statement.all(...(compiled.parameters as unknown[]));
  // A statement kept as objects (a __proto__ column) gives its values as they are.
  return (toRow ? rows : (rows as Record<string, unknown>[]).map((r) => Object.values(r))) as R[];
}

export function first<R>(query: Compilable<R>): R | undefined {
  const compiled = query.compile();
  const db = database();
  if (db.kind === 'postgres') return pgQuery(db, compiled).rows[0] as R | undefined;
  const { statement, toRow } = rowReader(db, compiled.sql);
  const values = statement.get(...(compiled.parameters as unknown[]));
  return (toRow && values !== undefined ? toRow(values as unknown[]) : values) as R | undefined;
}

export type RunResult = { changes: number };

export function run(query: Compilable<unknown>): RunResult {
  const compiled = query.compile();
  const db = database();
  if (db.kind === 'postgres') return { changes: pgQuery(db, compiled).rowCount };
  return { changes: prepare(db, compiled.sql).run(...(compiled.parameters as unknown[])).changes };
}

/** Inserts one row into a table with an `id` key and returns that id. */
export function insertId(query: Compilable<unknown>): number {
  const compiled = query.compile();
  const db = database();
  if (db.kind === 'postgres') {
    const row = pgQuery(db, { ...compiled, sql: `${compiled.sql} returning "id"` }).rows[0];
    return Number(row?.id);
  }
  return Number(prepare(db, compiled.sql).run(...(compiled.parameters as unknown[])).lastInsertRowid);
}

/** Whether a transaction is open on this process's connection. */
export function inTransaction(): boolean {
  const db = database();
  return db.kind === 'postgres' ? db.depth > 0 : db.sqlite.inTransaction;
}

/**
 * The key of the one advisory lock every PostgreSQL write transaction takes first: the
 * counterpart of SQLite's BEGIN IMMEDIATE, so of two instances only one reads the chain head
 * and appends at a time (the unique seq is the backstop), and every read-then-write in a
 * transaction sees the same serial order on both databases.
 */
export const WRITE_LOCK_KEY = 0x636f7370; // "cosp"

/**
 * Runs fn in one write transaction, taken with BEGIN IMMEDIATE (SQLite) or under the write
 * lock (PostgreSQL) so that two processes never both read the chain head and then race to
 * append. Any throw rolls everything back.
 */
export function transaction<T>(fn: () => T): T {
  const db = database();
  // A nested call (decide() inside an MOU save) becomes a savepoint, as before.
  if (db.kind === 'sqlite') return db.runTransaction.immediate(fn) as T;
  const savepoint = db.depth > 0 ? `cosponsor_${db.depth}` : null;
  if (savepoint) db.connection.query(`SAVEPOINT ${savepoint}`, [], true);
  else {
    db.connection.query('BEGIN');
    db.depth = 1;
    try {
      db.connection.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY], true);
    } catch (error) {
      db.depth = 0;
      rollbackQuietly(db, null);
      throw error;
    }
    db.depth = 0;
  }
  return settle(db, savepoint, fn);
}

/** Runs fn in the transaction (or savepoint) just opened, then commits (releases) it, or rolls it back on a throw. */
function settle<T>(db: PostgresDb, savepoint: string | null, fn: () => T): T {
  db.depth += 1;
  let result: T;
  try {
    result = fn();
    if (result instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
  } catch (error) {
    db.depth -= 1;
    rollbackQuietly(db, savepoint);
    throw error;
  }
  db.depth -= 1;
  if (savepoint) {
    db.connection.query(`RELEASE SAVEPOINT ${savepoint}`, [], true);
    return result;
  }
  try {
    db.connection.query('COMMIT', [], true);
  } catch (error) {
    rollbackQuietly(db, null);
    throw error;
  }
  return result;
}

/**
 * Runs fn on one consistent snapshot of the database without taking the write lock: a long
 * read (audit:verify over the whole log) sees one state and never holds up a decision.
 * SQLite: a deferred read transaction (WAL readers never block the writer). PostgreSQL:
 * REPEATABLE READ, READ ONLY. Inside a transaction already, fn reads that transaction's state.
 */
export function readSnapshot<T>(fn: () => T): T {
  const db = database();
  if (db.kind === 'sqlite') return db.sqlite.transaction(fn)();
  if (db.depth > 0) return fn();
  db.connection.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  return settle(db, null, fn);
}

/**
 * A value that differs whenever the data this process can read may have changed: a key for
 * caching what was read from it. SQLite: data_version moves when another connection (another
 * worker, a script) commits, and total_changes() counts this connection's own writes (rolled
 * back ones too: a needless change of key, never a missed one). PostgreSQL: the current
 * snapshot (xmin:xmax:in-progress ids), which fixes exactly which transactions' writes are
 * visible. Read it before the data it keys (or, on PostgreSQL, inside the same readSnapshot):
 * a commit in between makes the data newer than the key, and a later key never equals it.
 */
export function dataVersion(): string {
  const db = database();
  // Which opened database: counters start again on a new connection, or another file.
  let opened = openedNumbers.get(db);
  if (opened === undefined) openedNumbers.set(db, (opened = ++openedCount));
  if (db.kind === 'postgres') {
    const row = db.connection.query('SELECT pg_current_snapshot()::text AS snapshot', [], db.depth > 0).rows[0] as { snapshot: string };
    return `${opened}:pg:${row.snapshot}`;
  }
  const othersCommits = prepare(db, 'PRAGMA data_version').pluck().get() as number;
  const ownChanges = prepare(db, 'SELECT total_changes()').pluck().get() as number;
  return `${opened}:sqlite:${othersCommits}:${ownChanges}`;
}
const openedNumbers = new WeakMap<AnyDb, number>();
let openedCount = 0;

/** The environment a child process (the /audit page's verifier) needs to open this same database. */
export function databaseEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const db = database();
  if (db.kind === 'postgres') return { ...env, DATABASE_URL: db.path };
  const { DATABASE_URL: _unused, ...rest } = env;
  return { ...rest, DATABASE_PATH: db.path };
}

function rollbackQuietly(db: PostgresDb, savepoint: string | null): void {
  try {
    if (savepoint) db.connection.query(`ROLLBACK TO SAVEPOINT ${savepoint}`, [], true);
    else db.connection.query('ROLLBACK', [], true);
  } catch {
    // The connection is gone, and its transaction with it; the caller's error says why.
  }
}

// The time records are stamped with. Only data generators set it (the scale seed
// spreads a register over past years); everything else runs on the real time.
let currentTime: () => number = () => Date.now();

export function nowIso(): string {
  return new Date(currentTime()).toISOString();
}

/** Runs `run` (synchronously) with records stamped at `now()` instead of the real time. */
export function withClock<T>(now: () => number, run: () => T): T {
  const previous = currentTime;
  currentTime = now;
  try {
    return run();
  } finally {
    currentTime = previous;
  }
}
