// The decision register pages over HTTP at scale: the built app (startApp),
// signed in as a reviewer, against a COPY of a database built with
//   DATABASE_PATH=/tmp/scale/s20000.db npm run db:seed -- --scale 20000
// Run after `npx remix build`:
//   npx tsx bench/register-http.ts [--source /tmp/scale/s20000.db] [--requests 200] [--dev]
// Server time = from the HTTP server's 'request' event to the response's
// 'finish' (loaders, rendering, writing the body); "client" adds the loopback
// fetch and reading the body. Requests run one at a time after 10 warm-ups.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: '/tmp/scale/s20000.db' },
    requests: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
    // React's development build (what the test runs use) is several times slower to render.
    dev: { type: 'boolean', default: false },
  },
});
// As the server runs in production; set before React is first loaded (the imports below are dynamic).
process.env.NODE_ENV = values.dev ? 'development' : 'production';
const REQUESTS = Number(values.requests);
const source = path.resolve(values.source!);
if (!fs.existsSync(source)) {
  console.error(`No database at ${source}: build one with DATABASE_PATH=${source} npm run db:seed -- --scale 20000`);
  process.exit(1);
}

// Work on a copy: the bench signs in (a session row) and must leave the source as it was.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-register-http-'));
const copy = path.join(dir, path.basename(source));
// The copy is as large as the source: removed on every exit, failures included, unless --keep.
process.on('exit', () => {
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
});
const copyStarted = performance.now();
fs.copyFileSync(source, copy);
for (const suffix of ['-wal', '-shm']) if (fs.existsSync(source + suffix)) fs.copyFileSync(source + suffix, copy + suffix);
console.log(`Copied ${source} (${Math.round(fs.statSync(copy).size / 1e6)} MB) in ${Math.round(performance.now() - copyStarted)} ms to ${copy}`);
process.env.DATABASE_PATH = copy;

// Server-side timing: every request the app's HTTP server takes, from its
// 'request' event to the end of the response, by URL.
const serverTimes = new Map<string, number[]>();
const originalEmit = http.Server.prototype.emit;
http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
  if (event === 'request') {
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    const started = performance.now();
    res.once('finish', () => {
      const url = req.url ?? '';
      const list = serverTimes.get(url) ?? [];
      list.push(performance.now() - started);
      serverTimes.set(url, list);
    });
  }
  return (originalEmit as (this: http.Server, event: string, ...rest: unknown[]) => boolean).call(this, event, ...args);
} as typeof http.Server.prototype.emit;

const { first, getDb, qb, useDatabase } = await import('../db/connection');
const { migrateToLatest } = await import('../db/migrate');
const { startApp } = await import('../tests/support/app-server');

useDatabase(copy);
await migrateToLatest(getDb());
const records = first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))!.n;
const proposals = first(qb().selectFrom('proposals').select((eb) => eb.fn.countAll<number>().as('n')))!.n;
const topPartner = first(
  qb()
    .selectFrom('decision_records as d')
    .innerJoin('partners as p', 'p.id', 'd.partner_id')
    .select(['d.partner_id', 'p.name', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('d.partner_id')
    .orderBy('n', 'desc')
    .limit(1),
)!;
// The filter: the busiest chapter's approvals by staff, a combination typical of a precedent search.
const busyChapter = first(
  qb().selectFrom('proposals').select(['chapter_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('chapter_id').orderBy('n', 'desc').limit(1),
)!;
console.log(`${records} decision records, ${proposals} proposals; partner with most records: #${topPartner.partner_id} ${topPartner.name} (${topPartner.n})`);

const app = await startApp();
const cookie = await app.login('reviewer@cosponsor.test');

async function get(pathname: string): Promise<{ ms: number; html: string }> {
  const started = performance.now();
  const response = await app.fetch(pathname, { cookie });
  const html = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${pathname} answered ${response.status}`);
  return { ms, html };
}

const rowsIn = (html: string) => (html.match(/<tr data-seq="/g) ?? []).length;
const olderLink = (html: string) => {
  const m = /<a[^>]*href="([^"]+)"[^>]*rel="next"|<a[^>]*rel="next"[^>]*href="([^"]+)"/.exec(html);
  return m ? (m[1] ?? m[2])!.replace(/&amp;/g, '&') : null;
};

// Page 50 of the unfiltered register, reached by following the Older links as a person would.
let page50 = '/decisions';
for (let page = 1; page < 50; page++) {
  const next = olderLink((await get(page50)).html);
  if (!next) throw new Error(`The register has only ${page} pages.`);
  page50 = next;
}

const cases: { name: string; path: string }[] = [
  { name: '/decisions (newest page)', path: '/decisions' },
  { name: '/decisions filtered (chapter+step+outcome)', path: `/decisions?chapter=${busyChapter.chapter_id}&step=decision&outcome=approved` },
  { name: '/decisions full-text q=demolitions', path: '/decisions?q=demolitions' },
  { name: '/decisions page 50 (cursor)', path: page50 },
  { name: `/partners/${topPartner.partner_id} (most records)`, path: `/partners/${topPartner.partner_id}` },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const r1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

const table: Record<string, string | number>[] = [];
for (const c of cases) {
  for (let i = 0; i < 10; i++) await get(c.path);
  serverTimes.delete(c.path);
  const client: number[] = [];
  let rows = 0;
  let bytes = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const { ms, html } = await get(c.path);
    client.push(ms);
    rows = rowsIn(html);
    bytes = Buffer.byteLength(html);
  }
  const server = [...(serverTimes.get(c.path) ?? [])].sort((a, b) => a - b);
  client.sort((a, b) => a - b);
  if (server.length !== REQUESTS) throw new Error(`Expected ${REQUESTS} server timings for ${c.path}, got ${server.length}`);
  table.push({
    request: c.name,
    'server p50 ms': r1(percentile(server, 50)),
    'server p95 ms': r1(percentile(server, 95)),
    'server max ms': r1(server[server.length - 1]!),
    'client p50 ms': r1(percentile(client, 50)),
    'client p95 ms': r1(percentile(client, 95)),
    rows,
    'HTML KB': Math.round(bytes / 1024),
  });
}

console.log(
  `\n${REQUESTS} sequential requests each (after 10 warm-ups), reviewer@cosponsor.test, NODE_ENV=${process.env.NODE_ENV}, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}:`,
);
console.table(table);
console.log(`page 50 URL: ${page50}`);
const slow = table.filter((t) => Number(t['server p95 ms']) >= 50);
console.log(slow.length === 0 ? 'Goal met: every server p95 is under 50 ms.' : `Over the 50 ms goal: ${slow.map((t) => t.request).join(', ')}`);

await app.close();
if (values.keep) console.log(`The copy is kept at ${copy}.`);
