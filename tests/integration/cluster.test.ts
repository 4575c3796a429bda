import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { webWorkerNodeFlags } from '../../app/cluster.server';
import { parseEnv } from '../../app/utils/env.server';
import { matches, watchOutput } from '../support/child-output';

// The real server with several worker processes (node:cluster) on one database file: the
// background jobs run in exactly one process (the jobs worker, which serves nothing), move to
// another when it dies or hangs, and SIGTERM still stops everything cleanly.

const children = new Set<ChildProcess>();
const pids = new Set<number>();
afterEach(() => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  pids.clear();
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
});

type Cluster = {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
  /** Resolves when the output matches `pattern` `times` times (or rejects after `ms`). */
  waitFor: (pattern: RegExp, times?: number, ms?: number) => Promise<RegExpMatchArray[]>;
};

async function startCluster(databasePath: string, env: Record<string, string>): Promise<Cluster> {
  const dir = path.dirname(databasePath);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    env: {
      ...process.env,
      DATABASE_PATH: databasePath,
      CHECKPOINT_DIR: path.join(dir, 'checkpoints'),
      PORT: '0',
      NODE_ENV: 'test',
      MOCKS: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const watched = watchOutput(child);
  const output = watched.output;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const waitFor: Cluster['waitFor'] = (pattern, times = 1, ms = 40_000) => watched.waitFor(pattern, times, ms);
  const started = await Promise.race([
    waitFor(/Cosponsor on (http:\/\/\S+)/, Number(env.WEB_CONCURRENCY ?? 1), 60_000),
    exited.then(({ code }) => Promise.reject(new Error(`The server exited (${code}) before listening:\n${output()}`))),
  ]);
  for (const m of matches(output(), /pid (\d+)\)/)) pids.add(Number(m[1]));
  return { child, url: started[0]![1]!, exited, output, waitFor };
}

/** A copy of the seeded test database, with the log key it was sealed with, in its own directory. */
function demoDatabase(): { file: string; keyFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-cluster-'));
  const file = path.join(dir, 'app.db');
  fs.copyFileSync(process.env.COSPONSOR_TEST_DEMO_DB!, file);
  const keyFile = path.join(dir, 'keys', 'log-signing.key');
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  fs.copyFileSync(process.env.COSPONSOR_TEST_KEY_FILE!, keyFile);
  return { file, keyFile };
}

function leaseHolder(file: string): { holder: string; expires_at: number } | undefined {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.prepare("SELECT holder, expires_at FROM job_leases WHERE name = 'background-jobs'").get() as { holder: string; expires_at: number } | undefined;
  } finally {
    db.close();
  }
}

const pidOf = (holder: string) => Number(holder.split(':')[1]);
const JOBS_RUN_HERE = /Background jobs: running in this process \(pid (\d+)\)/;

