import cluster from 'node:cluster';
import { superviseWorkers } from './app/cluster.server';
import { EnvError, fixEnvironment, parseEnv, type Env } from './app/utils/env.server';
import { fixLogConfig } from './db/checkpoints';

// Starts Cosponsor: check the environment, then either watch the workers (a cluster's primary)
// or serve (app/serve.server.ts: migrate, seed an empty database with demo data, serve).

// Read once, before anything else: a bad variable stops the start with a message naming it.
let config: Env;
try {
  config = parseEnv(process.env);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`${error.message}\nRefusing to start.`);
  process.exit(1);
}
// A server never changes its own variables: what was checked now holds for every request.
fixEnvironment(config);
fixLogConfig();

// Several workers (WEB_CONCURRENCY, default one per core): this process only forks and watches
// them (app/cluster.server.ts); each runs this file again, and serves.
if (cluster.isPrimary && config.WEB_CONCURRENCY > 1) {
  await superviseWorkers({ workers: config.WEB_CONCURRENCY, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
}

// Loaded only where it runs: a primary that loaded the whole app first held every start up by
// about 0.4 s before it forked the workers, which then loaded it again.
const { serve } = await import('./app/serve.server');
await serve(config);
