import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { scaleDatabase } from './pages';

// What each background job costs per run on the scale register, measured in this process on a copy
// of it: with one web process (WEB_CONCURRENCY=1) the jobs run on the event loop that serves the
// pages, so the longest time one run keeps the loop busy is what a page waits behind it.
// Each job's runs are timed from outside (the job's own code logs nothing). The checkpoint job is
// timed with nothing new since the last checkpoint and after `added` new proposals carried to
// review (about six records each).

export type JobsOptions = { proposals: number; added: number; verbose: boolean };

/** Runs `job` and returns its wall time and the longest event-loop block while it ran. */
async function timed(job: () => unknown): Promise<{ ms: number; blockMs: number }> {
  let longest = 0;
  let last = performance.now();
  // A 1 ms probe: the gap between its ticks is how long the loop was held.
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  await job();
  const ms = performance.now() - started;
  longest = Math.max(longest, performance.now() - last);
  clearInterval(probe);
  return { ms, blockMs: longest };
}

export async function jobsBenchmark(options: JobsOptions): Promise<string[]> {
  const { file, keyFile, checkpointDir } = scaleDatabase(options.proposals, options.verbose);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bench-jobs-'));
  const copy = path.join(workDir, 'cosponsor.db');
  fs.copyFileSync(file, copy);
  if (fs.existsSync(path.dirname(keyFile))) fs.cpSync(path.dirname(keyFile), path.join(workDir, 'keys'), { recursive: true });
  if (fs.existsSync(checkpointDir)) fs.cpSync(checkpointDir, path.join(workDir, 'checkpoints'), { recursive: true });
  process.env.SIGNING_KEY_FILE = path.join(workDir, 'keys', 'log-signing.key');
  process.env.CHECKPOINT_DIR = path.join(workDir, 'checkpoints');
  process.env.REGISTRY_LOOKUP = 'off';
  const { useSqliteDatabase, closeDatabase } = await import('../db/connection');
  const db = useSqliteDatabase(copy);
  const lines: string[] = [];
  const report = (job: string, r: { ms: number; blockMs: number }, extra = '') => {
    const line = `job=${job} ms=${r.ms.toFixed(1)} longest_block_ms=${r.blockMs.toFixed(1)}${extra} loadavg=${os.loadavg()[0]!.toFixed(2)}`;
    console.log(line);
    lines.push(line);
  };
  try {
    await (await import('../db/migrate')).migrateToLatest(db);
    const { checkpointAndPublish } = await import('../app/features/register/log-checkpoints.server');
    const { catchUpSearchIndex } = await import('../db/search-index');
    const { catchUpSearchIndexInSlices } = await import('../app/jobs/background.server');
    const { expireDueApprovals } = await import('../app/jobs/expiry.server');
    const { enqueueDueReminders } = await import('../app/jobs/reminders.server');
    const { lastSeq } = await import('../db/decision-log');
    const sign = async (label: string) => {
      const from = lastSeq();
      const r = await timed(async () => {
        const outcome = await checkpointAndPublish('');
        if (!outcome.ok) throw new Error(outcome.message);
      });
      report(label, r, ` records=${from}`);
    };
    // The register may come without a checkpoint: the first one reads the whole log (a start-up cost).
    await sign('checkpoint_first');
    await sign('checkpoint_nothing_new');
    const { proposalInReview } = await import('../tests/integration/review-fixtures');
    const partners = db.sqlite.prepare("SELECT id FROM partners WHERE name NOT LIKE '%Party%' ORDER BY id LIMIT 50").all() as { id: number }[];
    db.sqlite.pragma('synchronous = OFF');
    for (let i = 0; i < options.added; i++) proposalInReview({ partnerId: partners[i % partners.length]!.id, title: `Bench job ${i + 1}` });
    db.sqlite.pragma('synchronous = FULL');
    // As the job runs it (in slices); the whole backlog at once is what a search does first.
    report('search_index_catch_up', await timed(() => catchUpSearchIndexInSlices()), ` added_proposals=${options.added}`);
    await sign('checkpoint_after_added');
    report('search_index_nothing_new', await timed(() => catchUpSearchIndex()));
    report('expiry_sweep', await timed(() => expireDueApprovals()));
    report('reminders', await timed(() => enqueueDueReminders()));
  } finally {
    closeDatabase();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  return lines;
}
