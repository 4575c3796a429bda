import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import autocannon from 'autocannon';
import { enlargeRegister } from './pages-enlarge';
import { moveToPostgres, openSource } from '../db/move';
import { closePostgres, openPostgres } from '../db/postgres';
import { createBenchDatabase, databaseExists, dropBenchDatabase, renameBenchDatabase } from './postgres';

// Throughput of the built app in production mode, page by page, against a
// register of n proposals made by the scale generator. Each page is compared
// with /help: the same signed-in layout (root loader, session, inbox badge) and
// no data of its own, so the ratio says what the page's own work costs next to
// the framework's. Then each page's server time (its Server-Timing header) over
// single requests one after another: p95_server_ms.

const OUT = path.resolve('bench/out');
const DEMO_PASSWORD = 'cosponsor-demo';

export type PagesOptions = {
  proposals: number;
  duration: number;
  connections: number;
  verbose: boolean;
  /** A postgres:// URL of a server the bench may create databases on: the register is moved there and served from there. */
  database?: string;
};

/**
 * The register of n proposals on PostgreSQL: moved once (db:move) from the SQLite register into a
 * template database on `server`, kept for later runs; each run serves a fresh copy of it.
 */
export async function postgresRegister(server: string, proposals: number, verbose: boolean): Promise<string> {
  const template = `cosponsor_bench_pages_${proposals}`;
  if (await databaseExists(server, template)) return template;
  const { file } = scaleDatabase(proposals, verbose);
  const building = `${template}_building`;
  console.error(`Moving the register of ${proposals} proposals into PostgreSQL database ${template} (reused by later runs)…`);
  const target = openPostgres(await createBenchDatabase(server, building));
  const source = openSource(file);
  try {
    const moved = await moveToPostgres(source, target);
    if (!moved.ok) throw new Error(`The move into ${building} did not verify.`);
  } finally {
    source.close();
    await closePostgres(target);
  }
  await renameBenchDatabase(server, building, template);
  return template;
}

/** A fresh copy of the PostgreSQL register for one server run; drop() removes it. */
export async function postgresCopy(server: string, proposals: number, verbose: boolean): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = await postgresRegister(server, proposals, verbose);
  const name = `cosponsor_bench_run_${process.pid}_${++copies}`;
  const url = await createBenchDatabase(server, name, template);
  return { url, drop: () => dropBenchDatabase(server, name) };
}
let copies = 0;

/** The largest register made by the real generator (200,000 take about 15 minutes here); larger ones are SQL copies of it. */
const GENERATED_MAX = 200_000;

/** The register of n proposals, built once and reused from bench/out/ (with its log key and checkpoints). */
export function scaleDatabase(n: number, verbose: boolean): { file: string; keyFile: string; checkpointDir: string } {
  const dir = path.join(OUT, `pages-${n}`);
  const file = path.join(dir, 'cosponsor.db');
  const keyFile = path.join(dir, 'keys', 'log-signing.key');
  const checkpointDir = path.join(dir, 'checkpoints');
  if (fs.existsSync(file)) return { file, keyFile, checkpointDir };
  fs.mkdirSync(dir, { recursive: true });
  if (n > GENERATED_MAX) {
    // Beyond what the generator makes in reasonable time: the largest generated register copied
    // over at the SQL level (see pages-enlarge.ts: same reading work, a log that does not verify).
    const base = scaleDatabase(GENERATED_MAX, verbose);
    const factor = Math.round(n / GENERATED_MAX);
    console.error(`Enlarging the register of ${GENERATED_MAX} proposals ${factor} times by SQL copies into ${dir} (reused by later runs)…`);
    const building = path.join(dir, 'building.db');
    enlargeRegister(base.file, building, factor, (line) => console.error(`  ${line}`));
    fs.renameSync(building, file);
    fs.cpSync(path.dirname(base.keyFile), path.dirname(keyFile), { recursive: true });
    // The originals' checkpoints hold for the copy's first records, so the server's checkpoint job
    // stops at the first copied record instead of verifying the whole log at every try.
    if (fs.existsSync(base.checkpointDir)) fs.cpSync(base.checkpointDir, checkpointDir, { recursive: true });
    return { file, keyFile, checkpointDir };
  }
  // Built under another name and renamed when complete, so an interrupted run is never reused.
  const building = path.join(dir, 'building.db');
  for (const f of [building, `${building}-wal`, `${building}-shm`]) fs.rmSync(f, { force: true });
  console.error(`Building a register of ${n} proposals in ${dir} (reused by later runs)…`);
  const seeded = spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/seed.ts', '--scale', String(n)], {
    stdio: verbose ? 'inherit' : ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_PATH: building, SIGNING_KEY_FILE: keyFile, CHECKPOINT_DIR: checkpointDir },
  });
  if (seeded.status !== 0) throw new Error(`The scale generator failed (exit ${seeded.status}).`);
  const db = new SQLite(building);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  fs.renameSync(building, file);
  for (const f of [`${building}-wal`, `${building}-shm`, `${building}.startup-lock`]) fs.rmSync(f, { force: true });
  return { file, keyFile, checkpointDir };
}

