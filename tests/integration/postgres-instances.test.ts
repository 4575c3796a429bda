import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchOutput } from '../support/child-output';
import { checkpointLog } from '../../db/checkpoint-log';
import { getDb } from '../../db/connection';
import { JOBS_LEADER_KEY } from '../../db/job-leader';
import { moveToPostgres } from '../../db/move';
import { closePostgres, openPostgres } from '../../db/postgres';
import { proposalRow } from '../../db/proposals';
import { tempDir } from '../support/db';
import { freshPostgresDatabase } from '../support/postgres';
import { newPartner, proposalInReview } from './review-fixtures';

// Two app instances (the compiled server, two processes with the same DATABASE_URL on their
// own ports, as on two machines) on one real PostgreSQL server: sessions made on one are valid
// and revoked on the other; two decisions of one proposal at once give one winner and a 409;
// a burst of decisions from both leaves a log audit:verify accepts; the outbox delivers each
// notification once; the background jobs run in one of them, named by the leader lock, and
// move when it hangs; /readyz answers 503 while PostgreSQL cannot be reached, and recovers.

const children = new Set<ChildProcess>();
// After the file, not each test: the two instances of the first group serve all its tests.
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

type Instance = {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
  waitFor: (pattern: RegExp, ms?: number) => Promise<RegExpMatchArray>;
};

let databaseUrl: string;
let dir: string;
let logEnv: Record<string, string>;
/** Proposals in review (made on SQLite before the move), taken by the tests in turn. */
let inReview: number[];
const take = (n: number) => inReview.splice(0, n);

/**
 * Starts the compiled server. `host` makes it name itself after another machine (its lease holder
 * is `<host>:<pid>:…`), so the other instance cannot tell from its process table that it died.
 */
