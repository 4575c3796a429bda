// A fresh demo database in a temporary folder, and the built app over HTTP on
// it, for the hardening benches (bench/fuzz.ts, bench/refusal-latency.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';

export async function demoApp(label: string) {
  process.env.NODE_ENV ??= 'production';
  process.env.THROTTLE_DELAY_STEP_MS = '0';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cosponsor-${label}-`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'demo.db');
  process.env.DATABASE_PATH = file;
  const { installFetchGlobals } = await import('../app/http/globals.server');
  installFetchGlobals();
  const { getDb, useDatabase } = await import('../db/connection');
  const { migrateToLatest } = await import('../db/migrate');
  const { seedDemo } = await import('../scripts/seed/demo');
  useDatabase(file);
  await migrateToLatest(getDb());
  await seedDemo();
  const { startApp } = await import('../tests/support/app-server');
  const app = await startApp();
  const build = (await import(pathToFileURL(path.resolve('build/index.js')).href)) as ServerBuild;
  return { app, build, file };
}
