// Everything the server runs on a timer, started once at start-up: notification
// delivery (also what a crash left between commit and delivery), the expiry of
// approvals past their end date, the scheduled screening, and the search index following the log
// (docs/decisions/0012-search-index-after-commit.md), and signed checkpoints of the log.
import { catchUpSearchIndex } from '../../db/search-index';
import { expireDueApprovals } from './expiry.server';
import { startOutboxWorker } from './outbox.server';
import { enqueueDueReminders } from './reminders.server';
import { refreshDueScreenings } from '../features/review/review.server';
import { startCheckpointJob } from '../features/register/log-checkpoints.server';

const HOUR_MS = 60 * 60_000;
const SEARCH_INDEX_INTERVAL_MS = 2_000;

/** Runs `job` now and every `intervalMs`; a failure is logged and the next run tries again. */
function every(name: string, intervalMs: number, job: () => unknown): NodeJS.Timeout {
  const run = () => {
    try {
      job();
    } catch (error) {
      console.error(`${name} failed:`, error);
    }
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return timer;
}

export type BackgroundJobs = {
  /** Stops the timers and waits for a notification delivery in flight (graceful shutdown). */
  stop: () => Promise<void>;
};

export function startBackgroundJobs(): BackgroundJobs {
  // Signed checkpoints of the log, kept outside the database (docs/verifying-the-log.md); this
  // throws when the signing key cannot be read or created, and the server must not start then.
  const checkpoints = startCheckpointJob();
  const outbox = startOutboxWorker();
  const timers = [
    every('Expiry sweep', HOUR_MS, () => expireDueApprovals()),
    every('Search indexing', SEARCH_INDEX_INTERVAL_MS, catchUpSearchIndex),
    // E-mail reminders before end dates and events: each queued once (a unique key), delivered by the outbox.
    every('E-mail reminders', HOUR_MS, () => enqueueDueReminders()),
    // Proposals waiting for a decision are screened again when their last check is old, so that
    // opening a dossier never calls the screening service (it also runs before each decision).
    every('Scheduled screening', HOUR_MS, () => refreshDueScreenings().catch((error) => console.error('Scheduled screening failed:', error))),
  ];
  return {
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      checkpoints.stop();
      await outbox.stop();
    },
  };
}