type Targets = { dossierId: number; partnerId: number; word: string; page50After: number | null; staff: string; lead: string };

export function pickTargets(file: string): Targets {
  const db = new SQLite(file, { readonly: true });
  try {
    const one = <T>(sql: string): T | undefined => db.prepare(sql).get() as T | undefined;
    // A dossier with the most records: the heaviest one a reviewer opens.
    const dossier = one<{ id: number }>(
      'SELECT proposal_id AS id FROM decision_records GROUP BY proposal_id ORDER BY COUNT(*) DESC, proposal_id LIMIT 1',
    );
    const partner = one<{ id: number }>('SELECT partner_id AS id FROM proposals GROUP BY partner_id ORDER BY COUNT(*) DESC, partner_id LIMIT 1');
    // The register shows 25 a page, newest first: page 50 starts after the 1,225th record.
    const page = one<{ seq: number }>('SELECT seq FROM decision_records ORDER BY seq DESC LIMIT 1 OFFSET 1224');
    // A word that appears in many rationales: a realistic, busy search.
    const rationale = one<{ rationale: string }>("SELECT rationale FROM decision_records WHERE rationale <> '' ORDER BY seq LIMIT 1 OFFSET 100");
    const word = (rationale?.rationale.match(/[a-z]{6,}/gi) ?? ['partner'])[0]!.toLowerCase();
    // The staff member with the fullest inbox (every submission notifies staff) and a lead of the
    // chapter with the most proposals: the people whose every page costs the most.
    const staff = one<{ email: string }>(
      `SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'staff' WHERE u.active = 1
        ORDER BY (SELECT count(*) FROM inbox i WHERE i.user_id = u.id) DESC, u.id LIMIT 1`,
    );
    const lead = one<{ email: string }>(
      `SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'chapter_lead' WHERE u.active = 1
        ORDER BY (SELECT count(*) FROM proposals p WHERE p.chapter_id = u.chapter_id) DESC, u.id LIMIT 1`,
    );
    if (!dossier || !partner || !staff || !lead) throw new Error('The database holds no proposals, staff or leads.');
    return { dossierId: dossier.id, partnerId: partner.id, word, page50After: page?.seq ?? null, staff: staff.email, lead: lead.email };
  } finally {
    db.close();
  }
}

type Running = { url: string; child: ChildProcess; stop: () => Promise<void> };

/** The built app in production mode on a free port; stop() ends it and waits for it to exit. */
/**
 * The flags `npm start` gives node (package.json's start script), so that the benches run the
 * server as production does; BENCH_SERVER_NODE_FLAGS replaces them for an experiment.
 */