/** A real webhook receiver on a loopback port: counts each idempotency key it is sent. */
async function webhookReceiver() {
  const keys: string[] = [];
  const server = http.createServer((req, res) => {
    keys.push(String(req.headers['idempotency-key'] ?? ''));
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  return { url, keys, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('WEB_CONCURRENCY', () => {
  it('defaults to one worker per core; 1 is a single process; anything but a whole number of at least 1 is refused by name', () => {
    expect(parseEnv({}).WEB_CONCURRENCY).toBe(os.availableParallelism());
    expect(parseEnv({ WEB_CONCURRENCY: '1' }).WEB_CONCURRENCY).toBe(1);
    expect(parseEnv({ WEB_CONCURRENCY: ' 3 ' }).WEB_CONCURRENCY).toBe(3);
    for (const bad of ['0', '1.5', 'two', '-2']) {
      expect(() => parseEnv({ WEB_CONCURRENCY: bad })).toThrow(`WEB_CONCURRENCY must be a whole number of processes, 1 or more (got "${bad}")`);
    }
    expect(() => parseEnv({ JOB_LEASE_MS: '10' })).toThrow('JOB_LEASE_MS must be a number of milliseconds, at least 1000');
  });
});

describe('two workers on one database', () => {
  it('both serve on one port; the background jobs run in exactly one process; SIGTERM stops all, hands the lease back and exits 0', async () => {
    const { file, keyFile } = demoDatabase();
    const hook = await webhookReceiver();
    try {
      const server = await startCluster(file, {
        WEB_CONCURRENCY: '2',
        JOB_LEASE_MS: '1500',
        SIGNING_KEY_FILE: keyFile,
        WEBHOOK_URL: hook.url,
        WEBHOOK_SECRET: 'cluster-test-secret',
        OUTBOX_INTERVAL_MS: '200',
      });
      const ports = matches(server.output(), /Cosponsor on (http:\/\/\S+)/).map((m) => m[1]);
      expect(new Set(ports).size).toBe(1);
      // Several lease periods: the holder renews, the other keeps looking, nobody else starts the jobs.
      await new Promise((r) => setTimeout(r, 5_000));
      const runners = matches(server.output(), JOBS_RUN_HERE);
      expect(runners).toHaveLength(1);
      // The jobs worker: it runs them, and it is not one of the two serving pages.
      expect(server.output()).toContain(`Jobs worker ready (pid ${runners[0]![1]})`);
      const holder = leaseHolder(file)!;
      expect(pidOf(holder.holder)).toBe(Number(runners[0]![1]));
      expect(holder.expires_at).toBeGreaterThan(Date.now());
      // The checkpoint signed at start went to the webhook once, by the one process running the outbox.
      await expect.poll(() => hook.keys.filter((k) => k.startsWith('cosponsor-checkpoint-')).length, { timeout: 10_000 }).toBe(1);
      expect(new Set(hook.keys).size).toBe(hook.keys.length);
      for (let i = 0; i < 4; i++) expect((await fetch(`${server.url}/login`)).status).toBe(200);

      server.child.kill('SIGTERM');
      const { code } = await server.exited;
      expect(code).toBe(0);
      // The primary, two web workers and the jobs worker.
      expect(matches(server.output(), /^Stopped\.$/m)).toHaveLength(4);
      expect(leaseHolder(file)!.holder).toBe('');
      await expect(fetch(`${server.url}/login`)).rejects.toThrow();
    } finally {
      await hook.close();
    }
  }, 90_000);

  it('when the worker running the jobs is killed, its replacement takes them over within the lease, and the server serves throughout', async () => {
    const { file, keyFile } = demoDatabase();
    const server = await startCluster(file, { WEB_CONCURRENCY: '2', JOB_LEASE_MS: '15000', SIGNING_KEY_FILE: keyFile });
    const [first] = await server.waitFor(JOBS_RUN_HERE);
    const leader = Number(first![1]);
    const killedAt = Date.now();
    process.kill(leader, 'SIGKILL');
    const runners = await server.waitFor(JOBS_RUN_HERE, 2, 15_000);
    const takenOverMs = Date.now() - killedAt;
    const successor = Number(runners[1]![1]);
    pids.add(successor);
    expect(successor).not.toBe(leader);
    expect(takenOverMs).toBeLessThan(15_000);
    expect(pidOf(leaseHolder(file)!.holder)).toBe(successor);
    await server.waitFor(new RegExp(`Jobs worker ready \\(pid ${successor}\\)`));
    expect(server.output()).toMatch(new RegExp(`Jobs worker ${leader} stopped \\(signal SIGKILL\\): starting another`));
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 120_000);

  it('when the worker running the jobs hangs, a web worker takes them over once the lease is long expired; woken, it stops its jobs', async () => {
    const { file, keyFile } = demoDatabase();
    const server = await startCluster(file, { WEB_CONCURRENCY: '2', JOB_LEASE_MS: '2000', SIGNING_KEY_FILE: keyFile });
    const [first] = await server.waitFor(JOBS_RUN_HERE);
    const leader = Number(first![1]);
    process.kill(leader, 'SIGSTOP');
    try {
      // Expired after 2 s, taken over by a standby 4 leases later (STANDBY_LEASES).
      const runners = await server.waitFor(JOBS_RUN_HERE, 2, 40_000);
      expect(Number(runners[1]![1])).not.toBe(leader);
      expect(server.output()).not.toContain(`Jobs worker ready (pid ${runners[1]![1]})`);
    } finally {
      process.kill(leader, 'SIGCONT');
    }
    await server.waitFor(new RegExp(`another process holds the lease now; stopping them in pid ${leader}`), 1, 20_000);
    expect(pidOf(leaseHolder(file)!.holder)).not.toBe(leader);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 120_000);

  it('starts the jobs worker only once every web worker listens, so its first jobs never hold the write lock over their start', async () => {
    const { file, keyFile } = demoDatabase();
    const server = await startCluster(file, { WEB_CONCURRENCY: '2', SIGNING_KEY_FILE: keyFile });
    await server.waitFor(/Jobs worker ready/);
    const output = server.output();
    const listening = matches(output, /Cosponsor on /g).map((m) => m.index!);
    expect(listening).toHaveLength(2);
    // The jobs worker's first line comes after both web workers announced they listen.
    expect(output.indexOf('Jobs worker ready')).toBeGreaterThan(Math.max(...listening));
    // Web workers that fill the cores collect garbage on their own thread; the jobs worker keeps V8's defaults.
    const jobsPid = Number(/Jobs worker ready \(pid (\d+)\)/.exec(output)![1]);
    const workers = fs
      .readdirSync(`/proc/${server.child.pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${server.child.pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
    const flagsOf = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg === '--single-threaded-gc');
    expect(workers).toContain(jobsPid);
    expect(workers).toHaveLength(3);
    for (const pid of workers) expect(flagsOf(pid)).toEqual(pid === jobsPid ? [] : webWorkerNodeFlags(2, os.availableParallelism()));
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);

  it('web workers collect garbage on their own thread only when they are at least as many as the cores', () => {
    expect(webWorkerNodeFlags(2, 2)).toEqual(['--single-threaded-gc']);
    expect(webWorkerNodeFlags(3, 2)).toEqual(['--single-threaded-gc']);
    expect(webWorkerNodeFlags(2, 4)).toEqual([]);
    expect(webWorkerNodeFlags(1, 2)).toEqual([]);
  });

  it('with WEB_CONCURRENCY=1 there is one process, which serves and runs the jobs itself', async () => {
    const { file, keyFile } = demoDatabase();
    const server = await startCluster(file, { WEB_CONCURRENCY: '1', SIGNING_KEY_FILE: keyFile });
    const [runner] = await server.waitFor(JOBS_RUN_HERE);
    expect(Number(runner![1])).toBe(server.child.pid);
    expect(server.output()).not.toMatch(/worker processes|Jobs worker/);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);

  it('a worker that cannot start stops the whole server with exit code 1 instead of being restarted over and over', async () => {
    const { file } = demoDatabase();
    const badKey = path.join(path.dirname(file), 'not-a-key');
    fs.writeFileSync(badKey, 'not a signer key\n');
    const server = await startCluster(file, { WEB_CONCURRENCY: '2', SIGNING_KEY_FILE: badKey }).catch((error: Error) => error);
    expect(server).toBeInstanceOf(Error);
    expect((server as Error).message).toMatch(/The server exited \(1\) before listening/);
    expect((server as Error).message).toMatch(/before it could serve: stopping the server/);
    expect((server as Error).message).not.toMatch(/starting another/);
  }, 60_000);
});