function startInstance(env: Record<string, string> = {}, host?: string): Promise<Instance> {
  const asHost = host ? ['--import', `data:text/javascript,import os from 'node:os'; os.hostname = () => ${JSON.stringify(host)};`] : [];
  const child = spawn(process.execPath, [...asHost, path.resolve('build/server/server.js')], {
    env: {
      ...process.env,
      DATABASE_PATH: '',
      DATABASE_URL: databaseUrl,
      WEB_CONCURRENCY: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      MOCKS: '',
      OUTBOX_INTERVAL_MS: '200',
      ...logEnv,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const watched = watchOutput(child);
  const output = watched.output;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor: Instance['waitFor'] = (pattern, ms = 30_000) => watched.waitFor(pattern, 1, ms).then((found) => found[0]!);
  return Promise.race([
    waitFor(/Cosponsor on (http:\/\/\S+)/, 60_000).then((m) => ({ child, url: m[1]!, output, exited, waitFor })),
    exited.then((code) => Promise.reject(new Error(`The server exited (${code}) before listening:\n${output()}`))),
  ]);
}

async function stop(instance: Instance): Promise<number | null> {
  instance.child.kill('SIGTERM');
  return instance.exited;
}

async function signIn(instance: Instance, email: string): Promise<string> {
  const response = await fetch(`${instance.url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ email, password: 'cosponsor-demo' }),
    headers: { Origin: instance.url },
    redirect: 'manual',
  });
  const match = /cosponsor_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '');
  if (response.status !== 302 || !match) throw new Error(`Sign-in as ${email} on ${instance.url} failed with ${response.status}`);
  return match[0];
}

const post = (instance: Instance, pathname: string, form: Record<string, string>, cookie: string) =>
  fetch(`${instance.url}${pathname}`, { method: 'POST', body: new URLSearchParams(form), headers: { Origin: instance.url, Cookie: cookie }, redirect: 'manual' });

const approve = (instance: Instance, id: number, version: number, cookie: string) =>
  post(instance, `/review/${id}`, { intent: 'approve', version: String(version), conditions: '', endDate: '' }, cookie);

async function query<R>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

const decisionsOf = async (id: number) =>
  Number((await query<{ n: string }>("SELECT count(*) AS n FROM decision_records WHERE proposal_id = $1 AND step = 'decision'", [id]))[0]!.n);

/** A real webhook receiver on a loopback port: every Idempotency-Key it is sent, in order. */
async function webhookReceiver() {
  const keys: string[] = [];
  const server = http.createServer((req, res) => {
    keys.push(String(req.headers['idempotency-key'] ?? ''));
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, keys, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

beforeAll(async () => {
  // Proposals waiting for staff, made on this file's SQLite copy of the demo, with a checkpoint
  // signed over the whole log; then moved into an empty PostgreSQL database.
  inReview = Array.from({ length: 110 }, (_, i) => proposalInReview({ partnerId: newPartner(`Instances Group ${i + 1}`), title: `Two-instance evening ${i + 1}` }));
  expect(checkpointLog().ok).toBe(true);
  dir = tempDir('cosponsor-instances-');
  const keyFile = path.join(dir, 'keys', 'log-signing.key');
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  fs.copyFileSync(process.env.SIGNING_KEY_FILE!, keyFile);
  fs.cpSync(process.env.CHECKPOINT_DIR!, path.join(dir, 'checkpoints'), { recursive: true });
  logEnv = { SIGNING_KEY_FILE: keyFile, CHECKPOINT_DIR: path.join(dir, 'checkpoints'), UPLOAD_DIR: path.join(dir, 'uploads') };
  databaseUrl = await freshPostgresDatabase();
  const target = openPostgres(databaseUrl);
  try {
    expect((await moveToPostgres(getDb().sqlite, target)).ok).toBe(true);
  } finally {
    await closePostgres(target);
  }
}, 180_000);

describe('two app instances on one PostgreSQL', () => {
  let a: Instance;
  let b: Instance;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeAll(async () => {
    hook = await webhookReceiver();
    // Sign-in delays of 1 ms a failure: the throttling test counts failures, it does not wait for them.
    const shared = { WEBHOOK_URL: hook.url, WEBHOOK_SECRET: 'two-instances-secret', THROTTLE_DELAY_STEP_MS: '1' };
    [a, b] = await Promise.all([startInstance(shared), startInstance(shared)]);
  }, 120_000);

  afterAll(async () => {
    for (const instance of [a, b]) if (instance && instance.child.exitCode === null) await stop(instance);
    await hook?.close();
  });

  it('a session made on one instance is valid on the other, and its revocation is seen there', async () => {
    const cookie = await signIn(a, 'staff@cosponsor.test');
    const onB = await fetch(`${b.url}/proposals`, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(onB.status).toBe(200);
    const signedOut = await post(a, '/logout', {}, cookie);
    expect(signedOut.status).toBe(302);
    const afterwards = await fetch(`${b.url}/proposals`, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(afterwards.status).toBe(302);
    expect(afterwards.headers.get('location')).toMatch(/^\/login/);
  });

  it('sign-in failures count across instances: four on each block the account on both', async () => {
    const attempt = (instance: Instance) =>
      fetch(`${instance.url}/login`, {
        method: 'POST',
        body: new URLSearchParams({ email: 'reviewer@cosponsor.test', password: 'not-the-password' }),
        headers: { Origin: instance.url },
        redirect: 'manual',
      });
    for (let i = 0; i < 4; i++) {
      for (const instance of [a, b]) expect((await attempt(instance)).status).toBe(400);
    }
    for (const instance of [a, b]) expect((await attempt(instance)).status).toBe(429);
  });

  it('the same proposal decided on both at once: one winner, the other a 409 with a message, one record', async () => {
    const [id] = take(1);
    const version = proposalRow(id!)!.version;
    const [onA, onB] = await Promise.all([signIn(a, 'staff@cosponsor.test'), signIn(b, 'staff2@cosponsor.test')]);
    const answers = await Promise.all([
      approve(a, id!, version, onA),
      post(b, `/review/${id}`, { intent: 'reject', version: String(version), rationale: 'The partner refused the written conditions' }, onB),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([302, 409]);
    const loser = answers.find((r) => r.status === 409)!;
    expect(await loser.text()).toContain('This proposal changed while you were deciding');
    expect(await decisionsOf(id!)).toBe(1);
  });

  it('six decisions on one stale version, three from each instance at once: exactly one wins', async () => {
    const [id] = take(1);
    const version = proposalRow(id!)!.version;
    const [onA, onB] = await Promise.all([signIn(a, 'staff@cosponsor.test'), signIn(b, 'staff2@cosponsor.test')]);
    const answers = await Promise.all([0, 1, 2].flatMap(() => [approve(a, id!, version, onA), approve(b, id!, version, onB)]));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    expect(await decisionsOf(id!)).toBe(1);
  });

  it('a burst of 2 × 50 decisions from both instances: all taken, audit:verify OK, each notification delivered once', async () => {
    const ids = take(100);
    const [onA, onB] = await Promise.all([signIn(a, 'staff@cosponsor.test'), signIn(b, 'staff2@cosponsor.test')]);
    // Five in flight per instance, each instance working through its own half.
    const burst = async (instance: Instance, cookie: string, mine: number[]) => {
      const statuses: number[] = [];
      const queue = [...mine];
      await Promise.all(
        Array.from({ length: 5 }, async () => {
          for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
            statuses.push((await approve(instance, id, proposalRow(id)!.version, cookie)).status);
          }
        }),
      );
      return statuses;
    };
    const [fromA, fromB] = await Promise.all([burst(a, onA, ids.slice(0, 50)), burst(b, onB, ids.slice(50))]);
    expect([...fromA, ...fromB].filter((s) => s !== 302)).toEqual([]);
    const approved = await query<{ id: number }>("SELECT id FROM proposals WHERE id = ANY($1) AND state = 'approved'", [ids]);
    expect(approved).toHaveLength(100);

    // The chain, the Merkle tree and every signed checkpoint, checked by the verifier as an operator runs it.
    const verify = spawnSync('npx', ['tsx', 'scripts/audit-verify.ts'], {
      env: { ...process.env, DATABASE_PATH: '', DATABASE_URL: databaseUrl, ...logEnv },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const records = Number((await query<{ n: string }>('SELECT count(*) AS n FROM decision_records'))[0]!.n);
    expect(verify.stdout.trim()).toMatch(new RegExp(`^OK ${records} records`));
    expect(verify.status).toBe(0);

    // Every webhook row queued by these decisions reaches the receiver, each exactly once.
    const queued = (await query<{ idempotency_key: string }>("SELECT idempotency_key FROM outbox WHERE channel = 'webhook' AND decision_seq IS NOT NULL")).map(
      (r) => r.idempotency_key,
    );
    expect(queued.length).toBeGreaterThanOrEqual(100);
    await expect.poll(() => queued.filter((k) => hook.keys.includes(k)).length, { timeout: 60_000, interval: 500 }).toBe(queued.length);
    expect(hook.keys.length).toBe(new Set(hook.keys).size);
  }, 240_000);

  it('the background jobs run in exactly one instance, and the leader lock names it', async () => {
    const runners = [a, b].filter((i) => /Background jobs: running in this process/.test(i.output()));
    expect(runners).toHaveLength(1);
    const leader = await query<{ application_name: string }>(
      `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.objid::bigint = ${JOBS_LEADER_KEY} AND l.objsubid = 1 AND l.granted`,
    );
    expect(leader).toHaveLength(1);
    expect(leader[0]!.application_name).toContain(`:${runners[0]!.child.pid}:`);
  });
});

describe('the jobs leader across instances', () => {
  it('when the leading instance on another machine dies, the other takes the jobs over at its next check, long before the lease expires', async () => {
    // Checks every 5 s, leases of 15 s: the leader's lease runs at least 10 s past its death.
    const leaseEnv = { JOB_LEASE_MS: '15000' };
    const first = await startInstance(leaseEnv, 'machine-a');
    await first.waitFor(/Background jobs: running in this process/);
    const second = await startInstance(leaseEnv);
    const holder = (await query<{ holder: string }>("SELECT holder FROM job_leases WHERE name = 'background-jobs'"))[0]!.holder;
    expect(holder).toMatch(new RegExp(`^machine-a:${first.child.pid}:`));
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await second.waitFor(/Background jobs: running in this process/, 30_000);
    // PostgreSQL let the dead leader's lock go with its connection; the lease alone would have waited out its expiry.
    expect(Date.now() - killedAt).toBeLessThan(9_500);
    const now = (await query<{ holder: string }>("SELECT holder FROM job_leases WHERE name = 'background-jobs'"))[0]!.holder;
    expect(now).toMatch(new RegExp(`:${second.child.pid}:`));
    expect(await stop(second)).toBe(0);
  }, 120_000);

  it('when the leading instance hangs, the other takes the jobs and the lock once its lease expires; woken, the first stops its jobs', async () => {
    const leaseEnv = { JOB_LEASE_MS: '2000' };
    const first = await startInstance(leaseEnv);
    await first.waitFor(/Background jobs: running in this process/);
    const second = await startInstance(leaseEnv);
    const leaderName = async () =>
      (
        await query<{ application_name: string }>(
          `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.objid::bigint = ${JOBS_LEADER_KEY} AND l.objsubid = 1 AND l.granted`,
        )
      )[0]?.application_name ?? '';
    expect(await leaderName()).toContain(`:${first.child.pid}:`);
    first.child.kill('SIGSTOP');
    try {
      await second.waitFor(/Background jobs: running in this process/, 30_000);
      await expect.poll(leaderName, { timeout: 15_000 }).toContain(`:${second.child.pid}:`);
    } finally {
      first.child.kill('SIGCONT');
    }
    await first.waitFor(/another process holds the lease now; stopping them/, 20_000);
    expect(await stop(first)).toBe(0);
    expect(await stop(second)).toBe(0);
  }, 120_000);
});

/** A TCP relay to the PostgreSQL server that can be cut (every connection dropped, new ones refused) and restored. */
async function relay(port: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (at: number) => new Promise<number>((resolve) => server.listen(at, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
  const at = await listen(0);
  return {
    port: at,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    restore: () => listen(at),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (server.listening) server.close(() => resolve());
        else resolve();
      }),
  };
}

describe('/readyz on PostgreSQL', () => {
  it('answers 503 with a reason while PostgreSQL cannot be reached, stays up, and is ready again once it can', async () => {
    const url = new URL(databaseUrl.replace(/^postgres:\/\/([^@]*)@\//, 'postgres://$1@localhost/'));
    const proxy = await relay(Number(url.searchParams.get('port')));
    const viaRelay = `postgres://${url.username}@127.0.0.1:${proxy.port}${url.pathname}`;
    try {
      const instance = await startInstance({ DATABASE_URL: viaRelay });
      expect((await fetch(`${instance.url}/readyz`)).status).toBe(200);
      const cookie = await signIn(instance, 'staff@cosponsor.test');
      await proxy.cut();
      const down = await fetch(`${instance.url}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'not ready', reason: expect.stringMatching(/^database unreachable/) });
      expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
      // A page that needs the database is refused with a message, not a 500, and the process lives on.
      const page = await fetch(`${instance.url}/review`, { headers: { Cookie: cookie }, redirect: 'manual' });
      expect(page.status).toBe(503);
      await proxy.restore();
      await expect.poll(async () => (await fetch(`${instance.url}/readyz`)).status, { timeout: 15_000 }).toBe(200);
      expect(instance.child.exitCode).toBeNull();
      expect(await stop(instance)).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 90_000);
});
