import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseEnv, newDemoDatabase, newEmptyDatabase, onDatabase } from '../support/db';
import { sqlGet, sqlRun } from '../support/sql';

// The real server as `npm start` runs it (the compiled build/server/server.js over the
// built app), as separate processes: two starting at once on an empty database, and a
// SIGTERM while a request is in flight.

const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
});

type Started = { child: ChildProcess; url: string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; output: () => string };

/** The server on `target`: a SQLite file's path or a postgres:// URL. */
function startServer(target: string, env: Record<string, string> = {}, cwd = process.cwd(), nodeFlags: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [...nodeFlags, path.resolve('build/server/server.js')], {
    cwd,
    env: { ...process.env, ...databaseEnv(target), PORT: '0', NODE_ENV: 'test', OUTBOX_INTERVAL_MS: '200', MOCKS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /Cosponsor on (http:\/\/[^\s]+)/.exec(output);
      if (m) resolve({ child, url: m[1]!, exited, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`The server exited (${code}) before listening:\n${output}`)));
  });
}

// A new database with no tables, and a copy of the seeded test database (the server starts
// without seeding): files on SQLite, databases on the PostgreSQL test cluster.
const emptyDatabase = newEmptyDatabase;
const demoDatabase = newDemoDatabase;

describe('starting', () => {
  it('two processes starting at once on an empty database both migrate, seed once, and serve', async () => {
    for (let round = 0; round < 2; round++) {
      const file = emptyDatabase();
      const [a, b] = await Promise.all([startServer(file), startServer(file)]);
      for (const s of [a, b]) expect((await fetch(`${s.url}/login`)).status).toBe(200);
      for (const s of [a, b]) s.child.kill('SIGTERM');
      expect((await a.exited).code).toBe(0);
      expect((await b.exited).code).toBe(0);
    }
  }, 90_000);
});

describe('node flags', () => {
  it('a process started with V8 flags of its own (web workers that fill the cores collect on one thread) opens its database and serves', async () => {
    // A worker thread refuses V8 flags (they are the whole process's): the PostgreSQL connection's
    // thread inherited them, and every web worker died at start on a machine with as many workers as cores.
    const server = await startServer(demoDatabase(), { WEB_CONCURRENCY: '1' }, process.cwd(), ['--single-threaded-gc']);
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);
});

describe('stopping', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, closes the database and exits 0', async () => {
    const file = demoDatabase();
    // Three recent failures for the account: the next sign-in is slowed by a second, so it is surely in flight at the signal.
    onDatabase(file, () => {
      for (let i = 0; i < 3; i++) sqlRun('INSERT INTO login_attempts (email, ip, at, success) VALUES (?, ?, ?, 0)', 'lead@cosponsor.test', '127.0.0.1', new Date().toISOString());
    });
    const server = await startServer(file, { THROTTLE_DELAY_STEP_MS: '1000' });
    const body = new URLSearchParams({ email: 'lead@cosponsor.test', password: 'cosponsor-demo' });
    let answeredAt = 0;
    const inFlight = fetch(`${server.url}/login`, { method: 'POST', body, headers: { Origin: server.url }, redirect: 'manual' }).then((r) => {
      answeredAt = Date.now();
      return r;
    });
    await new Promise((r) => setTimeout(r, 200));
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(302);
    expect(answeredAt).toBeGreaterThan(signalledAt);
    const { code } = await server.exited;
    expect(code).toBe(0);
    expect(server.output()).toMatch(/Stopped/);
    await expect(fetch(`${server.url}/login`)).rejects.toThrow();
  }, 60_000);
});

describe('keep-alive', () => {
  it('a 214 KB post answered early (404, 405) leaves the connection usable for the next request', async () => {
    const server = await startServer(demoDatabase());
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const signIn = await fetch(`${server.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'lead@cosponsor.test', password: 'cosponsor-demo' }),
      headers: { Origin: server.url },
      redirect: 'manual',
    });
    const cookie = /cosponsor_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
    const request = (method: string, pathname: string, body?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${server.url}${pathname}`,
          {
            agent,
            method,
            timeout: 3_000,
            headers: {
              Cookie: cookie,
              ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Origin: server.url } : {}),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end(body);
      });
    const big = `email=a%40b.c&password=${'x'.repeat(214 * 1024)}`;
    try {
      expect(await request('POST', '/no-such-page', big)).toBe(404);
      expect(await request('GET', '/proposals')).toBe(200);
      expect(await request('POST', '/proposals', big)).toBe(405);
      expect(await request('GET', '/proposals')).toBe(200);
    } finally {
      agent.destroy();
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);
});

describe('compiled', () => {
  it('/audit runs the compiled verifier, so a server without tsx can verify the log', async () => {
    // A directory with the build and nothing else: no node_modules, so `--import tsx` cannot load there.
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bare-'));
    for (const dir of ['build', 'public']) fs.symlinkSync(path.resolve(dir), path.join(bare, dir));
    const file = demoDatabase();
    // The demo log's key, and checkpoints of this log only (other tests' servers sign their own logs).
    const keys = path.join(bare, 'keys');
    fs.mkdirSync(keys);
    const baseKey = process.env.COSPONSOR_TEST_KEY_FILE!;
    fs.copyFileSync(baseKey, path.join(keys, 'log-signing.key'));
    fs.copyFileSync(baseKey.replace(/\.key$/, '.pub'), path.join(keys, 'log-signing.pub'));
    const server = await startServer(file, { SIGNING_KEY_FILE: path.join(keys, 'log-signing.key'), CHECKPOINT_DIR: path.join(bare, 'checkpoints') }, bare);
    const signIn = await fetch(`${server.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'reviewer@cosponsor.test', password: 'cosponsor-demo' }),
      headers: { Origin: server.url },
      redirect: 'manual',
    });
    const cookie = /cosponsor_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
    const verify = await fetch(`${server.url}/audit`, { method: 'POST', headers: { Cookie: cookie, Origin: server.url }, redirect: 'manual' });
    expect(verify.status).toBe(302);
    onDatabase(file, () => {
      const run = sqlGet<{ ok: number; count: number }>('SELECT ok, record_count AS count, message FROM audit_runs ORDER BY id DESC LIMIT 1');
      const records = sqlGet<{ n: number }>('SELECT count(*) AS n FROM decision_records')!.n;
      expect(run).toMatchObject({ ok: 1, count: records });
    });
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);
});
