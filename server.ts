import path from 'node:path';
import { broadcastDevReady, installGlobals, type ServerBuild } from '@remix-run/node';
import { getDb } from './db/connection';
import { migrateToLatest } from './db/migrate';
import { isSeeded, seedDemo } from './scripts/seed/demo';
import { createApp } from './app/http.server';
import { startBackgroundJobs } from './app/jobs/background.server';

// Starts Cosponsor: migrate, seed an empty database with demo data, serve.
installGlobals();

const production = process.env.NODE_ENV === 'production';
if (!process.env.SESSION_SECRET) {
  if (production) {
    console.error('SESSION_SECRET is not set: refusing to start in production.');
    process.exit(1);
  }
  console.warn('SESSION_SECRET is not set: using a development secret. Set it in production.');
}

const db = getDb();
await migrateToLatest(db);
if (!isSeeded()) {
  console.log('Empty database: seeding the configuration and demo data…');
  await seedDemo();
}

if (process.env.MOCKS === 'true') {
  const { startMockServer } = await import('./tests/mocks/node');
  startMockServer();
  console.log('MOCKS=true: outside services answered by local mocks.');
}

// Background work: notification delivery, the expiry sweep, search-index catch-up.
startBackgroundJobs();

const buildPath = path.resolve('build/index.js');
const build = (await import(buildPath)) as ServerBuild;
const app = createApp({ build, mode: production ? 'production' : 'development' });

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '127.0.0.1';
app.listen(port, host, () => {
  console.log(`Cosponsor on http://${host}:${port} (database ${db.path})`);
  if (process.env.REMIX_DEV_ORIGIN) broadcastDevReady(build);
});
