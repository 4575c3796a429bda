// The proposal lists over HTTP at scale: /proposals (counts per group, a few cards each) and a
// keyset page deep inside one group, for staff (every chapter) and a chapter lead, against a COPY
// of a database built with
//   DATABASE_PATH=/tmp/scale/s2000.db npm run db:seed -- --scale 2000
// Run after `npx remix build`:
//   npx tsx bench/proposal-list.ts [--source /tmp/scale/s2000.db] [--requests 100]
// Times are client-side (loopback fetch and reading the body), one request at a time after warm-ups.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: '/tmp/scale/s2000.db' },
    requests: { type: 'string', default: '100' },
  },
});
process.env.NODE_ENV = 'production';
// Production refuses to start without one; this process serves only the bench.
process.env.SESSION_SECRET ??= 'bench-only-session-secret-not-for-real-use';
const REQUESTS = Number(values.requests);
const source = path.resolve(values.source!);
if (!fs.existsSync(source)) {
  console.error(`No database at ${source}: build one with DATABASE_PATH=${source} npm run db:seed -- --scale 2000`);
  process.exit(1);
}
// Work on a copy: signing in writes a session row.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-proposal-list-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const copy = path.join(dir, path.basename(source));
fs.copyFileSync(source, copy);
process.env.DATABASE_PATH = copy;

const { first, getDb, qb, useDatabase } = await import('../db/connection');
const { migrateToLatest } = await import('../db/migrate');
const { startApp } = await import('../tests/support/app-server');
useDatabase(copy);
await migrateToLatest(getDb());
const proposals = first(qb().selectFrom('proposals').select((eb) => eb.fn.countAll<number>().as('n')))!.n;
const lead = first(
  qb()
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .innerJoin('proposals as p', 'p.chapter_id', 'u.chapter_id')
    .select(['u.email', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.role', '=', 'chapter_lead')
    .groupBy('u.id')
    .orderBy('n', 'desc')
    .limit(1),
)!;
console.log(`${proposals} proposals; busiest lead ${lead.email} sees ${lead.n}`);

const app = await startApp();
const cookies = { staff: await app.login('staff@cosponsor.test'), lead: await app.login(lead.email, 'cosponsor-demo') };

async function get(pathname: string, cookie: string): Promise<{ ms: number; html: string }> {
  const started = performance.now();
  const response = await app.fetch(pathname, { cookie });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`GET ${pathname} answered ${response.status}`);
  return { ms: performance.now() - started, html };
}
const olderLink = (html: string) => /<a href="([^"]+)">Older →<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;

/** Page n of a group, reached by following "Older" as a person would. */
async function deepPage(start: string, cookie: string, n: number): Promise<string> {
  let href = start;
  for (let i = 1; i < n; i++) {
    const next = olderLink((await get(href, cookie)).html);
    if (!next) break;
    href = next;
  }
  return href;
}

const cases = [
  { name: 'staff /proposals (every chapter)', path: '/proposals', cookie: cookies.staff },
  { name: 'staff /proposals?group=decided page 10', path: await deepPage('/proposals?group=decided', cookies.staff, 10), cookie: cookies.staff },
  { name: 'staff /proposals text filter', path: '/proposals?q=teach', cookie: cookies.staff },
  { name: 'lead /proposals (own chapter)', path: '/proposals', cookie: cookies.lead },
  { name: 'lead /proposals?group=decided page 5', path: await deepPage('/proposals?group=decided', cookies.lead, 5), cookie: cookies.lead },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const c of cases) {
  for (let i = 0; i < 10; i++) await get(c.path, c.cookie);
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) times.push((await get(c.path, c.cookie)).ms);
  const cards = ((await get(c.path, c.cookie)).html.match(/data-proposal="/g) ?? []).length;
  console.log(`${c.name}: median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms, ${(1000 / median(times)).toFixed(0)} requests/s one at a time, ${cards} cards`);
}
await app.close();
