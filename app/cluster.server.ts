import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';

// The primary process of a server with several workers (WEB_CONCURRENCY > 1): it serves nothing and
// opens no database. It forks the web workers, which each run server.ts in full (migrate and seed
// under the startup lock, so only the first one does the work; listen on the shared port), and one
// jobs worker that runs server.ts up to the background jobs and serves nothing: a long job (signing
// a checkpoint over the whole log, catching the search index up) then never holds up a page or a
// decision. The jobs still run only in the holder of their lease (app/jobs/background.server.ts);
// the web workers stand by in case the jobs worker hangs. The primary replaces a worker that dies,
// and on SIGTERM or SIGINT passes the signal on, waits for every worker to finish, and exits.

export type SuperviseOptions = { workers: number; shutdownTimeoutMs: number };

const JOBS_WORKER_ENV = 'COSPONSOR_JOBS_WORKER';

/** Whether this process is the cluster's jobs worker (it runs the background jobs and serves nothing). */
export function isJobsWorker(): boolean {
  return cluster.isWorker && process.env[JOBS_WORKER_ENV] === '1';
}

/** Keeps the jobs worker alive until SIGTERM or SIGINT, then stops its jobs (handing the lease on) and exits. */
export function runJobsWorker(stopJobs: () => Promise<void>, closeDatabase: () => void): Promise<never> {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the background jobs…`);
    await stopJobs();
    closeDatabase();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  console.log(`Jobs worker ready (pid ${process.pid}).`);
  return new Promise<never>(() => {});
}

/**
 * Node flags the web workers get on top of the primary's own. When the web workers are as many as
 * the cores, each is busy on its own core, and V8's garbage-collector helper threads have no idle
 * core to run on: they take their time from the other worker instead (one worker alone uses about
 * 107% of a core, the rest on a second core). Then each worker collects on its own thread. With
 * fewer workers than cores the helpers run on an idle core, and are kept (docs/decisions/0128).
 */
export function webWorkerNodeFlags(workers: number, cores: number): string[] {
  return workers >= cores ? ['--single-threaded-gc'] : [];
}

/** Runs the primary until it is stopped; the process exits from here and never returns. */
export function superviseWorkers({ workers, shutdownTimeoutMs }: SuperviseOptions): Promise<never> {
  const alive = new Set<Worker>();
  const served = new WeakSet<Worker>();
  let anyServed = false;
  let stopping = false;
  let failed = false;

  const jobsWorkers = new WeakSet<Worker>();
  // Web workers still migrating and loading the build. The jobs worker starts once none is: its
  // first jobs (signing a large log, catching the search index up) hold the write lock for
  // seconds, and a web worker whose migration check waited longer than busy_timeout died at start,
  // which stopped the whole server.
  const starting = new Set<Worker>();
  let jobsForked = false;
  const forkJobsWhenStarted = () => {
    if (jobsForked || stopping || !anyServed || starting.size > 0) return;
    jobsForked = true;
    fork(true);
  };
  const webWorkerArgv = webWorkerNodeFlags(workers, os.availableParallelism());
  const fork = (jobs = false) => {
    cluster.setupPrimary({ execArgv: jobs ? process.execArgv : [...process.execArgv, ...webWorkerArgv] });
    const worker = cluster.fork(jobs ? { [JOBS_WORKER_ENV]: '1' } : {});
    if (jobs) jobsWorkers.add(worker);
    else starting.add(worker);
    alive.add(worker);
    worker.once('listening', () => {
      served.add(worker);
      anyServed = true;
      starting.delete(worker);
      forkJobsWhenStarted();
    });
  };

  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${reason}: stopping ${alive.size} worker${alive.size === 1 ? '' : 's'}…`);
    if (alive.size === 0) process.exit(failed ? 1 : 0);
    for (const worker of alive) worker.process.kill('SIGTERM');
    // Each worker closes its own requests after SHUTDOWN_TIMEOUT_MS; this is the backstop for one that hangs.
    const backstop = setTimeout(() => {
      console.error(`Workers still running ${shutdownTimeoutMs + 5000} ms after the signal: killing them.`);
      for (const worker of alive) worker.process.kill('SIGKILL');
      process.exit(1);
    }, shutdownTimeoutMs + 5000);
    backstop.unref();
  };

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    starting.delete(worker);
    if (stopping) {
      // A worker that did not stop cleanly (killed by the backstop, or failed to close) makes the exit code 1;
      // one still starting has no handler yet and ends by the signal itself, having served nothing.
      if (code !== 0 && !(signal === 'SIGTERM' && !served.has(worker))) failed = true;
      if (alive.size === 0) {
        console.log('Stopped.');
        process.exit(failed ? 1 : 0);
      }
      return;
    }
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (!anyServed) {
      // The server never came up (bad database, unreadable key, ...): every new worker would die the same way.
      console.error(`A worker stopped (${how}) before it could serve: stopping the server.`);
      failed = true;
      stop('Start failed');
      return;
    }
    const jobs = jobsWorkers.has(worker);
    // A web worker that died while starting no longer holds the jobs worker back.
    forkJobsWhenStarted();
    console.error(`${jobs ? 'Jobs worker' : 'Worker'} ${worker.process.pid} stopped (${how}): starting another.`);
    // One that died while starting waits a second first, so a fault that kills every start cannot spin the CPU.
    if (served.has(worker) || jobs) fork(jobs);
    else setTimeout(() => !stopping && fork(jobs), 1000);
  });

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  console.log(`Starting ${workers} worker processes (WEB_CONCURRENCY) and a jobs worker.`);
  for (let i = 0; i < workers; i++) fork();
  return new Promise<never>(() => {});
}
