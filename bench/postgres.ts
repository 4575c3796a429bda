import pg from 'pg';

// The benchmarks' PostgreSQL side (`--database postgres://…`): the URL names a server and a
// database the bench may connect to and create databases from (e.g. `postgres`); each run gets
// a database of its own on that server, dropped afterwards.

export function isPostgresTarget(database: string | undefined): database is string {
  return database !== undefined && /^postgres(ql)?:\/\//i.test(database);
}

/** The same URL with another database name (a unix-socket URL keeps its ?host= and port). */
export function withDatabaseName(url: string, name: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/i.exec(url);
  if (!m) throw new Error(`Not a PostgreSQL URL: ${url}`);
  return `${m[1]}/${name}${m[2] ?? ''}`;
}

async function admin<T>(server: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new empty database on `server` (UTF-8, as the migrations require), optionally a copy of `template`; its URL. */
export async function createBenchDatabase(server: string, name: string, template?: string): Promise<string> {
  await admin(server, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.query(`CREATE DATABASE ${name} ${template ? `TEMPLATE ${template}` : "TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'"}`);
  });
  return withDatabaseName(server, name);
}

export async function databaseExists(server: string, name: string): Promise<boolean> {
  return admin(server, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rows.length > 0);
}

export async function dropBenchDatabase(server: string, name: string): Promise<void> {
  await admin(server, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

export async function renameBenchDatabase(server: string, from: string, to: string): Promise<void> {
  await admin(server, async (client) => {
    await client.query(`ALTER DATABASE ${from} RENAME TO ${to}`);
  });
}
