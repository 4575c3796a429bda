// Everything the server runs on a timer, started once at start-up: notification
// delivery (also what a crash left between commit and delivery), the expiry of
// approvals past their end date, the scheduled screening, and the search index following the log
// (docs/decisions/0012-search-index-after-commit.md), and signed checkpoints of the log.
// Several server processes share one database (node:cluster, WEB_CONCURRENCY): the jobs run in one
// of them at a time, the holder of a lease in the database (docs/decisions/0120-cluster-and-job-leases.md).
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { leaseOf, releaseLease, tryTakeLease } from '../../db/job-leases';
import { openJobsLeaderLock, type JobsLeaderLock } from '../../db/job-leader';
import { env } from '../utils/env.server';
import { catchUpSearchIndex } from '../../db/search-index';
import { expireDueApprovals } from './expiry.server';
import { startOutboxWorker } from './outbox.server';
import { enqueueDueReminders } from './reminders.server';
import { refreshDueScreenings } from '../features/review/review.server';
import { rescanDuePartners } from '../features/review/screening-memory.server';
import { logPublicKey, startCheckpointJob } from '../features/register/log-checkpoints.server';

const HOUR_MS = 60 * 60_000;
const SEARCH_INDEX_INTERVAL_MS = 2_000;

/** Runs `job` now and every `intervalMs`; a failure is logged and the next run tries again. */
function every(name: string, intervalMs: number, job: () => unknown): NodeJS.Timeout {
  const run = () => {
    const started = performance.now();
    try {
      job();
    } catch (error) {
      console.error(`${name} failed:`, error);
    }
    // The jobs share the event loop with the pages this process serves: a long run shows here.
    const ms = performance.now() - started;
    if (ms > 1000) console.warn(`${name} held the event loop for ${Math.round(ms)} ms.`);
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return timer;
}

// Indexed a slice at a time with the event loop free in between: with one web process
// (WEB_CONCURRENCY=1) the jobs share its event loop, and a minute's backlog indexed in one
// batch held the pages up (docs/decisions/0390-incremental-verification-in-slices.md).
const SEARCH_INDEX_SLICE_RECORDS = 200;
let indexing: Promise<void> | null = null;
/** The search index's catch-up as the job runs it; a call while one is under way joins that one. */
export function catchUpSearchIndexInSlices(): Promise<void> {
  indexing ??= (async () => {
    while (catchUpSearchIndex(SEARCH_INDEX_SLICE_RECORDS, 1) === SEARCH_INDEX_SLICE_RECORDS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  })()
    .catch((error) => console.error('Search indexing failed:', error))
    .finally(() => {
      indexing = null;
    });
  return indexing;
}

// A run waits on the screening service partner by partner: the next tick skips while one is under way.
let rescanning: Promise<unknown> | null = null;
function rescanOnce(): void {
  if (rescanning) return;
  rescanning = rescanDuePartners()
    .catch((error) => console.error('Screening rescan failed:', error))
    .finally(() => {
      rescanning = null;
    });
}

export type BackgroundJobs = {
  /** Stops the timers and waits for a notification delivery in flight (graceful shutdown). */
  stop: () => Promise<void>;
};

function runJobs(): BackgroundJobs {
  const checkpoints = startCheckpointJob();
  const outbox = startOutboxWorker();
  const timers = [
    every('Expiry sweep', HOUR_MS, () => expireDueApprovals()),
    every('Search indexing', SEARCH_INDEX_INTERVAL_MS, () => void catchUpSearchIndexInSlices()),
    // E-mail reminders before end dates and events: each queued once (a unique key), delivered by the outbox.
    every('E-mail reminders', HOUR_MS, () => enqueueDueReminders()),
    // Proposals waiting for a decision are screened again when their last check is old, so that
    // opening a dossier never calls the screening service (it also runs before each decision).
    every('Scheduled screening', HOUR_MS, () => refreshDueScreenings().catch((error) => console.error('Scheduled screening failed:', error))),
    // Open and approved partnerships screened again every SCREENING_RESCAN_DAYS; a new hit on an approval alerts staff.
    every('Screening rescan', HOUR_MS, () => rescanOnce()),
  ];
  return {
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      checkpoints.stop();
      await outbox.stop();
    },
  };
}

export const JOBS_LEASE = 'background-jobs';

/** Whether a lease holder named by this module is a process of this machine that no longer exists. */
function holderIsGone(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== os.hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export type JobsOptions = {
  /**
   * A process that serves pages while another process exists to run the jobs (the cluster's jobs
   * worker): it takes them over only when their lease has been expired for STANDBY_LEASES leases,
   * i.e. when that process hangs, not merely while a long job keeps it busy.
   */
  standby?: boolean;
};

/** How many lease lengths a standby waits past the lease's expiry before it takes the jobs over. */
export const STANDBY_LEASES = 4;

export function startBackgroundJobs({ standby = false }: JobsOptions = {}): BackgroundJobs {
  // Every decision seals its records with the log's signing key: without it no decision could be
  // written, so no server process should start, whether or not it runs the jobs.
  try {
    logPublicKey();
  } catch (error) {
    throw new Error(`The decision log's signing key (SIGNING_KEY_FILE) cannot be read or created: ${(error as Error).message}`, { cause: error });
  }
  const leaseMs = env().JOB_LEASE_MS;
  const holder = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let jobs: BackgroundJobs | null = null;
  const startedAt = Date.now();
  // PostgreSQL: the leader also holds an advisory lock, on a connection of its own, opened when
  // first needed (a standby needs it only once it takes the jobs over). Null on SQLite.
  let leaderLock: JobsLeaderLock | null | undefined;
  const lock = () => (leaderLock === undefined ? (leaderLock = openJobsLeaderLock(holder)) : leaderLock);
  // The holder renews a third of the way through its lease; the others look as often, and take it
  // over when it has expired, or at once when its holder was a process here that has died.
  const check = () => {
    try {
      const now = Date.now();
      // A standby counts a lease as over only well after its expiry (a released one, expires_at 0, at once).
      const over = standby ? now - STANDBY_LEASES * leaseMs : now;
      const current = leaseOf(JOBS_LEASE);
      const heldByAnother = current !== undefined && current.holder !== holder && current.holder !== '' && current.expires_at > now;
      let dead = !standby && heldByAnother && holderIsGone(current.holder) ? current.holder : undefined;
      // Nobody holds it yet (or it was handed back): a standby leaves it to the jobs worker for as long.
      const unheld = !current || current.holder === '';
      // PostgreSQL: a process not running the jobs takes the leader lock before the lease, so that
      // of two starting at once the one with the lock takes the lease. Getting the lock while
      // another holds the lease means that holder's connection has ended: it died, on any machine.
      const contender = jobs === null && !standby && (unheld || heldByAnother);
      const locked = contender && lock() !== null ? lock()!.tryTake() : null;
      if (locked && heldByAnother && dead === undefined) dead = current.holder;
      const worthTrying =
        locked !== false &&
        (jobs !== null ||
          (unheld ? !standby || now - startedAt >= STANDBY_LEASES * leaseMs : current.holder === holder || current.expires_at <= over || dead !== undefined));
      // An expired lease is taken without the lock: its holder may hang with its connection (and lock) open.
      const expired = current !== undefined && !unheld && current.holder !== holder && current.expires_at <= over;
      const mine = (worthTrying || expired) && tryTakeLease(JOBS_LEASE, holder, now, leaseMs, { deadHolder: dead, expiredBefore: over });
      const leader = mine ? lock() : (leaderLock ?? null);
      try {
        // The lock follows the lease: its holder takes it over from a hung former leader; anyone else lets it go.
        if (leader && mine && !leader.tryTake()) leader.takeOver();
        else if (leader && !mine) leader.release();
      } catch (error) {
        // The lease decides who runs the jobs; a lock that cannot follow it (no right to end the
        // other session, a lost connection) only names the leader less well until the next check.
        console.warn('Background jobs: could not take the leader lock:', (error as Error).message);
      }
      if (mine && !jobs) {
        console.log(`Background jobs: running in this process (pid ${process.pid}).`);
        jobs = runJobs();
      } else if (!mine && jobs) {
        // Another process took over (this one did not renew in time): stop, so the jobs run once.
        console.warn(`Background jobs: another process holds the lease now; stopping them in pid ${process.pid}.`);
        void jobs.stop();
        jobs = null;
      }
    } catch (error) {
      // A busy or failing database: keep what we have; the next check tries again.
      console.error('Background jobs: could not check the lease:', (error as Error).message);
    }
  };
  check();
  const timer = setInterval(check, Math.max(250, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      if (jobs) {
        await jobs.stop();
        jobs = null;
        // Handed on at once rather than after the lease runs out.
        try {
          releaseLease(JOBS_LEASE, holder);
        } catch (error) {
          console.error('Background jobs: could not release the lease:', (error as Error).message);
        }
      }
      // Closing the lock's connection lets the lock go with it.
      leaderLock?.close();
      leaderLock = null;
    },
  };
}
