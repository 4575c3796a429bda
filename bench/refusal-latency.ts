// How long an ordinary GET waits while the server refuses oversized and
// sparse-index posts at the same time (goal: under 50 ms). Run after `npx remix build`:
//   npx tsx bench/refusal-latency.ts [--gets 200] [--attackers 4]
// Attackers post, in a loop: a 100 MB body to /login (refused with 413 from
// Content-Length), a 3 MB body sent without a length (413 while streaming), and
// 29-byte sparse-index posts (email[100000000]=x, items[2147483648]...; 400).
// Meanwhile one client signs in and GETs /proposals one request at a time.
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { demoApp } from './hardening-setup';

const { values } = parseArgs({ options: { gets: { type: 'string', default: '200' }, attackers: { type: 'string', default: '4' } } });
const { app } = await demoApp('refusal-latency');
const cookie = await app.login('lead@cosponsor.test');
const target = new URL(app.url);

function timedGet(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request({ host: target.hostname, port: target.port, path: '/proposals', headers: { Cookie: cookie }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`GET answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

type Attack = { name: string; send: () => Promise<number> };
const post = (path: string, headers: Record<string, string | number>, write: (req: http.ClientRequest) => void) =>
  new Promise<number>((resolve) => {
    const req = http.request({ host: target.hostname, port: target.port, path, method: 'POST', agent: false, headers: { Origin: app.url, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    // The server closes the connection after refusing an unread body: that is expected here.
    req.on('error', () => resolve(-1));
    write(req);
  });
const form = 'application/x-www-form-urlencoded';
const chunk = Buffer.alloc(64 * 1024, 'x');
const attacks: Attack[] = [
  {
    name: '100 MB declared to /login',
    send: () =>
      post('/login', { 'Content-Type': form, 'Content-Length': 100 * 1024 * 1024 }, (req) => {
        req.write('email=a%40b.c&password=');
        for (let i = 0; i < 16; i++) req.write(chunk);
        req.end();
      }),
  },
  {
    name: '3 MB streamed to /login',
    send: () =>
      post('/login', { 'Content-Type': form, 'Transfer-Encoding': 'chunked' }, (req) => {
        req.write('email=a%40b.c&password=');
        for (let i = 0; i < 48; i++) req.write(chunk);
        req.end();
      }),
  },
  { name: 'email[100000000] to /login', send: () => post('/login', { 'Content-Type': form }, (req) => req.end('email[100000000]=x&password=p')) },
  {
    name: 'items[2147483648] to a step (signed in)',
    send: () => post('/proposals/7/steps/risk', { 'Content-Type': form, Cookie: cookie }, (req) => req.end('intent=save-draft&items[2147483648].residualImpact=x')),
  },
  {
    name: 'items[99999] draft to a step (signed in)',
    send: () => post('/proposals/6/steps/agenda', { 'Content-Type': form, Cookie: cookie }, (req) => req.end('intent=save-draft&items[99999].text=x')),
  },
];

async function measure(gets: number) {
  const waits: number[] = [];
  for (let i = 0; i < gets; i++) waits.push(await timedGet());
  return waits.sort((a, b) => a - b);
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const line = (label: string, w: number[]) =>
  console.log(`${label.padEnd(26)} median ${pct(w, 50).toFixed(1)} ms, p95 ${pct(w, 95).toFixed(1)} ms, p99 ${pct(w, 99).toFixed(1)} ms, max ${w[w.length - 1]!.toFixed(1)} ms`);

const GETS = Number(values.gets);
for (let i = 0; i < 20; i++) await timedGet(); // warm-up
const quiet = await measure(GETS);

let running = true;
const statuses = new Map<string, Map<number, number>>();
const attackers = Array.from({ length: Number(values.attackers) }, async (_, n) => {
  let k = n;
  while (running) {
    const attack = attacks[k++ % attacks.length]!;
    const status = await attack.send();
    const counts = statuses.get(attack.name) ?? new Map<number, number>();
    counts.set(status, (counts.get(status) ?? 0) + 1);
    statuses.set(attack.name, counts);
  }
});
const underAttack = await measure(GETS);
running = false;
await Promise.all(attackers);

console.log(`GET /proposals (signed in), ${GETS} requests one at a time (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores):`);
line('quiet', quiet);
line(`with ${values.attackers} attackers posting`, underAttack);
console.log('refused posts meanwhile:');
for (const [name, counts] of statuses) console.log(`  ${name.padEnd(40)} ${[...counts].map(([s, n]) => `${s}: ${n}`).join(', ')}`);
await app.close();
process.exit(0);
