import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { pickTargets, postgresCopy, scaleDatabase, signIn, startServer } from './pages';
import { formatCpuSplit, startCpuSplit } from './process-cpu';

// The whole server's throughput with 1 and with 2 worker processes (WEB_CONCURRENCY), on the same
// mix of pages, back to back in one run so that the ratio compares like with like on a shared machine.

export type ClusterOptions = {
  proposals: number;
  duration: number;
  connections: number;
  verbose: boolean;
  /** Requests autocannon keeps in flight on each connection (1: one at a time, as browsers send them). */
  pipelining?: number;
  /** Worker threads autocannon spreads its connections over (0: it runs in this process's own thread). */
  loadgenWorkers?: number;
  /** A postgres:// URL of a server the bench may create databases on: each run serves a copy of the register there. */
  database?: string;
  /** Slices of each server's measured time, taken in turn (default 5). */
  rounds?: number;
};

export type BenchServer = { url: string; file: string; pid: number; stop: () => Promise<void> };

/**
 * The built app with `workers` worker processes on a fresh copy of the register of n proposals
 * (sessions and job runs never change the cached register); stop() ends it and removes the copy.
 */
export async function startOnCopy(
  proposals: number,
  workers: number,
  verbose: boolean,
  /** Runs on the copy before the server starts (with the copy's log key), e.g. to add data. */
  prepare?: (file: string, keyFile: string) => Promise<void> | void,
  database?: string,
): Promise<BenchServer> {
  const { file, keyFile, checkpointDir } = scaleDatabase(proposals, verbose);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bench-cluster-'));
  const copy = path.join(workDir, 'cosponsor.db');
  fs.copyFileSync(file, copy);
  if (fs.existsSync(path.dirname(keyFile))) fs.cpSync(path.dirname(keyFile), path.join(workDir, 'keys'), { recursive: true });
  if (fs.existsSync(checkpointDir)) fs.cpSync(checkpointDir, path.join(workDir, 'checkpoints'), { recursive: true });
  const previous = process.env.WEB_CONCURRENCY;
  process.env.WEB_CONCURRENCY = String(workers);
  try {
    await prepare?.(copy, path.join(workDir, 'keys', 'log-signing.key'));
    // On PostgreSQL the server runs on a copy of the moved register; the SQLite copy still names the targets.
    const onPostgres = database ? await postgresCopy(database, proposals, verbose) : null;
    const server = await startServer(copy, path.join(workDir, 'keys', 'log-signing.key'), path.join(workDir, 'checkpoints'), verbose, onPostgres?.url);
    // The jobs sign the copy's log once at start (the scale register has no checkpoint): a start-up
    // cost, not the load measured, so the measurement begins once it is done.
    const signedBy = Date.now() + 180_000;
    while (!(fs.existsSync(path.join(workDir, 'checkpoints')) && fs.readdirSync(path.join(workDir, 'checkpoints')).some((f) => f.endsWith('.checkpoint')))) {
      if (Date.now() > signedBy) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    return {
      url: server.url,
      file: copy,
      pid: server.child.pid!,
      stop: async () => {
        await server.stop();
        await onPostgres?.drop();
        fs.rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw error;
  } finally {
    if (previous === undefined) delete process.env.WEB_CONCURRENCY;
    else process.env.WEB_CONCURRENCY = previous;
  }
}

type Mix = { method: 'GET'; path: string; headers: Record<string, string> }[];

/** The pages of `npm run bench -- pages`, each once per round, as staff (and the register list as a lead). */
export async function pageMix(server: BenchServer, database?: string): Promise<Mix> {
  const targets = pickTargets(server.file);
  const staff = { cookie: await signIn(server.url, 'staff@cosponsor.test') };
  const lead = { cookie: await signIn(server.url, 'lead@cosponsor.test') };
  const pages: [string, Record<string, string>][] = [
    ['/login', {}],
    ['/proposals', staff],
    ['/proposals', lead],
    ['/review', staff],
    [`/review/${targets.dossierId}`, staff],
    ['/decisions', staff],
    [`/decisions?q=${encodeURIComponent(targets.word)}`, staff],
    ...(targets.page50After == null ? [] : [[`/decisions?after=${targets.page50After}`, staff] as [string, Record<string, string>]]),
    [`/partners/${targets.partnerId}`, staff],
  ];
  const answering: typeof pages = [];
  for (const [pathname, headers] of pages) {
    const response = await fetch(`${server.url}${pathname}`, { redirect: 'manual', headers });
    await response.arrayBuffer();
    if (response.status === 200) answering.push([pathname, headers]);
    // On PostgreSQL a page that does not answer yet is left out of the mix, and said so.
    else if (database) console.log(`cluster page_left_out=${pathname} status=${response.status}`);
    else throw new Error(`${pathname} answered ${response.status}`);
  }
  return answering.map(([pathname, headers]) => ({ method: 'GET', path: pathname, headers }));
}

type Load = Parameters<typeof autocannon>[0] & { url: string };

const WARM_UP_REQUESTS_PER_WORKER = 5000;

/** A server of `workers` worker processes, warmed up and ready to be measured in slices. */
async function warmServer(workers: number, options: ClusterOptions): Promise<{ server: BenchServer; load: Load }> {
  const server = await startOnCopy(options.proposals, workers, options.verbose, undefined, options.database);
  try {
    const requests = await pageMix(server, options.database);
    const load: Load = {
      url: server.url,
      connections: options.connections,
      requests,
      pipelining: options.pipelining ?? 1,
      ...(options.loadgenWorkers ? { workers: options.loadgenWorkers } : {}),
    };
    // A warm-up of the same number of requests for each worker process (a time-boxed one gave each
    // of two workers half the warm-up of one), so every process measures compiled code and a warm cache.
    // Each worker compiles and fills its caches for itself, on the requests it is given: measured in
    // slices after 1,500 requests a worker, two workers still gained in every slice for 8,000 more
    // (489 to 650 req/s), one worker did not; after 5,000 each, neither moved by more than the noise.
    await autocannon({ ...load, amount: WARM_UP_REQUESTS_PER_WORKER * workers });
    return { server, load };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

type Totals = { requests: number; seconds: number; failed: number; p50s: number[]; p99s: number[]; cpu: Record<string, number>; rpsBySlice: number[] };

async function measureSlice(server: BenchServer, load: Load, seconds: number, totals: Totals): Promise<void> {
  const cpu = startCpuSplit(server.pid);
  const result = await autocannon({ ...load, duration: seconds });
  const split = cpu();
  // Whole seconds of the slice: with worker threads autocannon's own average is per thread.
  totals.requests += result.requests.total;
  totals.seconds += result.duration;
  totals.failed += result.non2xx + result.errors + result.timeouts;
  totals.p50s.push(result.latency.p50);
  totals.p99s.push(result.latency.p99);
  totals.rpsBySlice.push(result.requests.total / result.duration);
  // Percent of one core, weighted by the slice's length: averaged over the slices below.
  for (const [role, value] of Object.entries(split)) totals.cpu[role] = (totals.cpu[role] ?? 0) + (role === 'cores' ? 0 : value * result.duration);
  if (split.cores !== undefined) totals.cpu.cores = split.cores;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// A fixed piece of work like a page's (objects built, serialised to JSON and back, strings joined),
// repeated until the time is up; the child prints how many rounds it did.
const SPIN = `const end = Date.now() + Number(process.argv[1]) * 1000; let rounds = 0;
while (Date.now() < end) {
  const rows = Array.from({ length: 200 }, (_, i) => ({ id: i, title: 'Proposal ' + i, state: i % 3 ? 'review' : 'draft', at: new Date(i * 1e9).toISOString() }));
  const back = JSON.parse(JSON.stringify(rows));
  rounds += back.map((r) => '<li>' + r.title + ' ' + r.state + '</li>').join('').length > 0 ? 1 : 0;
}
console.log(rounds);`;

function spin(seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SPIN, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve(Number(out.trim())));
  });
}

/**
 * What the machine itself gives two processes over one at this moment: the same CPU-bound work
 * in one process, then in two at once. On 2 idle cores it is near 2; with neighbours at work, or
 * with cores that share more than they seem to, less. The server's speedup is read against it.
 */
export async function machineSpeedup(seconds = 5): Promise<number> {
  const one = await spin(seconds);
  const two = (await Promise.all([spin(seconds), spin(seconds)])).reduce((a, b) => a + b, 0);
  return two / one;
}

/**
 * The two servers (1 and 2 workers) run side by side and are measured in turn, in short slices
 * (1, 2, 2, 1, 1, 2, ...), rather than one whole run after the other: on this shared machine the
 * speed the host gives us drifts within a minute (one worker alone measured 220 to 357 req/s in
 * runs minutes apart), and back-to-back runs then compared two different machines. Alternating
 * slices put both under the same drift; each slice's ratio to its neighbour is printed too.
 */
export async function clusterBenchmark(options: ClusterOptions): Promise<string[]> {
  const lines: string[] = [];
  const print = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  const before = await machineSpeedup();
  const rounds = Math.max(1, options.rounds ?? 5);
  const sliceSeconds = Math.max(1, Math.round(options.duration / rounds));
  const started: { server: BenchServer; load: Load }[] = [];
  try {
    for (const workers of [1, 2]) started.push(await warmServer(workers, options));
    const totals: Totals[] = started.map(() => ({ requests: 0, seconds: 0, failed: 0, p50s: [], p99s: [], cpu: {}, rpsBySlice: [] }));
    // One slice each, not counted, first: the server warmed first has sat idle while the other warmed.
    const unmeasured = started.map(() => ({ requests: 0, seconds: 0, failed: 0, p50s: [], p99s: [], cpu: {}, rpsBySlice: [] }) as Totals);
    for (let i = 0; i < started.length; i++) await measureSlice(started[i]!.server, started[i]!.load, sliceSeconds, unmeasured[i]!);
    for (let round = 0; round < rounds; round++) {
      // ABBA: a drift that is steady over a round weighs on both alike.
      const order = round % 2 === 0 ? [1, 0] : [0, 1];
      for (const i of order) await measureSlice(started[i]!.server, started[i]!.load, sliceSeconds, totals[i]!);
    }
    const results = totals.map((t) => ({ ...t, rps: t.requests / t.seconds }));
    if (options.verbose) results.forEach((r, i) => console.error(`workers=${i + 1} rps by slice: ${r.rpsBySlice.map((x) => x.toFixed(0)).join(', ')}`));
    results.forEach((r, i) => {
      const workers = i + 1;
      // p50: the median of the slices' p50; p99: the worst slice's p99.
      print(
        `cluster workers=${workers} rps=${r.rps.toFixed(1)} p50_ms=${median(r.p50s)} p99_ms=${Math.max(...r.p99s)}` + (r.failed > 0 ? ` failed=${r.failed}` : ''),
      );
      const cpu = Object.fromEntries(Object.entries(r.cpu).map(([role, v]) => [role, role === 'cores' ? v : Math.round((v / r.seconds) * 10) / 10]));
      // Where the CPU went (percent of one core): the server's processes, the load generator, the rest of the machine.
      // CPU milliseconds per request, of the server's processes together and of the load generator:
      // steadier than req/s when neighbours take the cores, since it counts only the time we were given.
      const serverShare = Object.entries(cpu)
        .filter(([role]) => role === 'server' || role === 'primary' || role === 'jobs' || role.startsWith('web'))
        .reduce((sum, [, pct]) => sum + pct, 0);
      const msPerRequest = (pct: number) => ((pct / 100) * 1000) / r.rps;
      print(
        `cluster cpu workers=${workers} ${formatCpuSplit(cpu)}` +
          ` server_cpu_ms_per_req=${msPerRequest(serverShare).toFixed(2)} loadgen_cpu_ms_per_req=${msPerRequest(cpu.loadgen ?? 0).toFixed(2)}`,
      );
    });
    const after = await machineSpeedup();
    // Each round's own ratio shows how much the host moved while the bench ran.
    const perRound = results[1]!.rpsBySlice.map((rps, i) => (rps / results[0]!.rpsBySlice[i]!).toFixed(2));
    // The machine's own ratio for two processes, before and after the server runs (neighbours come and go).
    print(
      `cluster speedup_2_workers=${(results[1]!.rps / results[0]!.rps).toFixed(2)} rounds=${perRound.join(',')} slice_s=${sliceSeconds}` +
        ` machine_speedup_2_processes=${before.toFixed(2)},${after.toFixed(2)} loadavg=${os.loadavg()[0]!.toFixed(2)}`,
    );
    return lines;
  } finally {
    for (const { server } of started) await server.stop();
  }
}
