import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations';
import type { Database } from './schema';

// PostgreSQL through Kysely's PostgresDialect on a pg pool (docs/decisions/0040-postgresql-path.md).
// The application still runs on SQLite; this is what the migrations and npm run db:move
// use on PostgreSQL, and what the asynchronous query layer will build on.

const INT8_OID = 20;

/**
 * SQLite's INTEGER is 64-bit and better-sqlite3 returns it as a number; PostgreSQL's
 * BIGINT (and every count(*)) arrives as text from pg, because not every int8 fits a
 * JavaScript number. Every value this schema holds does, so it is read as a number; one
 * that does not stays text rather than silently losing digits.
 */
function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

// Per pool, not pg's global registry: nothing else in the process changes how it reads.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export type Postgres = { pool: pg.Pool; kysely: Kysely<Database> };

/** A pool and a Kysely builder over a postgres:// URL (a unix socket directory may be given as ?host=/dir). */
export function openPostgres(url: string, options: { max?: number } = {}): Postgres {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4, types, connectionTimeoutMillis: 10_000 });
  // An idle client's error (the server restarting) must not take the process down; the next query reports it.
  pool.on('error', () => {});
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { pool, kysely };
}

/** Closes the pool (through Kysely, which owns it). */
export async function closePostgres(db: Postgres): Promise<void> {
  await db.kysely.destroy();
}

/**
 * Applies every pending migration on PostgreSQL. Kysely runs each in a transaction
 * there and holds an advisory lock meanwhile, so two processes never both migrate.
 */
export async function migratePostgres(db: Postgres): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`Migration ${failed?.migrationName ?? ''} failed on PostgreSQL: ${String(error)}`);
  return (results ?? []).map((r) => r.migrationName);
}

/** Where a postgres:// URL points, without its password, for messages (a socket URL has no host part). */
export function describePostgresUrl(url: string): string {
  const m = /^postgres(?:ql)?:\/\/(?:([^:@/]*)(?::[^@/]*)?@)?([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/.exec(url);
  if (!m) return 'the given PostgreSQL URL';
  const query = new URLSearchParams(m[4] ?? '');
  const host = m[2] || query.get('host') || 'localhost';
  const port = m[2]?.includes(':') || !query.get('port') ? '' : `:${query.get('port')}`;
  const user = m[1] ? `${decodeURIComponent(m[1])}@` : '';
  return `${user}${decodeURIComponent(host)}${port}/${decodeURIComponent(m[3] ?? '')}`;
}
