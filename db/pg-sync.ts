import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

// A synchronous PostgreSQL connection (docs/decisions/0040-postgresql-path.md). Every query
// helper of db/connection.ts is synchronous: a transaction is a plain function, so nothing
// of another request can run inside it (0011). On PostgreSQL that model is kept by running
// one pg client in a worker thread and waiting for each answer with Atomics.wait: the
// event loop waits for PostgreSQL as it waits for SQLite's disk and busy timeout today, and
// every wait is bounded (statement_timeout and lock_timeout on the server, a deadline here).

export type PgRows = { rows: Record<string, unknown>[]; rowCount: number };

/** A PostgreSQL error as the worker passes it on: the SQLSTATE stays in `code`. */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail?: string,
    readonly constraint?: string,
  ) {
    super(message);
    this.name = 'PostgresError';
  }
}

// The worker runs as a plain script (eval), so it needs no build step of its own in
// development, tests and the compiled server alike; `pg` is resolved by the parent.
const WORKER_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
const { port, signal, url, statementTimeoutMs } = workerData;
const INT8 = 20, NUMERIC = 1700;
// int8 (every count(*)) and numeric (every sum()) as numbers when they fit, never a wrong number.
const asNumber = (text) => { const n = Number(text); return Number.isSafeInteger(n) || (!/^-?\d+$/.test(text) && Number.isFinite(n)) ? n : text; };
const types = { getTypeParser: (oid, format) => (oid === INT8 || oid === NUMERIC) && format !== 'binary' ? asNumber : pg.types.getTypeParser(oid, format) };
let client, ready;
const names = new Map();
function connect() {
  names.clear();
  client = new pg.Client({
    connectionString: url, types, application_name: 'cosponsor',
    statement_timeout: statementTimeoutMs, lock_timeout: statementTimeoutMs, connectionTimeoutMillis: statementTimeoutMs,
  });
  const current = client;
  current.on('error', () => { if (client === current) client = undefined; });
  ready = current.connect();
  ready.catch(() => { if (client === current) client = undefined; });
}
function reply(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}
port.on('message', async (request) => {
  if (request.close) { try { if (client) await client.end(); } catch {} reply({ closed: true }); return; }
  try {
    if (!client) {
      // A lost connection takes its transaction with it: the rest of that transaction must fail, never autocommit.
      if (request.inTransaction) throw Object.assign(new Error('The connection to PostgreSQL was lost during a transaction.'), { code: '08006' });
      connect();
    }
    await ready;
    // Each distinct SQL text is prepared once per connection, as better-sqlite3's statements are.
    let name = names.get(request.sql);
    if (name === undefined && names.size < 5000) { name = 'q' + names.size; names.set(request.sql, name); }
    const result = await client.query({ text: request.sql, values: request.params, name: request.params.length > 0 || /^\s*(select|with)/i.test(request.sql) ? name : undefined });
    reply({ rows: result.rows, rowCount: result.rowCount ?? 0 });
  } catch (e) {
    if (!e || !e.code || /^(08|57P)/.test(e.code)) client = undefined;
    reply({ error: { message: String(e && e.message || e), code: e && e.code, detail: e && e.detail, constraint: e && e.constraint } });
  }
});
`;

type Reply = PgRows | { error: { message: string; code?: string; detail?: string; constraint?: string } } | { closed: true };

export class SyncPostgres {
  private worker: Worker;
  private port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly pgPath = createRequire(import.meta.url).resolve('pg');

  constructor(
    readonly url: string,
    private readonly statementTimeoutMs: number,
  ) {
    ({ worker: this.worker, port: this.port } = this.start());
  }

  private start(): { worker: Worker; port: MessagePort } {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // None of the process's flags: the source is plain CommonJS that needs none, and what a
      // worker would inherit can only break it. `--input-type=module` made it read as a module,
      // where require is undefined; a V8 flag (`--single-threaded-gc`, given to web workers that
      // fill the cores) is refused by a worker thread outright, and applies to it anyway.
      execArgv: [],
      workerData: { port: port2, signal: this.signal, url: this.url, statementTimeoutMs: this.statementTimeoutMs, pgPath: this.pgPath },
      transferList: [port2],
    });
    // The worker never keeps the process alive on its own; it is ended by close().
    worker.unref();
    port1.unref();
    return { worker, port: port1 };
  }

  private exchange(message: unknown): Reply {
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(message);
    // The server gives up at statement_timeout (a lock wait too); this deadline only covers a
    // server that stops answering at all. Then the worker is replaced: its state is unknown.
    const outcome = Atomics.wait(this.signal, 0, 0, this.statementTimeoutMs * 2 + 1000);
    const received = receiveMessageOnPort(this.port);
    if (outcome === 'timed-out' || !received) {
      void this.worker.terminate();
      ({ worker: this.worker, port: this.port } = this.start());
      throw new PostgresError('PostgreSQL did not answer in time.', 'PG_DEADLINE');
    }
    return received.message as Reply;
  }

  query(sql: string, params: readonly unknown[] = [], inTransaction = false): PgRows {
    const answer = this.exchange({ sql, params, inTransaction });
    if ('error' in answer) throw new PostgresError(answer.error.message, answer.error.code, answer.error.detail, answer.error.constraint);
    if ('closed' in answer) throw new PostgresError('The PostgreSQL connection is closed.', 'PG_CLOSED');
    return answer;
  }

  close(): void {
    try {
      this.exchange({ close: true });
    } catch {
      // Closing a connection that cannot answer: the worker goes either way.
    }
    void this.worker.terminate();
  }
}
