import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, database, first, qb, useDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { claimOutboxRow, insertOutboxRow } from '../../db/outside';
import { freshDatabase } from '../support/db';
import { freshPostgresDatabase } from '../support/postgres';

// Two app instances delivering the same outbox at the same moment, each its own process on
// one database (a SQLite file, or PostgreSQL where the claim is FOR UPDATE SKIP LOCKED):
// every notification reaches the receiver once, and each row is marked delivered once.

const ROWS = 40;

/** A real receiver on this machine: counts the deliveries of each idempotency key. */
let receiver: http.Server;
let receiverUrl: string;
const received = new Map<string, number>();

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      received.set(key, (received.get(key) ?? 0) + 1);
      // A receiver that takes a moment, so the two instances' ticks overlap.
      setTimeout(() => res.writeHead(200).end('ok'), 5);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

type Instance = { ready: Promise<void>; go: () => void; done: Promise<{ delivered: number; attempted: number }> };

/** Another app process on this database: on "go" it delivers until nothing is due, and prints what it did. */
function instance(target: { DATABASE_PATH?: string; DATABASE_URL?: string }): Instance {
  const outbox = path.resolve('app/jobs/outbox.server.ts');
  const code = `
    const { deliverDueNotifications } = await import(${JSON.stringify(outbox)});
    process.stdout.write('ready\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    let delivered = 0, attempted = 0;
    for (;;) {
      const report = await deliverDueNotifications(new Date(Date.now() + 1000), { limit: 10 });
      delivered += report.delivered;
      attempted += report.attempted;
      if (report.attempted === 0) break;
    }
    process.stdout.write(JSON.stringify({ delivered, attempted }) + '\\n');
    process.exit(0);
  `;
  const env: NodeJS.ProcessEnv = { ...process.env, WEBHOOK_URL: receiverUrl, WEBHOOK_SECRET: 'instances-secret', MOCKS: '' };
  delete env.DATABASE_URL;
  Object.assign(env, target);
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ delivered: number; attempted: number }>((resolve, reject) => {
    child.on('exit', (status) => {
      if (status !== 0) reject(new Error(`The instance exited with ${status}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as { delivered: number; attempted: number });
    });
  });
  return { ready, go: () => child.stdin.write('go\n'), done };
}

function queueRows(): string[] {
  const keys: string[] = [];
  const at = new Date(Date.now() - 60_000).toISOString();
  for (let i = 1; i <= ROWS; i++) {
    const key = `instances-${i}-webhook`;
    insertOutboxRow({ channel: 'webhook', idempotencyKey: key, payload: JSON.stringify({ id: key }), decisionSeq: null, createdAt: at });
    keys.push(key);
  }
  return keys;
}

const deliveredRows = () =>
  Number(first(qb().selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('delivered_at', 'is not', null))?.n ?? 0);

describe.each([
  ['SQLite', async () => ({ DATABASE_PATH: freshDatabase('empty').path })],
  [
    'PostgreSQL',
    async () => {
      const url = await freshPostgresDatabase();
      useDatabase(url);
      await migrateToLatest(database());
      return { DATABASE_URL: url };
    },
  ],
])('two instances delivering one outbox on %s', (_name, open) => {
  it('send each notification once, and mark each row delivered once', async () => {
    received.clear();
    const target = await open();
    const keys = queueRows();
    const instances = [instance(target), instance(target)];
    await Promise.all(instances.map((i) => i.ready));
    for (const i of instances) i.go();
    const [a, b] = await Promise.all(instances.map((i) => i.done));
    expect(a!.delivered + b!.delivered).toBe(ROWS);
    expect([...received.keys()].sort()).toEqual([...keys].sort());
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    expect(deliveredRows()).toBe(ROWS);
  }, 60_000);
});

describe('the outbox claim on PostgreSQL', () => {
  it('skips a row another instance holds locked, at once, instead of waiting for it', async () => {
    const url = await freshPostgresDatabase();
    useDatabase(url);
    await migrateToLatest(database());
    queueRows();
    const [held, free] = all(qb().selectFrom('outbox').select('id').orderBy('id').limit(2)).map((r) => r.id) as [number, number];
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      // Another instance is marking the first row (its transaction holds the row's lock).
      await other.query('BEGIN');
      await other.query('SELECT id FROM outbox WHERE id = $1 FOR UPDATE', [held]);
      const now = new Date().toISOString();
      const lease = new Date(Date.now() + 60_000).toISOString();
      const started = performance.now();
      expect(claimOutboxRow(held, now, lease)).toBe(false);
      // Well under the 5 s lock timeout: not waited for.
      expect(performance.now() - started).toBeLessThan(1000);
      expect(claimOutboxRow(free, now, lease)).toBe(true);
      expect(claimOutboxRow(free, now, lease)).toBe(false);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
    // Once released, the row is due and can be claimed.
    expect(claimOutboxRow(held, new Date().toISOString(), new Date(Date.now() + 60_000).toISOString())).toBe(true);
  });
});
