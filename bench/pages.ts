import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import autocannon from 'autocannon';

// Throughput of the built app in production mode, page by page, against a
// register of n proposals made by the scale generator. Each page is compared
// with the sign-in page: same layout, no data, so the ratio says what the
// page's own work costs next to the framework's.

const OUT = path.resolve('bench/out');
const DEMO_PASSWORD = 'cosponsor-demo';

export type PagesOptions = { proposals: number; duration: number; connections: number; verbose: boolean };

/** The register of n proposals, built once and reused from bench/out/ (with its log key and checkpoints). */
export function scaleDatabase(n: number, verbose: boolean): { file: string; keyFile: string; checkpointDir: string } {
  const dir = path.join(OUT, `pages-${n}`);
  const file = path.join(dir, 'cosponsor.db');
  const keyFile = path.join(dir, 'keys', 'log-signing.key');
  const checkpointDir = path.join(dir, 'checkpoints');
  if (fs.existsSync(file)) return { file, keyFile, checkpointDir };
  fs.mkdirSync(dir, { recursive: true });
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

type Targets = { dossierId: number; partnerId: number; word: string; page50After: number | null };

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
    if (!dossier || !partner) throw new Error('The database holds no proposals.');
    return { dossierId: dossier.id, partnerId: partner.id, word, page50After: page?.seq ?? null };
  } finally {
    db.close();
  }
}

type Running = { url: string; child: ChildProcess; stop: () => Promise<void> };

/** The built app in production mode on a free port; stop() ends it and waits for it to exit. */
export async function startServer(file: string, keyFile: string, checkpointDir: string, verbose: boolean): Promise<Running> {
  const child = spawn(path.resolve('node_modules/.bin/tsx'), ['server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-session-secret-not-for-use-anywhere-else',
      DATABASE_PATH: file,
      SIGNING_KEY_FILE: keyFile,
      CHECKPOINT_DIR: checkpointDir,
      PORT: '0',
      HOST: '127.0.0.1',
      REGISTRY_LOOKUP: 'off',
    },
    // Its own process group, so stopping it also ends the node process tsx starts.
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
    const timer = setTimeout(() => reject(new Error(`The server did not start within 120 s:\n${out}`)), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (verbose) process.stderr.write(text);
      out += text;
      const match = /Cosponsor on (http:\/\/[^\s]+)/.exec(out);
      // With several workers (WEB_CONCURRENCY), measured once every one of them listens.
      if (match && (out.match(/Cosponsor on /g) ?? []).length >= Number(process.env.WEB_CONCURRENCY || os.availableParallelism())) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (verbose) process.stderr.write(chunk);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code}) before listening:\n${out}`));
    });
  });
  return { url, child, stop };
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

type Page = { name: string; path: string; cookie?: string };

async function load(url: string, page: Page, options: PagesOptions) {
  // One request first: a page that fails is reported, not measured as fast errors.
  const check = await fetch(`${url}${page.path}`, { redirect: 'manual', headers: page.cookie ? { Cookie: page.cookie } : {} });
  await check.arrayBuffer();
  if (check.status !== 200) throw new Error(`${page.name} (${page.path}) answered ${check.status}`);
  const result = await autocannon({
    url: `${url}${page.path}`,
    connections: options.connections,
    duration: options.duration,
    headers: page.cookie ? { cookie: page.cookie } : {},
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed,
  };
}

export async function pagesBenchmark(options: PagesOptions): Promise<string[]> {
  if (!fs.existsSync(path.resolve('build/index.js'))) {
    console.error('No build found: running remix build…');
    const built = spawnSync(path.resolve('node_modules/.bin/remix'), ['build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) throw new Error('remix build failed');
  }
  const { file, keyFile, checkpointDir } = scaleDatabase(options.proposals, options.verbose);
  // The benchmark reads a copy: sessions and job runs never change the cached register.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bench-pages-'));
  const copy = path.join(workDir, 'cosponsor.db');
  fs.copyFileSync(file, copy);
  if (fs.existsSync(path.dirname(keyFile))) fs.cpSync(path.dirname(keyFile), path.join(workDir, 'keys'), { recursive: true });
  if (fs.existsSync(checkpointDir)) fs.cpSync(checkpointDir, path.join(workDir, 'checkpoints'), { recursive: true });
  const targets = pickTargets(copy);
  const lines: string[] = [];
  const server = await startServer(copy, path.join(workDir, 'keys', 'log-signing.key'), path.join(workDir, 'checkpoints'), options.verbose);
  try {
    const staff = await signIn(server.url, 'staff@cosponsor.test');
    const lead = await signIn(server.url, 'lead@cosponsor.test');
    const pages: Page[] = [
      { name: 'baseline_login', path: '/login' },
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
    for (const page of pages) {
      const r = await load(server.url, page, options);
      if (page === pages[0]) baseline = r.rps;
      const line =
        `page=${page.name} rps=${r.rps.toFixed(1)} p50_ms=${r.p50} p99_ms=${r.p99} ratio=${(r.rps / baseline).toFixed(2)}` +
        (r.failed > 0 ? ` failed=${r.failed}` : '');
      console.log(line);
      if (options.verbose) console.error(`  ${page.path}`);
      lines.push(line);
    }
  } finally {
    await server.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  // The whole server with 1 and 2 workers, and decisions under read load (bench/cluster.ts, bench/writes-under-load.ts).
  lines.push(...(await (await import('./cluster')).clusterBenchmark(options)));
  const writes = await (await import('./writes-under-load')).writesUnderLoadBenchmark({ ...options, readers: 50, writers: 2, workers: os.availableParallelism() });
  console.log(writes);
  return [...lines, writes];
}
