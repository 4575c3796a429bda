import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

// A throwaway PostgreSQL cluster for the tests: initdb into a temporary directory, started
// on a unix socket in that directory (and 127.0.0.1 on a free port), never on another
// interface. One cluster per test run: the first test file that asks starts it (the others
// wait for it), each test file gets its own database, and the run's global teardown
// (postgres-global.ts) stops it. initdb refuses to run as root, so as root the server runs
// as the `postgres` account (Debian's package creates it).

const SUPERUSER = 'cosponsor';

export type Cluster = { socketDir: string; port: number };

/** A PostgreSQL program: from PATH, else from Debian's /usr/lib/postgresql/<version>/bin (newest). */
function postgresBin(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file)) return file;
  }
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`PostgreSQL's ${name} was not found on PATH or in ${root}/*/bin: install it (apt-get install -y postgresql).`);
  }
  return path.join(root, versions[0]!, 'bin', name);
}

const asRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL program, as the postgres account when this process is root. */
function runPostgresProgram(name: string, args: string[], cwd: string): void {
  const bin = postgresBin(name);
  const [file, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  try {
    execFileSync(file, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(`${name} failed: ${e.stderr?.toString() || e.stdout?.toString() || e.message}`, { cause: error });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startCluster(dir: string): Promise<Cluster> {
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  // --no-sync and fsync=off: a test cluster never needs to survive a crash.
  runPostgresProgram('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], dir);
  const port = await freePort();
  const options = [`-k ${dir}`, `-p ${port}`, "-c listen_addresses='127.0.0.1'", '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'];
  runPostgresProgram('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', options.join(' '), 'start'], dir);
  return { socketDir: dir, port };
}

/**
 * The run's cluster, started by the first caller. Test files run in several processes:
 * an atomic mkdir decides who starts it; the others wait for its description file.
 */
export async function ensureCluster(): Promise<Cluster> {
  const dir = process.env.COSPONSOR_TEST_PG_DIR;
  if (!dir) throw new Error('The PostgreSQL test cluster has no directory: run tests through vitest (tests/support/postgres-global.ts).');
  const ready = path.join(dir, 'cluster.json');
  const failed = path.join(dir, 'failed.txt');
  let starter = false;
  try {
    fs.mkdirSync(path.join(dir, 'starting'));
    starter = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (starter) {
    try {
      const cluster = await startCluster(dir);
      fs.writeFileSync(`${ready}.tmp`, JSON.stringify(cluster));
      fs.renameSync(`${ready}.tmp`, ready);
      return cluster;
    } catch (error) {
      fs.writeFileSync(failed, (error as Error).message);
      throw error;
    }
  }
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (fs.existsSync(ready)) return JSON.parse(fs.readFileSync(ready, 'utf8')) as Cluster;
    if (fs.existsSync(failed)) throw new Error(`The PostgreSQL test cluster did not start: ${fs.readFileSync(failed, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The PostgreSQL test cluster did not start within 90 s.');
}

export function postgresUrl(cluster: Cluster, database: string): string {
  return `postgres://${SUPERUSER}@/${database}?host=${encodeURIComponent(cluster.socketDir)}&port=${cluster.port}`;
}

let counter = 0;

/** A new, empty database on the run's cluster; its postgres:// URL (over the unix socket). */
export async function freshPostgresDatabase(options: { locale?: string } = {}): Promise<string> {
  const cluster = await ensureCluster();
  const name = `test_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: postgresUrl(cluster, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${options.locale ? ` TEMPLATE template0 LOCALE '${options.locale}'` : ''}`);
  } finally {
    await admin.end();
  }
  return postgresUrl(cluster, name);
}

/** Stops the cluster (if one was started) and removes its directory. */
export function stopCluster(dir: string): void {
  const data = path.join(dir, 'data');
  if (fs.existsSync(path.join(data, 'postmaster.pid'))) {
    // Immediate: the data is thrown away next.
    runPostgresProgram('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], dir);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

export function makeClusterDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-pg-'));
}

/** The run's cluster, already started (by the global setup, in the PostgreSQL test mode). */
export function startedCluster(): Cluster {
  const dir = process.env.COSPONSOR_TEST_PG_DIR;
  const ready = dir && path.join(dir, 'cluster.json');
  if (!ready || !fs.existsSync(ready)) throw new Error('The PostgreSQL test cluster is not running: run tests through vitest.');
  return JSON.parse(fs.readFileSync(ready, 'utf8')) as Cluster;
}
