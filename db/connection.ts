import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Compilable, type CompiledQuery } from 'kysely';
import type { Database } from './schema';

export type Db = {
  path: string;
  sqlite: SQLite.Database;
  /** Query builder and migrator; queries run synchronously through the helpers below. */
  kysely: Kysely<Database>;
  statements: Map<string, SQLite.Statement>;
  /** One transaction wrapper, made once: better-sqlite3 builds four functions for each wrapper it makes. */
  runTransaction: SQLite.Transaction<<T>(fn: () => T) => T>;
};

export const DEFAULT_DATABASE_PATH = './data/cosponsor.db';

export function openDatabase(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers continue while a decision commits; FULL makes each commit
  // durable before we answer the user (see docs/decisions/0002-sqlite-pragmas.md).
  // The busy timeout first: switching a new file to WAL waits for another process opening it.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // A decision's statements fire triggers and touch many indexes; past 64 KiB SQLite kept the
  // pages a statement may have to restore in a new temporary file, per transaction (strace).
  sqlite.pragma('temp_store = MEMORY');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const runTransaction = sqlite.transaction(<T>(fn: () => T): T => fn());
  return { path: file, sqlite, kysely, statements: new Map(), runTransaction };
}

let current: Db | undefined;

/** The process-wide database, opened on first use from DATABASE_PATH. */
export function getDb(): Db {
  if (!current) current = openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
  return current;
}

/** Tests and scripts point the process at another file. */
export function useDatabase(file: string): Db {
  closeDatabase();
  current = openDatabase(file);
  return current;
}

export function closeDatabase(): void {
  if (current) {
    current.sqlite.close();
    current = undefined;
  }
}

/** The Kysely builder of the current database. */
export function qb(): Kysely<Database> {
  return getDb().kysely;
}

function prepare(db: Db, sql: string): SQLite.Statement {
  let statement = db.statements.get(sql);
  if (!statement) {
    statement = db.sqlite.prepare(sql);
    db.statements.set(sql, statement);
  }
  return statement;
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
  let template: { compiled: CompiledQuery<R>; slots: ({ name: keyof P & string } | { value: unknown })[] } | undefined;
  return (params: P): Compilable<R> => {
    if (!template) {
      const sentinel = (name: string) => `\u0000prebuilt:${name}\u0000`;
      const compiled = build(Object.fromEntries(names.map((n) => [n, sentinel(n)])) as P).compile();
      const slots = compiled.parameters.map((value) => {
        const name = names.find((n) => value === sentinel(n));
        return name ? { name } : { value };
      });
      const used = new Set(slots.flatMap((s) => ('name' in s ? [s.name] : [])));
      if (used.size !== names.length) throw new Error(`prebuilt query lost a parameter: ${compiled.sql}`);
      template = { compiled, slots };
    }
    const { compiled, slots } = template;
    const parameters = slots.map((s) => ('name' in s ? params[s.name] : s.value));
    return { compile: () => ({ ...compiled, parameters }) };
  };
}

// Kysely builds and types the SQL; better-sqlite3 runs it synchronously, so a
// transaction below can never interleave with another request of this process.
export function all<R>(query: Compilable<R>): R[] {
  const compiled = query.compile();
  return prepare(getDb(), compiled.sql).all(...(compiled.parameters as unknown[])) as R[];
}

export function first<R>(query: Compilable<R>): R | undefined {
  const compiled = query.compile();
  return prepare(getDb(), compiled.sql).get(...(compiled.parameters as unknown[])) as R | undefined;
}

export function run(query: Compilable<unknown>): SQLite.RunResult {
  const compiled = query.compile();
  return prepare(getDb(), compiled.sql).run(...(compiled.parameters as unknown[]));
}

/** Inserts one row and returns its rowid. */
export function insertId(query: Compilable<unknown>): number {
  return Number(run(query).lastInsertRowid);
}

/**
 * Runs fn in one write transaction, taken with BEGIN IMMEDIATE so that two
 * processes never both read the chain head and then race to append.
 * Any throw rolls everything back.
 */
export function transaction<T>(fn: () => T): T {
  // A nested call (decide() inside an MOU save) becomes a savepoint, as before.
  return getDb().runTransaction.immediate(fn) as T;
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
