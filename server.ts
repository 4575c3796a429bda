import path from 'node:path';
import { broadcastDevReady, installGlobals, type ServerBuild } from '@remix-run/node';
import { getDb } from './db/connection';
import { migrateToLatest } from './db/migrate';
import { isSeeded, seedDemo } from './app/services/seed.server';
import { createApp } from './app/http.server';
import { startOutboxWorker } from './app/services/outside/outbox.server';
import { expireDueApprovals } from './app/services/expiry.server';
import { catchUpSearchIndex } from './db/search-index';
import { startCheckpointJob } from './app/services/log-checkpoints.server';

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

// Background work: deliver queued notifications (also those left by a crash
// between commit and delivery), and expire approvals past their end date.
startOutboxWorker();
const expirySweep = setInterval(() => {
  try {
    expireDueApprovals();
  } catch (error) {
    console.error('Expiry sweep failed:', error);
  }
}, 60 * 60_000);
expirySweep.unref();
expireDueApprovals();
// The search index follows the log after each commit (docs/decisions/0012).
catchUpSearchIndex();
setInterval(() => {
  try {
    catchUpSearchIndex();
  } catch (error) {
    console.error('Search indexing failed:', error);
  }
}, 2_000).unref();

// Signed checkpoints of the log, kept outside the database (docs/verifying-the-log.md).
startCheckpointJob();

const buildPath = path.resolve('build/index.js');
const build = (await import(buildPath)) as ServerBuild;
const app = createApp({ build, mode: production ? 'production' : 'development' });

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '127.0.0.1';
app.listen(port, host, () => {
  console.log(`Cosponsor on http://${host}:${port} (database ${db.path})`);
  if (process.env.REMIX_DEV_ORIGIN) broadcastDevReady(build);
});
