// Everything the server runs on a timer, started once at start-up: notification
// delivery (also what a crash left between commit and delivery), the expiry of
// approvals past their end date, and the search index following the log
// (docs/decisions/0012-search-index-after-commit.md).
import { catchUpSearchIndex } from '../../db/search-index';
import { expireDueApprovals } from './expiry.server';
import { startOutboxWorker } from './outbox.server';

const HOUR_MS = 60 * 60_000;
const SEARCH_INDEX_INTERVAL_MS = 2_000;

/** Runs `job` now and every `intervalMs`; a failure is logged and the next run tries again. */
function every(name: string, intervalMs: number, job: () => unknown): void {
  const run = () => {
    try {
      job();
    } catch (error) {
      console.error(`${name} failed:`, error);
    }
  };
  run();
  setInterval(run, intervalMs).unref();
}

export function startBackgroundJobs(): void {
  startOutboxWorker();
  every('Expiry sweep', HOUR_MS, () => expireDueApprovals());
  every('Search indexing', SEARCH_INDEX_INTERVAL_MS, catchUpSearchIndex);
}
