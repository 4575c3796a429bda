import { parseArgs } from 'node:util';
import { all, qb, useDatabase } from '../db/connection';
import { migrateToLatest } from '../db/migrate';

// DATABASE_PATH=path/to.db npx tsx bench/review.ts [--requests 200] [--warmup 20]
// Times the staff review pages of the built app (run `npx remix build` first)
// over loopback HTTP with a signed-in staff cookie: the review queue, the queue
// filtered by a flag, and the dossiers of queued proposals. Each figure is the
// time from sending the request to the last byte of the page, so it is the
// server's time plus a loopback hop. Prints p50 and p95 per page.
// React runs in its production build, as on a production server
// (NODE_ENV=production unless set otherwise).
process.env.NODE_ENV ??= 'production';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '200' }, warmup: { type: 'string', default: '20' } },
});
const requests = Number(values.requests);
const warmup = Number(values.warmup);
if (!process.env.DATABASE_PATH) {
  console.error('Set DATABASE_PATH to the database to measure (see bench/enlarge-demo.ts).');
  process.exit(2);
}

await migrateToLatest(useDatabase(process.env.DATABASE_PATH));
const queued = all(qb().selectFrom('proposals').select('id').where('state', '=', 'review').orderBy('submitted_at').orderBy('id'));
const total = all(qb().selectFrom('proposals').select((eb) => eb.fn.countAll<number>().as('n')))[0]!.n;
if (queued.length === 0) {
  console.error('No proposal is waiting for review in this database.');
  process.exit(2);
}

// Loaded only now, so that React (loaded by the build) sees NODE_ENV.
const { startApp } = await import('../tests/support/app-server');
const app = await startApp();
const cookie = await app.login('staff@cosponsor.test');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(path: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await app.fetch(path, { cookie });
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  return { ms, bytes: body.length };
}

async function measure(name: string, pathFor: (i: number) => string): Promise<string> {
  for (let i = 0; i < warmup; i += 1) await time(pathFor(i));
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests; i += 1) {
    const t = await time(pathFor(i));
    times.push(t.ms);
    bytes += t.bytes;
  }
  times.sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  return `${name.padEnd(34)} p50 ${f(percentile(times, 50))} ms  p95 ${f(percentile(times, 95))} ms  max ${f(times.at(-1)!)} ms  (${requests} requests, ${Math.round(bytes / requests / 1024)} KB each)`;
}

console.log(`${total} proposals, ${queued.length} waiting for review`);
console.log(await measure('/review', () => '/review'));
console.log(await measure('/review?flag=unknown_items', () => '/review?flag=unknown_items'));
console.log(await measure('/review/<id> (200 dossiers)', (i) => `/review/${queued[i % queued.length]!.id}`));
console.log(await measure('/review/<id> (one dossier)', () => `/review/${queued[0]!.id}`));
await app.close();
process.exit(0);
