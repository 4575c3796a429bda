// CPU per request of each page of the pages bench, in one process with nothing else in it: the
// built app's request handler called directly (no HTTP, no other load), so two builds can be
// compared on a shared machine where autocannon's req/s move with the neighbours.
//
//   npx tsx bench/page-cpu.ts [--requests N] [--rounds R] [--build DIR] [--only PAGE]
//
// DIR is a checkout whose build/ is compared (default this one); the register is the pages
// bench's bench/out/pages-20000/, read from a copy.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pickTargets, scaleDatabase } from './pages';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const requests = Number(arg('requests') ?? 300);
const rounds = Number(arg('rounds') ?? 5);
const buildDir = path.resolve(arg('build') ?? '.');

const { file, keyFile, checkpointDir } = scaleDatabase(20_000, false);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-page-cpu-'));
const copy = path.join(workDir, 'cosponsor.db');
fs.copyFileSync(file, copy);
// The checkpoints are copied too: the register's own directory is shared and must stay as built.
const checkpoints = path.join(workDir, 'checkpoints');
if (fs.existsSync(checkpointDir)) fs.cpSync(checkpointDir, checkpoints, { recursive: true });
Object.assign(process.env, {
  NODE_ENV: 'production',
  SESSION_SECRET: 'bench-session-secret-not-for-use-anywhere-else',
  DATABASE_PATH: copy,
  SIGNING_KEY_FILE: keyFile,
  CHECKPOINT_DIR: checkpoints,
  REGISTRY_LOOKUP: 'off',
});
// The cached register may predate the newest migrations: the server applies them at start, so here too.
const migrated = spawnSync(process.execPath, [path.join(buildDir, 'build', 'server', 'migrate.js')], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
if (migrated.status !== 0) throw new Error('Migrating the copy failed');
const { createRequestHandler } = await import('@remix-run/node');
const build = await import(path.join(buildDir, 'build', 'index.js'));
const handle = createRequestHandler(build, 'production');
const base = 'http://127.0.0.1:3000';
const host = '127.0.0.1:3000';

async function signIn(email: string): Promise<string> {
  const response = await handle(
    new Request(`${base}/login`, {
      method: 'POST',
      headers: { Origin: base, Host: host, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password: 'cosponsor-demo' }),
    }),
  );
  const match = /cosponsor_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '');
  if (!match) throw new Error(`Sign-in as ${email} failed with ${response.status}`);
  return `cosponsor_session=${match[1]}`;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

try {
  const t = pickTargets(copy);
  const staff = await signIn(t.staff);
  const lead = await signIn(t.lead);
  const pages: [string, string, string][] = [
    ['baseline_help', '/help', staff],
    ['proposals_staff', '/proposals', staff],
    ['proposals_lead', '/proposals', lead],
    ['review', '/review', staff],
    ['dossier', `/review/${t.dossierId}`, staff],
    ['decisions', '/decisions', staff],
    ['decisions_search', `/decisions?q=${encodeURIComponent(t.word)}`, staff],
    ...(t.page50After == null ? [] : [['decisions_page50', `/decisions?after=${t.page50After}`, staff] as [string, string, string]]),
    ['busiest_partner', `/partners/${t.partnerId}`, staff],
  ];
  // --only NAME measures the baseline and that page alone (for a profile of one page).
  const only = arg('only');
  if (only) pages.splice(0, pages.length, ...pages.filter(([name], i) => i === 0 || name === only));
  const once = async (name: string, pathname: string, cookie: string) => {
    // The load context the server gives a document request (app/http.server.ts): with its
    // store, the parts rendered in loaders are sent once, in the page, as the server sends them.
    const response = await handle(new Request(`${base}${pathname}`, { headers: { cookie, host } }), {
      cspNonce: '',
      requestId: 'page-cpu',
      serverHtml: new Map<string, string>(),
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${name} answered ${response.status}`);
    return body.length;
  };
  // Every page warm before any is measured (the baseline, measured first, was measured colder
  // than the rest), then the pages in turn, a share of the requests per round: a burst of other
  // work on the machine falls on every page alike instead of on one.
  const bytes = new Map<string, number>();
  for (const [name, pathname, cookie] of pages) for (let i = 0; i < 30; i++) bytes.set(name, await once(name, pathname, cookie));
  const spent = new Map<string, number>();
  const perRound = Math.max(1, Math.round(requests / rounds));
  for (let round = 0; round < rounds; round++) {
    for (const [name, pathname, cookie] of pages) {
      const started = cpuMs();
      for (let i = 0; i < perRound; i++) await once(name, pathname, cookie);
      spent.set(name, (spent.get(name) ?? 0) + cpuMs() - started);
    }
  }
  const baseline = spent.get(pages[0]![0])! / (perRound * rounds);
  for (const [name] of pages) {
    const ms = spent.get(name)! / (perRound * rounds);
    console.log(`page=${name} cpu_ms=${ms.toFixed(2)} cpu_ratio=${(baseline / ms).toFixed(2)} html_bytes=${bytes.get(name)}`);
  }
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}
process.exit(0);
