import path from 'node:path';
import { broadcastDevReady, installGlobals, type ServerBuild } from '@remix-run/node';
import { getDb } from './db/connection';
import { migrateToLatest } from './db/migrate';
import { isSeeded, seedDemo } from './app/services/seed.server';
import { createApp } from './app/http.server';
import { startOutboxWorker } from './app/services/outside/outbox.server';
import { expireDueApprovals } from './app/services/expiry.server';
import { refreshDueScreenings } from './app/services/review.server';
import { catchUpSearchIndex } from './db/search-index';
import { EnvError, parseEnv, type Env } from './app/utils/env.server';

// Starts Cosponsor: check the environment, migrate, seed an empty database with demo data, serve.
installGlobals();

// Read once, before anything else: a bad variable stops the start with a message naming it.
let config: Env;
try {
  config = parseEnv(process.env);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`${error.message}\nRefusing to start.`);
  process.exit(1);
}
const production = config.NODE_ENV === 'production';
if (!config.SESSION_SECRET) console.warn('SESSION_SECRET is not set: using a development secret. Set it in production.');

const db = getDb();
await migrateToLatest(db);
if (!isSeeded()) {
  console.log('Empty database: seeding the configuration and demo data…');
  await seedDemo();
}

if (config.MOCKS) {
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
// Proposals waiting for a decision are screened again when their last check is old, so that
// opening a dossier never calls the screening service (it also runs before each decision).
const screeningSweep = setInterval(() => {
  refreshDueScreenings().catch((error) => console.error('Scheduled screening failed:', error));
}, 60 * 60_000);
screeningSweep.unref();
// The search index follows the log after each commit (docs/decisions/0012).
catchUpSearchIndex();
setInterval(() => {
  try {
    catchUpSearchIndex();
  } catch (error) {
    console.error('Search indexing failed:', error);
  }
}, 2_000).unref();

const buildPath = path.resolve('build/index.js');
const build = (await import(buildPath)) as ServerBuild;
const app = createApp({ build, mode: production ? 'production' : 'development' });

const port = config.PORT;
const host = config.HOST;
app.listen(port, host, () => {
  console.log(`Cosponsor on http://${host}:${port} (database ${db.path})`);
  if (process.env.REMIX_DEV_ORIGIN) broadcastDevReady(build);
});
