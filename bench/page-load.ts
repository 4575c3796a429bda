// Full page load of a proposal's home (/proposals/<id>) in Chromium, on the demo data.
// Run after `npx remix build`: npx tsx bench/page-load.ts [--runs 20] [--id N]
// Uses a fresh demo database in a temp dir (or DATABASE_PATH if set), the real built app
// on loopback, and Debian's Chromium. Each figure is the Navigation Timing loadEventEnd:
// from the start of the navigation to the end of the load event (HTML, CSS, every JS
// module, hydration's scripts). "cold" = a new browser context per run (empty HTTP cache);
// "warm" = one context, so the immutable /build assets come from the cache. Prints medians.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { first, getDb, qb, useDatabase } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { isSeeded, seedDemo } from '../scripts/seed/demo';
import { startApp } from '../tests/support/app-server';
import { launchBrowser } from '../tests/browser/support';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, id: { type: 'string' } } });
const runs = Number(values.runs);

if (!process.env.DATABASE_PATH) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-pageload-'));
  process.env.DATABASE_PATH = path.join(dir, 'demo.db');
}
useDatabase(process.env.DATABASE_PATH);
await migrateToLatest(getDb());
if (!isSeeded()) await seedDemo();

// Example case 1 (the teach-in on home demolitions) unless an id is given.
const id =
  values.id !== undefined
    ? Number(values.id)
    : first(qb().selectFrom('proposals').select('id').where('event_title', 'like', '%emolition%').orderBy('id').limit(1))?.id ??
      first(qb().selectFrom('proposals').select('id').orderBy('id').limit(1))!.id;

const app = await startApp();
const cookie = await app.login('lead@cosponsor.test');
const [name, value] = cookie.split('=') as [string, string];
const browser = await launchBrowser();
const url = `${app.url}/proposals/${id}`;

async function loadOnce(context: Awaited<ReturnType<typeof browser.newContext>>): Promise<number> {
  const page = await context.newPage();
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || response.status() !== 200) throw new Error(`GET ${url} answered ${response?.status()}`);
  const ms = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return nav.loadEventEnd - nav.startTime;
  });
  await page.close();
  return ms;
}

const newContext = async () => {
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url: app.url }]);
  return context;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

try {
  // One throw-away load so the server's first-request work is not counted.
  const warmup = await newContext();
  await loadOnce(warmup);
  await warmup.close();

  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await newContext();
    cold.push(await loadOnce(context));
    await context.close();
  }
  const warmContext = await newContext();
  await loadOnce(warmContext);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(await loadOnce(warmContext));
  await warmContext.close();

  const f = (n: number) => n.toFixed(1);
  console.log(
    `page load /proposals/${id} (navigation start to load event end, ${runs} runs each): cold median ${f(median(cold))} ms (min ${f(Math.min(...cold))}, max ${f(Math.max(...cold))}); warm median ${f(median(warm))} ms (min ${f(Math.min(...warm))}, max ${f(Math.max(...warm))})`,
  );
} finally {
  await browser.close();
  await app.close();
}
