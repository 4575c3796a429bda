// The JavaScript each page ships to the browser, gzipped: npm run bench -- js
// Reads the build manifest (public/build/manifest-*.js) and, for every page, sums the
// gzipped size of every file a first load of that page fetches (its modulepreloads): the
// client entry and its imports, then root, every parent layout and the route itself, each
// with its imports. Each file is gzipped on its own, as it is sent. Resource routes (CSV,
// JSON, .docx, sign-out) render no page and ship no JavaScript, so they are left out.
// One line per page, largest first: page=<url pattern> js_gz_kb=<n> files=<n>, then the budget.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { ServerBuild } from '@remix-run/node';
import { build, isFresh } from '../scripts/build.mjs';

/** The budget of issue 15: at most 100 KB gzipped on every page. */
export const JS_BUDGET_KB = 100;

type ManifestRoute = { id: string; parentId?: string; path?: string; index?: boolean; module: string; imports?: string[] };
type Manifest = { entry: { module: string; imports?: string[] }; routes: Record<string, ManifestRoute> };

export type PageJs = { page: string; route: string; files: number; rawBytes: number; gzipBytes: number };

function readManifest(publicDir: string): Manifest {
  const buildDir = path.join(publicDir, 'build');
  const manifestFile = fs.readdirSync(buildDir).find((f) => /^manifest-[A-Z0-9]+\.js$/i.test(f));
  if (!manifestFile) throw new Error('No public/build/manifest-*.js: run `npm run build` first.');
  const text = fs.readFileSync(path.join(buildDir, manifestFile), 'utf8');
  return JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as Manifest;
}

/** Every page's first-load JavaScript, largest first. */
export async function jsPerPage(root = process.cwd()): Promise<PageJs[]> {
  const publicDir = path.join(root, 'public');
  const manifest = readManifest(publicDir);
  // Routes without a component (resource routes) are not pages.
  const server = (await import(pathToFileURL(path.join(root, 'build', 'index.js')).href)) as ServerBuild;
  const isPage = (id: string) => typeof server.routes[id]?.module.default === 'function';

  const sizes = new Map<string, { raw: number; gzip: number }>();
  const sizeOf = (url: string) => {
    let s = sizes.get(url);
    if (!s) {
      const bytes = fs.readFileSync(path.join(publicDir, url));
      s = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      sizes.set(url, s);
    }
    return s;
  };
  const urlOf = (route: ManifestRoute) => {
    const parts: string[] = [];
    for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) if (r.path) parts.unshift(r.path);
    return `/${parts.join('/')}`.replace(/\/+/g, '/').replace(/\$(\w+)/g, ':$1');
  };

  // A layout whose URL is served by its index child is not a page of its own.
  const hasIndexChild = new Set(Object.values(manifest.routes).filter((r) => r.index).map((r) => r.parentId));
  const rows: PageJs[] = [];
  for (const route of Object.values(manifest.routes)) {
    if (route.id === 'root' || hasIndexChild.has(route.id) || !isPage(route.id)) continue;
    const files = new Set<string>([manifest.entry.module, ...(manifest.entry.imports ?? [])]);
    for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) {
      files.add(r.module);
      for (const i of r.imports ?? []) files.add(i);
    }
    let rawBytes = 0;
    let gzipBytes = 0;
    for (const f of files) {
      const s = sizeOf(f);
      rawBytes += s.raw;
      gzipBytes += s.gzip;
    }
    rows.push({ page: urlOf(route), route: route.id, files: files.size, rawBytes, gzipBytes });
  }
  return rows.sort((a, b) => b.gzipBytes - a.gzipBytes);
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** Prints one line per page and the budget line; true when every page is within the budget. */
export async function jsBenchmark(): Promise<boolean> {
  if (!isFresh()) {
    console.error('Building first (sources changed since the last build)…');
    await build();
  }
  const rows = await jsPerPage();
  for (const r of rows) console.log(`page=${r.page} js_gz_kb=${kb(r.gzipBytes)} files=${r.files}`);
  const over = rows.filter((r) => r.gzipBytes / 1024 > JS_BUDGET_KB);
  console.log(`js_pages=${rows.length} js_max_gz_kb=${kb(rows[0]?.gzipBytes ?? 0)} js_budget_kb=${JS_BUDGET_KB} js_over_budget=${over.length}`);
  return over.length === 0;
}
