import { database, getDb } from '../../db/connection';

// Plain SQL for tests that read or tamper with tables directly, on either database: `?`
// placeholders, turned into $1, $2… on PostgreSQL. Product code goes through db/ instead.

function onPostgres(text: string, params: unknown[]) {
  const db = database();
  if (db.kind !== 'postgres') return undefined;
  let n = 0;
  return db.connection.query(
    text.replace(/\?/g, () => `$${++n}`),
    params,
    db.depth > 0,
  );
}

export function sqlAll<T = Record<string, unknown>>(text: string, ...params: unknown[]): T[] {
  const pg = onPostgres(text, params);
  return (pg ? pg.rows : getDb().sqlite.prepare(text).all(...params)) as T[];
}

export function sqlGet<T = Record<string, unknown>>(text: string, ...params: unknown[]): T | undefined {
  return sqlAll<T>(text, ...params)[0];
}

/** Runs a statement; returns how many rows it changed. */
export function sqlRun(text: string, ...params: unknown[]): number {
  const pg = onPostgres(text, params);
  return pg ? pg.rowCount : getDb().sqlite.prepare(text).run(...params).changes;
}

/**
 * Something that changes whenever any row of any table changes: SQLite counts every change
 * made on this connection (total_changes()); PostgreSQL hashes every user table's rows (test
 * databases are small). Equal before and after means nothing was written.
 */
export function changeFingerprint(): string {
  const db = database();
  if (db.kind === 'sqlite') return String((db.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n);
  const tables = sqlAll<{ name: string }>(
    "SELECT quote_ident(relname) AS name FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname",
  ).map((t) => t.name);
  const parts = tables.map((t) => `(SELECT coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM ${t} AS x)`);
  return sqlGet<{ f: string }>(`SELECT md5(${parts.join(' || ')}) AS f`)!.f;
}

const APPEND_ONLY_TRIGGERS = [
  ['decision_records', 'decision_records_no_update'],
  ['decision_records', 'decision_records_no_delete'],
  ['mou_versions', 'mou_versions_no_update'],
  ['mou_versions', 'mou_versions_no_delete'],
] as const;

/**
 * Lets a test play the insider who edits or deletes decision records (and MOU versions)
 * behind the app's back, by removing the append-only triggers (the test cluster's
 * PostgreSQL user owns the tables). The tables' other triggers keep running.
 */
export function disableAppendOnlyGuards(): void {
  for (const [table, trigger] of APPEND_ONLY_TRIGGERS) {
    sqlRun(database().kind === 'postgres' ? `DROP TRIGGER IF EXISTS ${trigger} ON ${table}` : `DROP TRIGGER IF EXISTS ${trigger}`);
  }
}

/** Every table of the schema (not SQLite's own, and not the full-text index's shadow tables), by name. */
export function tableNames(): string[] {
  if (database().kind === 'postgres') {
    return sqlAll<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").map((t) => t.name);
  }
  const tables = sqlAll<{ name: string; sql: string | null }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const virtual = tables.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
  return tables.map((t) => t.name).filter((name) => !virtual.some((v) => name.startsWith(`${v}_`)));
}

/** Each table's row count, by name. */
export function rowCounts(): Record<string, number> {
  return Object.fromEntries(tableNames().map((name) => [name, Number(sqlGet<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`)!.n)]));
}
