// The JavaScript each page ships to the browser, gzipped.
// Run after `npx remix build`: npx tsx bench/js-size.ts [--budget 150]
// Reads the build manifest (public/build/manifest-*.js) and, for every route, sums the
// gzipped size of every file a first load of that page fetches: the client entry and its
// imports, then root, every parent layout and the route itself, each with its imports.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

type ManifestRoute = { id: string; parentId?: string; path?: string; index?: boolean; module: string; imports?: string[] };
type Manifest = { entry: { module: string; imports?: string[] }; routes: Record<string, ManifestRoute>; url?: string };

const budgetArg = process.argv.indexOf('--budget');
const budgetKb = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 150;
const publicDir = path.resolve('public');
const buildDir = path.join(publicDir, 'build');

const manifestFile = fs.readdirSync(buildDir).find((f) => /^manifest-[A-Z0-9]+\.js$/i.test(f));
if (!manifestFile) {
  console.error('No public/build/manifest-*.js: run `npx remix build` first.');
  process.exit(2);
}
const manifestText = fs.readFileSync(path.join(buildDir, manifestFile), 'utf8');
const manifest = JSON.parse(manifestText.slice(manifestText.indexOf('{'), manifestText.lastIndexOf('}') + 1)) as Manifest;

const sizeCache = new Map<string, { raw: number; gzip: number }>();
function sizeOf(url: string) {
  let s = sizeCache.get(url);
  if (!s) {
    const buf = fs.readFileSync(path.join(publicDir, url));
    s = { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    sizeCache.set(url, s);
  }
  return s;
}

function urlPath(route: ManifestRoute): string {
  const parts: string[] = [];
  for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) {
    if (r.path) parts.unshift(r.path);
  }
  return `/${parts.join('/')}`.replace(/\/+/g, '/');
}

// A layout whose URL is served by its index child is not a page of its own.
const hasIndexChild = new Set(Object.values(manifest.routes).filter((r) => r.index).map((r) => r.parentId));
const rows: { route: string; url: string; files: number; raw: number; gzip: number }[] = [];
for (const route of Object.values(manifest.routes)) {
  if (route.id === 'root' || hasIndexChild.has(route.id)) continue;
  const files = new Set<string>([manifest.entry.module, ...(manifest.entry.imports ?? [])]);
  for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) {
    files.add(r.module);
    for (const i of r.imports ?? []) files.add(i);
  }
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const s = sizeOf(f);
    raw += s.raw;
    gzip += s.gzip;
  }
  rows.push({ route: route.id, url: urlPath(route), files: files.size, raw, gzip });
}

rows.sort((a, b) => b.gzip - a.gzip);
const kb = (n: number) => (n / 1024).toFixed(1);
const width = Math.max(...rows.map((r) => r.route.length));
console.log(`${'route'.padEnd(width)}  files  raw KB  gzip KB  url`);
for (const r of rows) {
  const flag = r.gzip / 1024 > budgetKb ? '  OVER BUDGET' : '';
  console.log(`${r.route.padEnd(width)}  ${String(r.files).padStart(5)}  ${kb(r.raw).padStart(6)}  ${kb(r.gzip).padStart(7)}  ${r.url}${flag}`);
}
const worst = rows[0];
const over = rows.filter((r) => r.gzip / 1024 > budgetKb);
console.log(
  `\n${rows.length} routes; largest ${worst?.route} ${kb(worst?.gzip ?? 0)} KB gzipped; budget ${budgetKb} KB: ${over.length === 0 ? 'all within' : `${over.length} over`}.`,
);
process.exitCode = over.length === 0 ? 0 : 1;
