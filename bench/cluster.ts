import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { pickTargets, scaleDatabase, signIn, startServer } from './pages';

// The whole server's throughput with 1 and with 2 worker processes (WEB_CONCURRENCY), on the same
// mix of pages, back to back in one run so that the ratio compares like with like on a shared machine.

export type ClusterOptions = { proposals: number; duration: number; connections: number; verbose: boolean };

export type BenchServer = { url: string; file: string; stop: () => Promise<void> };

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
    const server = await startServer(copy, path.join(workDir, 'keys', 'log-signing.key'), path.join(workDir, 'checkpoints'), verbose);
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
      stop: async () => {
        await server.stop();
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
async function pageMix(server: BenchServer): Promise<Mix> {
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
  for (const [pathname, headers] of pages) {
    const response = await fetch(`${server.url}${pathname}`, { redirect: 'manual', headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${pathname} answered ${response.status}`);
  }
  return pages.map(([pathname, headers]) => ({ method: 'GET', path: pathname, headers }));
}

async function measure(workers: number, options: ClusterOptions) {
  const server = await startOnCopy(options.proposals, workers, options.verbose);
  try {
    const requests = await pageMix(server);
    // A short warm-up first, so both runs are measured with compiled code and a warm page cache.
    await autocannon({ url: server.url, connections: options.connections, duration: 2, requests });
    const result = await autocannon({ url: server.url, connections: options.connections, duration: options.duration, requests });
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      failed: result.non2xx + result.errors + result.timeouts,
    };
  } finally {
    await server.stop();
  }
}

export async function clusterBenchmark(options: ClusterOptions): Promise<string[]> {
  const lines: string[] = [];
  const results = [];
  for (const workers of [1, 2]) {
    const r = await measure(workers, options);
    results.push(r);
    const line = `cluster workers=${workers} rps=${r.rps.toFixed(1)} p50_ms=${r.p50} p99_ms=${r.p99}` + (r.failed > 0 ? ` failed=${r.failed}` : '');
    console.log(line);
    lines.push(line);
  }
  const line = `cluster speedup_2_workers=${(results[1]!.rps / results[0]!.rps).toFixed(2)} loadavg=${os.loadavg()[0]!.toFixed(2)}`;
  console.log(line);
  lines.push(line);
  return lines;
}
