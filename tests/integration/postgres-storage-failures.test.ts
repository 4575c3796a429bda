import type { ActionFunctionArgs, LoaderFunctionArgs, ServerBuild } from '@remix-run/node';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeResponse } from '../support/fake-response';
import { errorLog } from '../../app/http/operations';
import { withStorageFailureAnswers, type StorageFailureData } from '../../app/http/storage-failures';
import { first, raw, run, transaction, useDatabase } from '../../db/connection';
import { PostgresError } from '../../db/pg-sync';
import { storageFailureOf } from '../../db/storage-errors';
import { freshPostgresDatabase } from '../support/postgres';

// PostgreSQL failing under a request: a lost connection, a statement or lock wait that ran out,
// a full disk, the bridge's own deadline. Each is answered with 503 or 507 and a sentence (what
// was typed given back on a form), never the generic 500 page. The failures below are real
// ones of a real server where a test can cause them; a full disk and a server that stops
// answering for 11 s are given as the errors the connection reports for them.

let url: string;
let admin: pg.Client;

beforeAll(async () => {
  url = await freshPostgresDatabase();
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('CREATE TABLE locked_thing (id integer PRIMARY KEY, note text)');
  await admin.query("INSERT INTO locked_thing VALUES (1, 'first')");
  useDatabase(url);
});

afterAll(async () => {
  await admin.end();
});

/** A build of one route whose loader and action run `work` on the app's connection. */
function routeRunning(work: () => unknown) {
  const handler = async () => {
    work();
    return new Response('ok');
  };
  const build = { routes: { 'routes/thing': { id: 'routes/thing', path: 'thing', module: { loader: handler, action: handler } } } } as unknown as ServerBuild;
  const route = withStorageFailureAnswers(build).routes['routes/thing']!.module;
  const post = () =>
    new Request('http://localhost/thing', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ note: 'What the lead wrote about the venue.', password: 'secret' }),
    });
  const answerOf = async (call: () => unknown) => {
    try {
      await call();
    } catch (thrown) {
      if (thrown instanceof Response) return { status: thrown.status, data: (await thrown.json()) as StorageFailureData };
      throw thrown;
    }
    return { status: 200, data: null };
  };
  return {
    action: () => answerOf(() => route.action!({ request: post(), params: {}, context: {} } as ActionFunctionArgs)),
    loader: () => answerOf(() => route.loader!({ request: new Request('http://localhost/thing'), params: {}, context: {} } as LoaderFunctionArgs)),
  };
}

