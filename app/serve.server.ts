import cluster from 'node:cluster';
import path from 'node:path';
import { broadcastDevReady, type ServerBuild } from '@remix-run/node';
import type { Socket } from 'node:net';
import { closeDatabase, database } from '../db/connection';
import { describePostgresUrl } from '../db/postgres';
import { migrateToLatest, withStartupLock } from '../db/migrate';
import { isSeeded, seedDemo } from '../scripts/seed/demo';
import { createApp, serverMode } from './http.server';
import { answerClientErrors } from './http/client-errors';
import { installFetchGlobals } from './http/globals.server';
import { startBackgroundJobs } from './jobs/background.server';
import { isJobsWorker, runJobsWorker } from './cluster.server';
import type { Env } from './utils/env.server';

/**
 * A serving process (a web worker, the jobs worker, or the only process): migrate, seed an empty
 * database with demo data, start the background jobs, serve. server.ts loads this module only in
 * such a process, so a cluster's primary forks its workers without loading the app first.
 */
export async function serve(config: Env): Promise<void> {
  installFetchGlobals();
  if (!config.SESSION_SECRET) console.warn('SESSION_SECRET is not set: using a development secret. Set it in production.');

  const db = database();
  // Under one lock, so a second process starting at the same moment waits for the
  // first to migrate and seed rather than racing it.
  await withStartupLock(db, async () => {
    await migrateToLatest(db);
    if (!isSeeded()) {
      console.log('Empty database: seeding the configuration and demo data…');
      await seedDemo();
    }
  });

  if (config.MOCKS) {
    const { startMockServer } = await import('../tests/mocks/node');
    startMockServer();
    console.log('MOCKS=true: outside services answered by local mocks.');
  }

  // Background work: notification delivery, the expiry sweep, scheduled screening, search-index
  // catch-up, and signed checkpoints of the log.
  // In a cluster the jobs worker runs them and serves nothing; web workers only stand by (app/cluster.server.ts).
  const jobs = startBackgroundJobs({ standby: cluster.isWorker && !isJobsWorker() });
  if (isJobsWorker()) await runJobsWorker(jobs.stop, closeDatabase);

  const buildPath = path.resolve('build/index.js');
  const build = (await import(buildPath)) as ServerBuild;
  const app = createApp({ build, mode: serverMode(config.NODE_ENV) });

  const port = config.PORT;
  const host = config.HOST;
  const server = app.listen(port, host, () => {
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    console.log(`Cosponsor on http://${host}:${actualPort} (database ${db.kind === 'postgres' ? `PostgreSQL ${describePostgresUrl(db.path)}` : db.path})`);
    if (process.env.REMIX_DEV_ORIGIN) broadcastDevReady(build);
  });
  // An address or headers over Node's limit, or malformed HTTP, get a page instead of a bare status.
  answerClientErrors(server);

  // Graceful shutdown: stop accepting, let requests in flight and the outbox tick
  // finish (at most SHUTDOWN_TIMEOUT_MS), close the database, exit 0.
  const idleSockets = new Set<Socket>();
  const busySockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    idleSockets.add(socket);
    socket.on('close', () => {
      idleSockets.delete(socket);
      busySockets.delete(socket);
    });
  });
  server.on('request', (req, res) => {
    idleSockets.delete(req.socket);
    busySockets.add(req.socket);
    res.on('finish', () => {
      busySockets.delete(req.socket);
      if (stopping) req.socket.end();
      else idleSockets.add(req.socket);
    });
  });

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then stopping…`);
    const deadline = config.SHUTDOWN_TIMEOUT_MS;
    const forced = setTimeout(() => {
      console.error(`Requests still open after ${deadline} ms: closing them.`);
      for (const socket of [...busySockets, ...idleSockets]) socket.destroy();
    }, deadline);
    forced.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections with no request in flight are closed now; busy ones when their answer is sent.
    for (const socket of idleSockets) socket.end();
    await Promise.all([closed, jobs.stop()]);
    clearTimeout(forced);
    closeDatabase();
    console.log('Stopped.');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
