import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { closeDatabase, database, useDatabase } from '../db/connection';
import { DecisionStream } from './decisions';
import { createBenchDatabase, dropBenchDatabase, isPostgresTarget } from './postgres';
import { freshBenchDatabase, tempFile, type Cast } from './scenario';

// decide() from one or several processes at once on one database: a SQLite file, or a
// PostgreSQL database (`--database postgres://server/maintenance-db`), as one or two app
// instances would. Each process walks its own proposals through the same plans as
// `bench -- decisions` (bench/decisions.ts), so they contend only for the write lock and the
// chain head, as instances deciding different proposals do. All start together (each waits,
// opened and warmed up, for a go) and the throughput is all their decisions over the time
// until the last one finished.

export type InstancesOptions = { total: number; instances: number; database: string; verbose: boolean };

type ChildReport = { decisions: number; decideMs: number; cpuUs: number; wallMs: number; records: number };

const WARM_UP = 20;

export async function decisionsInstancesBenchmark(options: InstancesOptions): Promise<string> {
  process.env.SLACK_WEBHOOK_URL ||= 'https://hooks.example.invalid/services/bench';
  const postgres = isPostgresTarget(options.database);
  const name = `cosponsor_bench_decisions_${process.pid}`;
  const target = postgres ? await createBenchDatabase(options.database, name) : tempFile('decisions.db');
  try {
    const cast = await freshBenchDatabase(target);
    closeDatabase();
    const perInstance = Math.ceil(options.total / options.instances);
    const children = Array.from({ length: options.instances }, (_, i) =>
      spawn(process.execPath, ['--import', 'tsx', path.resolve('bench/decisions-instances.ts'), '--child'], {
        env: {
          ...process.env,
          ...(postgres ? { DATABASE_URL: target, DATABASE_PATH: '' } : { DATABASE_PATH: target, DATABASE_URL: '' }),
          BENCH_CAST: JSON.stringify(cast),
          BENCH_COUNT: String(perInstance),
          BENCH_INSTANCE: String(i),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const lines = children.map((child) => readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
    const next = async (i: number) => {
      const line = await lines[i]!.next();
      if (line.done) throw new Error(`Instance ${i} ended without answering.`);
      return line.value;
    };
    for (let i = 0; i < children.length; i++) if ((await next(i)) !== 'ready') throw new Error(`Instance ${i} did not get ready.`);
    const started = performance.now();
    for (const child of children) child.stdin!.write('go\n');
    const reports = await Promise.all(children.map(async (_, i) => JSON.parse(await next(i)) as ChildReport));
    const wallMs = performance.now() - started;
    for (const child of children) child.stdin!.end();
    const decisions = reports.reduce((n, r) => n + r.decisions, 0);
    const decideMs = reports.reduce((n, r) => n + r.decideMs, 0);
    const cpuUs = reports.reduce((n, r) => n + r.cpuUs, 0);
    if (options.verbose) for (const [i, r] of reports.entries()) console.error(`instance ${i}: ${JSON.stringify(r)}`);
    // Every process's decisions are in one chain: count what the log holds now.
    useDatabase(target);
    const { verifyLog, formatVerifyResult } = await import('../db/decision-log');
    let log: string;
    try {
      const verified = verifyLog();
      log = verified.ok ? `ok_records=${verified.count}` : `BROKEN:${formatVerifyResult(verified).replace(/\s+/g, '_').slice(0, 80)}`;
    } catch (error) {
      log = `not_verified(${(error as Error).message.replace(/\s+/g, '_').slice(0, 60)})`;
    }
    closeDatabase();
    return (
      `database=${postgres ? 'postgres' : 'sqlite'} instances=${options.instances} decisions=${decisions} wall_s=${(wallMs / 1000).toFixed(2)} ` +
      `decisions_per_s=${Math.round(decisions / (wallMs / 1000))} decide_ms_per_decision=${(decideMs / decisions).toFixed(3)} ` +
      `cpu_us_per_decision=${Math.round(cpuUs / decisions)} log=${log}`
    );
  } finally {
    closeDatabase();
    if (postgres) await dropBenchDatabase(options.database, name);
    else fs.rmSync(path.dirname(target), { recursive: true, force: true });
  }
}

/** One instance: opens the database, warms up, waits for "go", decides, reports one JSON line. */
async function child(): Promise<void> {
  const cast = JSON.parse(process.env.BENCH_CAST!) as Cast;
  const count = Number(process.env.BENCH_COUNT);
  database();
  const stream = new DecisionStream(cast);
  stream.run(WARM_UP);
  const warm = { decisions: stream.decisions, decideMs: stream.decideMs, cpuUs: stream.decideCpuUs, records: stream.recordsWritten };
  const input = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  process.stdout.write('ready\n');
  await input.next();
  const started = performance.now();
  stream.run(count);
  const report: ChildReport = {
    decisions: stream.decisions - warm.decisions,
    decideMs: stream.decideMs - warm.decideMs,
    cpuUs: stream.decideCpuUs - warm.cpuUs,
    records: stream.recordsWritten - warm.records,
    wallMs: performance.now() - started,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  closeDatabase();
  await input.next();
  process.exit(0);
}

if (process.argv.includes('--child')) await child();