describe('PostgreSQL failures are answered, never a 500', () => {
  it('a connection lost under a request: 503 with what was typed, nothing half-saved, and the next request reconnects', async () => {
    // The server ends the app's session in the middle of a transaction (as a restart or a failover does): 57P01.
    const route = routeRunning(() =>
      transaction(() => {
        run(raw(sql`UPDATE locked_thing SET note = 'half' WHERE id = 1`));
        first(raw(sql`SELECT pg_terminate_backend(pg_backend_pid())`));
      }),
    );
    const answer = await route.action();
    expect(answer.status).toBe(503);
    expect(answer.data!.message).toMatch(/lost its connection to its database/);
    // What was typed comes back; a password never does.
    expect(answer.data!.typed).toEqual([{ name: 'note', value: 'What the lead wrote about the venue.' }]);
    expect((await admin.query('SELECT note FROM locked_thing WHERE id = 1')).rows).toEqual([{ note: 'first' }]);
    expect((await routeRunning(() => first(raw(sql`SELECT note FROM locked_thing WHERE id = 1`))).loader()).status).toBe(200);
  });

  it('a connection that was lost while idle is opened again without the request noticing', async () => {
    expect(first(raw(sql<{ one: number }>`SELECT 1 AS one`))).toEqual({ one: 1 });
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cosponsor' AND datname = current_database()");
    // The connection's worker sees the socket close; give it a moment, as an idle server would have.
    await new Promise((r) => setTimeout(r, 100));
    expect((await routeRunning(() => first(raw(sql`SELECT 1 AS one`))).loader()).status).toBe(200);
  });

  it('a page whose database connection is lost says it cannot be shown (503), not "Something went wrong"', async () => {
    const answer = await routeRunning(() => first(raw(sql`SELECT pg_terminate_backend(pg_backend_pid())`))).loader();
    expect(answer.status).toBe(503);
    expect(answer.data!.message).toMatch(/cannot reach its database/);
    expect(answer.data!.title).toBe('Not available');
  });

  it('a statement that runs out its time (57014): 503, nothing saved', async () => {
    run(raw(sql`SET statement_timeout = 200`));
    try {
      const route = routeRunning(() => transaction(() => run(raw(sql`UPDATE locked_thing SET note = 'slow' WHERE id = 1 AND pg_sleep(2) IS NOT NULL`))));
      const answer = await route.action();
      expect(answer.status).toBe(503);
      expect(answer.data!.message).toMatch(/Nothing was saved/);
    } finally {
      run(raw(sql`SET statement_timeout = 5000`));
    }
    expect((await admin.query('SELECT note FROM locked_thing WHERE id = 1')).rows).toEqual([{ note: 'first' }]);
  });

  it('a lock held elsewhere past the lock timeout (55P03): 503, nothing saved', async () => {
    run(raw(sql`SET lock_timeout = 200`));
    await admin.query('BEGIN');
    await admin.query('SELECT * FROM locked_thing WHERE id = 1 FOR UPDATE');
    try {
      const route = routeRunning(() => transaction(() => run(raw(sql`UPDATE locked_thing SET note = 'second' WHERE id = 1`))));
      const answer = await route.action();
      expect(answer.status).toBe(503);
      expect(answer.data!.message).toMatch(/Nothing was saved/);
    } finally {
      await admin.query('ROLLBACK');
      run(raw(sql`SET lock_timeout = 5000`));
    }
    expect((await admin.query('SELECT note FROM locked_thing WHERE id = 1')).rows).toEqual([{ note: 'first' }]);
  });

  it('a full disk (53100) is 507; the bridge giving up on a silent server (PG_DEADLINE) is 503', async () => {
    const full = await routeRunning(() => {
      throw new PostgresError('could not extend file "base/16384/16385": No space left on device', '53100');
    }).action();
    expect(full.status).toBe(507);
    expect(full.data!.message).toMatch(/storage is full/);
    const silent = await routeRunning(() => {
      throw new PostgresError('PostgreSQL did not answer in time.', 'PG_DEADLINE');
    }).action();
    expect(silent.status).toBe(503);
    expect(silent.data!.message).toMatch(/may not have been saved/);
  });

  it('tells storage failures from the request’s own faults', () => {
    const kind = (code: string | undefined) => storageFailureOf(new PostgresError('x', code))?.kind ?? null;
    expect([kind('08006'), kind('08001'), kind('57P01'), kind('57P03'), kind('ECONNREFUSED'), kind(undefined)]).toEqual(Array(6).fill('unreachable'));
    expect([kind('57014'), kind('55P03'), kind('40001'), kind('40P01'), kind('53300')]).toEqual(Array(5).fill('busy'));
    expect(kind('53100')).toBe('full');
    // A broken query, a unique key, a value too long: the program's or the request's fault, not the storage's.
    expect([kind('42601'), kind('23505'), kind('22001')]).toEqual([null, null, null]);
    // A missing file is not the database, even with a code the connection could also report.
    expect(storageFailureOf(Object.assign(new Error('ENOENT'), { code: 'ECONNREFUSED' }))).toBeNull();
    expect(storageFailureOf(Object.assign(new Error('disk'), { code: 'SQLITE_FULL' }))).toEqual({ code: 'SQLITE_FULL', kind: 'full' });
  });

  it('the session read before Remix failing on a lost connection answers 503 with a sentence', () => {
    const { res, sent } = fakeResponse('r1');
    const quiet = () => {};
    errorLog({ json: true, write: quiet })(new PostgresError('Connection terminated unexpectedly', undefined), { method: 'GET', path: '/' } as never, res as never, quiet);
    expect(sent.status).toBe(503);
    expect(sent.body).toMatch(/cannot reach its database/);
  });
});
