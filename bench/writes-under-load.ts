import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import autocannon from 'autocannon';
import { signIn } from './pages';
import { startOnCopy } from './cluster';

// Decisions while the register is read hard: `writers` staff members each send real decisions
// (approve, through the same POST /review/<id> form a browser sends) one after another, while
// `readers` connections read /proposals as staff. Prints the decisions' latency as the staff
// member sees it, and what the readers got.

export type WritesOptions = {
  proposals: number;
  duration: number;
  readers: number;
  writers: number;
  workers: number;
  verbose: boolean;
};

const STAFF = ['staff@cosponsor.test', 'staff2@cosponsor.test'];

/**
 * The scale register has almost no proposal waiting for a decision (they were all decided): this
 * carries `count` new ones to review through the real service on the copy, before the server starts.
 */
async function addProposalsInReview(file: string, keyFile: string, count: number, verbose: boolean): Promise<void> {
  process.env.SIGNING_KEY_FILE = keyFile;
  process.env.CHECKPOINT_DIR = path.join(path.dirname(path.dirname(keyFile)), 'checkpoints');
  const { useSqliteDatabase, closeDatabase } = await import('../db/connection');
  const { proposalInReview } = await import('../tests/integration/review-fixtures');
  const db = useSqliteDatabase(file);
  // The cached register may predate the newest migrations; the server would apply them at its start.
  await (await import('../db/migrate')).migrateToLatest(db);
  // Setting up, not measured: the server's own connection keeps synchronous=FULL.
  db.sqlite.pragma('synchronous = OFF');
  const partners = db.sqlite.prepare("SELECT id FROM partners WHERE name NOT LIKE '%Party%' ORDER BY id LIMIT 50").all() as { id: number }[];
  const started = performance.now();
  try {
    for (let i = 0; i < count; i++) proposalInReview({ partnerId: partners[i % partners.length]!.id, title: `Bench teach-in ${i + 1}` });
    // Indexed here, as the server's search-index job would otherwise do in one write transaction at its start.
    (await import('../db/search-index')).catchUpSearchIndex();
  } finally {
    closeDatabase();
  }
  if (verbose) console.error(`${count} proposals carried to review in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The proposals carried to review above that the staff member did not propose (four-eyes), with the version the form carries. */
function waitingProposals(file: string, email: string): { id: number; version: number }[] {
  const db = new SQLite(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT p.id, p.version FROM proposals p
         WHERE p.state = 'review' AND p.proposer_id <> (SELECT id FROM users WHERE email = ?) AND p.event_title LIKE 'Bench teach-in %'
         ORDER BY p.id`
      )
      .all(email) as { id: number; version: number }[];
  } finally {
    db.close();
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function writesUnderLoadBenchmark(options: WritesOptions): Promise<string> {
  // Enough for both writers to decide without pause for the whole run at 20 decisions/s each.
  const waiting = options.writers * options.duration * 20;
  const server = await startOnCopy(options.proposals, options.workers, options.verbose, (file, keyFile) =>
    addProposalsInReview(file, keyFile, waiting, options.verbose)
  );
  try {
    const staffCookie = await signIn(server.url, STAFF[0]!);
    const writers = await Promise.all(
      Array.from({ length: options.writers }, async (_, i) => {
        const email = STAFF[i % STAFF.length]!;
        return {
          cookie: await signIn(server.url, email),
          queue: waitingProposals(server.file, email),
        };
      })
    );
    // Each writer takes its own share of the waiting proposals, so no two decide the same one.
    const taken = new Set<number>();
    for (const [i, w] of writers.entries()) {
      w.queue = w.queue.filter((p, k) => k % options.writers === i && !taken.has(p.id));
      for (const p of w.queue) taken.add(p.id);
    }
    if (options.verbose) console.error(`proposals waiting per writer: ${writers.map((w) => w.queue.length).join(', ')}`);

    const latencies: number[] = [];
    const refusals = new Map<number, number>();
    let done = false;
    const writeLoop = async (writer: (typeof writers)[number]) => {
      // Reading first, as staff do: the decision is sent once the reads are under way.
      await new Promise((r) => setTimeout(r, 500));
      while (!done) {
        const proposal = writer.queue.shift();
        if (!proposal) return;
        const body = new URLSearchParams({
          intent: 'approve',
          version: String(proposal.version),
          conditions: '',
          endDate: '',
          rationale: '',
        });
        const started = performance.now();
        const response = await fetch(`${server.url}/review/${proposal.id}`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            Origin: server.url,
            Cookie: writer.cookie,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body,
        });
        const answer = await response.text();
        const ms = performance.now() - started;
        if (response.status !== 302 && options.verbose && !refusals.has(response.status)) {
          console.error(
            `proposal ${proposal.id}: ${response.status} ${
              answer
                .replace(/<[^>]+>/g, ' ')
                .replace(/\s+/g, ' ')
                .match(/.{0,200}(must|need|cannot|refused|Choose|Enter)[^.]*/)?.[0]
            }`
          );
        }
        if (response.status === 302) latencies.push(ms);
        else refusals.set(response.status, (refusals.get(response.status) ?? 0) + 1);
      }
    };
    const reads = autocannon({
      url: `${server.url}/proposals`,
      connections: options.readers,
      duration: options.duration,
      headers: { cookie: staffCookie },
    });
    const writing = Promise.all(writers.map(writeLoop));
    const read = await reads;
    done = true;
    await writing;

    latencies.sort((a, b) => a - b);
    const refused = [...refusals].map(([status, n]) => `${status}x${n}`).join(',');
    return (
      `writes workers=${options.workers} readers=${options.readers} writers=${options.writers} decisions=${latencies.length} ` +
      `write_p50_ms=${percentile(latencies, 50).toFixed(0)} write_p99_ms=${percentile(latencies, 99).toFixed(0)} write_max_ms=${(
        latencies.at(-1) ?? NaN
      ).toFixed(0)} ` +
      `read_rps=${read.requests.average.toFixed(1)} read_p50_ms=${read.latency.p50} read_p99_ms=${read.latency.p99}` +
      (read.non2xx + read.errors + read.timeouts > 0 ? ` read_failed=${read.non2xx + read.errors + read.timeouts}` : '') +
      (refused ? ` refused=${refused}` : '') +
      (writers.some((w) => w.queue.length === 0) ? ' ran_out_of_proposals' : '') +
      ` loadavg=${os.loadavg()[0]!.toFixed(2)}`
    );
  } finally {
    await server.stop();
  }
}