export function serverNodeFlags(): string[] {
  const override = process.env.BENCH_SERVER_NODE_FLAGS;
  if (override !== undefined) return override.split(/\s+/).filter(Boolean);
  const start = (JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const flags = /^node((?:\s+--\S+)*)\s+scripts\/run\.mjs server$/.exec(start);
  if (!flags) throw new Error(`package.json's start script is not "node [--flags] scripts/run.mjs server": ${start}`);
  return flags[1]!.split(/\s+/).filter(Boolean);
}

export async function startServer(file: string, keyFile: string, checkpointDir: string, verbose: boolean, databaseUrl?: string): Promise<Running> {
  // The compiled server, as `npm start` runs it in production.
  const child = spawn(process.execPath, [...serverNodeFlags(), path.resolve('build/server/server.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-session-secret-not-for-use-anywhere-else',
      DATABASE_PATH: file,
      // PostgreSQL when given (--database), else the SQLite file, whatever this shell has set.
      DATABASE_URL: databaseUrl ?? '',
      SIGNING_KEY_FILE: keyFile,
      CHECKPOINT_DIR: checkpointDir,
      PORT: '0',
      HOST: '127.0.0.1',
      REGISTRY_LOOKUP: 'off',
    },
    // Its own process group, so stopping it also ends its worker processes.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 15_000);
    await exited;
    clearTimeout(timer);
  };
  // Whatever happens to this process, the server it started does not outlive it.
  const onExit = () => {
    try {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    // Once it listens, its output (a JSON line per request) is only drained, not kept and searched:
    // scanning a growing log cost the load generator, which runs in this process, CPU per request.
    let listening = false;
    const timer = setTimeout(() => reject(new Error(`The server did not start within 600 s:\n${out}`)), 600_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (verbose) process.stderr.write(chunk);
      if (listening) return;
      const text = chunk.toString();
      out += text;
      const match = /Cosponsor on (http:\/\/[^\s]+)/.exec(out);
      // With several workers (WEB_CONCURRENCY), measured once every one of them listens.
      if (match && (out.match(/Cosponsor on /g) ?? []).length >= Number(process.env.WEB_CONCURRENCY || os.availableParallelism())) {
        listening = true;
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (!listening) out += chunk.toString();
      if (verbose) process.stderr.write(chunk);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code}) before listening:\n${out}`));
    });
  });
  return { url, child, stop };
}

/**
 * Waits until the server answers promptly: at start its checkpoint job verifies the log (seconds
 * at this size, with no checkpoint yet), and a page measured meanwhile would be measured against it.
 */
async function untilQuiet(url: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  let prompt = 0;
  while (prompt < 5) {
    if (Date.now() > deadline) throw new Error('The server did not settle within 300 s of starting.');
    const started = performance.now();
    await (await fetch(`${url}/login`)).arrayBuffer();
    prompt = performance.now() - started < 100 ? prompt + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function signIn(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: url, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
  });
  const match = /cosponsor_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '');
  if (response.status !== 302 || !match) throw new Error(`Sign-in as ${email} failed with ${response.status}`);
  return `cosponsor_session=${match[1]}`;
}

type Page = { name: string; path: string; cookie?: string; status?: number };

async function load(url: string, page: Page, options: PagesOptions, serverPid: number | null) {
  // A few requests first: a page that fails is reported, not measured as fast errors, and the
  // page's code is warm before it is measured, as the baseline's is.
  for (let i = 0; i < 10; i++) {
    const check = await fetch(`${url}${page.path}`, { redirect: 'manual', headers: page.cookie ? { Cookie: page.cookie } : {} });
    await check.arrayBuffer();
    if (check.status !== (page.status ?? 200)) throw new Error(`${page.name} (${page.path}) answered ${check.status}`);
  }
  const result = await autocannon({
    url: `${url}${page.path}`,
    connections: options.connections,
    duration: options.duration,
    headers: page.cookie ? { cookie: page.cookie } : {},
  });
  // A redirect page (/) is measured as what it answers: its 3xx are the expected answer.
  const failed = (page.status && page.status >= 300 ? result.non2xx - result['3xx'] : result.non2xx) + result.errors + result.timeouts;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed,
    ...(await sequential(url, page, serverPid)),
  };
}

/** p95 of the server's time and its CPU per request, over the same single requests. */
async function sequential(url: string, page: Page, serverPid: number | null) {
  const before = serverCpuMs(serverPid);
  const p95Server = await serverP95(url, page);
  const after = serverCpuMs(serverPid);
  return { p95Server, cpuMs: before === null || after === null ? null : (after - before) / SERVER_SAMPLES };
}

const SERVER_SAMPLES = 100;

/**
 * CPU time (user + system) the server process has used so far, in ms, read from /proc (Linux);
 * null elsewhere. Steadier than req/s when other work shares the machine.
 */
function serverCpuMs(serverPid: number | null): number | null {
  if (serverPid === null) return null;
  try {
    const fields = fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100;

/** The 95th percentile of the server's own time (Server-Timing) over single requests one after another. */
async function serverP95(url: string, page: Page): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < SERVER_SAMPLES; i++) {
    const response = await fetch(`${url}${page.path}`, { redirect: 'manual', headers: page.cookie ? { Cookie: page.cookie } : {} });
    await response.arrayBuffer();
    const match = /app;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
    if (!match) throw new Error(`${page.name} (${page.path}) sent no Server-Timing header`);
    times.push(Number(match[1]));
  }
  times.sort((a, b) => a - b);
  return times[Math.ceil(0.95 * times.length) - 1]!;
}

export async function pagesBenchmark(options: PagesOptions): Promise<string[]> {
  // Builds only when a source changed since the last build.
  const built = spawnSync(process.execPath, [path.resolve('scripts/build.mjs'), '--if-stale'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('The build failed');
  const { file, keyFile, checkpointDir } = scaleDatabase(options.proposals, options.verbose);
  // The benchmark reads a copy: sessions and job runs never change the cached register.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bench-pages-'));
  const copy = path.join(workDir, 'cosponsor.db');
  fs.copyFileSync(file, copy);
  if (fs.existsSync(path.dirname(keyFile))) fs.cpSync(path.dirname(keyFile), path.join(workDir, 'keys'), { recursive: true });
  if (fs.existsSync(checkpointDir)) fs.cpSync(checkpointDir, path.join(workDir, 'checkpoints'), { recursive: true });
  const targets = pickTargets(copy);
  const lines: string[] = [];
  // Pages are compared in one process (its CPU is read from /proc); the whole server with 1 and
  // with 2 workers is measured after, by bench/cluster.ts.
  const previousWorkers = process.env.WEB_CONCURRENCY;
  process.env.WEB_CONCURRENCY = '1';
  const onPostgres = options.database ? await postgresCopy(options.database, options.proposals, options.verbose) : null;
  const server = await startServer(copy, path.join(workDir, 'keys', 'log-signing.key'), path.join(workDir, 'checkpoints'), options.verbose, onPostgres?.url);
  if (previousWorkers === undefined) delete process.env.WEB_CONCURRENCY;
  else process.env.WEB_CONCURRENCY = previousWorkers;
  try {
    await untilQuiet(server.url);
    const staff = await signIn(server.url, targets.staff);
    const lead = await signIn(server.url, targets.lead);
    console.error(`staff: ${targets.staff}, lead: ${targets.lead}`);
    // Where / sends each of them (it only redirects): measured as the redirect, the landing page on its own line.
    const landing = async (cookie: string) => (await fetch(`${server.url}/`, { redirect: 'manual', headers: { Cookie: cookie } })).headers.get('location');
    const pages: Page[] = [
      { name: 'baseline_help', path: '/help', cookie: staff },
      { name: 'login', path: '/login' },
      { name: 'home_staff', path: '/', cookie: staff, status: 302 },
      { name: 'home_lead', path: '/', cookie: lead, status: 302 },
      { name: 'proposals_staff', path: '/proposals', cookie: staff },
      { name: 'proposals_lead', path: '/proposals', cookie: lead },
      { name: 'review', path: '/review', cookie: staff },
      { name: 'dossier', path: `/review/${targets.dossierId}`, cookie: staff },
      { name: 'decisions', path: '/decisions', cookie: staff },
      { name: 'decisions_search', path: `/decisions?q=${encodeURIComponent(targets.word)}`, cookie: staff },
      ...(targets.page50After == null ? [] : [{ name: 'decisions_page50', path: `/decisions?after=${targets.page50After}`, cookie: staff }]),
      { name: 'busiest_partner', path: `/partners/${targets.partnerId}`, cookie: staff },
    ];
    let baseline = 0;
    let baselineCpu: number | null = null;
    const serverPid = server.child.pid ?? null;
    for (const page of pages) {
      const r = await load(server.url, page, options, serverPid).catch((error: Error) => {
        // On PostgreSQL a page that does not answer yet is reported and the others measured.
        if (!onPostgres) throw error;
        console.log(`page=${page.name} not_measured=${JSON.stringify(error.message)}`);
        return null;
      });
      if (!r) continue;
      if (page === pages[0]) {
        baseline = r.rps;
        baselineCpu = r.cpuMs;
      }
      const line =
        `page=${page.name} rps=${r.rps.toFixed(1)} p50_ms=${r.p50} p99_ms=${r.p99} ratio=${(r.rps / baseline).toFixed(2)}` +
        ` p95_server_ms=${r.p95Server.toFixed(1)}` +
        (r.cpuMs === null ? '' : ` cpu_ms=${r.cpuMs.toFixed(2)}` + (baselineCpu ? ` cpu_ratio=${(baselineCpu / r.cpuMs).toFixed(2)}` : '')) +
        (page.status === 302 ? ` lands_on=${await landing(page.cookie!)}` : '') +
        (r.failed > 0 ? ` failed=${r.failed}` : '');
      console.log(line);
      if (options.verbose) console.error(`  ${page.path}`);
      lines.push(line);
    }
    // The baseline once more at the end: how far it drifted says how far other work on the
    // machine moved the figures during the run.
    const again = await load(server.url, pages[0]!, options, serverPid);
    const drift = `page=${pages[0]!.name}_again rps=${again.rps.toFixed(1)} p50_ms=${again.p50} p99_ms=${again.p99} ratio=${(again.rps / baseline).toFixed(2)} p95_server_ms=${again.p95Server.toFixed(1)}${again.cpuMs === null ? '' : ` cpu_ms=${again.cpuMs.toFixed(2)}`}`;
    console.log(drift);
    lines.push(drift);
  } finally {
    await server.stop();
    await onPostgres?.drop();
    // The checkpoints this run's server signed are kept with the register: the next run's server
    // starts from them instead of verifying the whole log.
    const signed = path.join(workDir, 'checkpoints');
    if (!fs.existsSync(checkpointDir) && fs.existsSync(signed) && fs.readdirSync(signed).some((f) => f.endsWith('.checkpoint'))) {
      fs.cpSync(signed, checkpointDir, { recursive: true });
    }
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  // The whole server with 1 and 2 workers, and decisions under read load (bench/cluster.ts, bench/writes-under-load.ts).
  // Three times a page's duration, in slices of 3 s: as `npm run bench -- cluster` measures by default.
  lines.push(...(await (await import('./cluster')).clusterBenchmark({ ...options, duration: options.duration * 3, rounds: options.duration })));
  // Decisions under read load prepare their proposals on the SQLite copy: not run on PostgreSQL.
  if (options.database) return lines;
  const writes = await (await import('./writes-under-load')).writesUnderLoadBenchmark({ ...options, readers: 50, writers: 2, workers: os.availableParallelism() });
  console.log(writes);
  return [...lines, writes];
}
