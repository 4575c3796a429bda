import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build, isFresh } from '../scripts/build.mjs';

// Time from `npm start` to the first 200 answer, on a seeded database:
//   built  - a built checkout (what every start after the first does)
//   stale  - after a source file changed (the start rebuilds first)
//   node   - `node build/server/server.js` without npm, for what npm itself adds
//   tsx    - `tsx server.ts` alone: the server as it was started before, without its build
//   former - what `npm start` ran before: `remix build && tsx server.ts`
// One line per case: start=<case> first_200_ms=<median> min_ms=<n> max_ms=<n> cpu_ms=<median> runs=<n>
// cpu_ms is the processor time the started processes (npm, node, a build) used until that
// answer, read from /proc: on a busy machine the wall time waits for other processes, the
// processor time does not, and it is what the wall time comes down to on an idle one.

export type StartOptions = { runs: number; verbose: boolean };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 2_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

const TICKS_PER_SECOND = 100;

/** Processor ms used so far by the processes of a process group, with their finished children (Linux /proc). */
function groupCpuMs(group: number): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name: state ppid pgrp ... utime(12th) stime cutime cstime.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(rest[2]) !== group) continue;
    ticks += Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Starts a command, polls /login every 10 ms until it answers 200, stops the command; returns the ms taken and the processor ms used. */
async function timeToFirst200(command: string, args: string[], env: NodeJS.ProcessEnv, verbose: boolean): Promise<{ ms: number; cpuMs: number }> {
  const port = await freePort();
  const started = performance.now();
  // Its own process group: npm and the node it starts are stopped together.
  const child = spawn(command, args, { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (verbose) process.stderr.write(chunk);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', stop);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited (${child.exitCode}) before answering:\n${output}`);
      if ((await status(`http://127.0.0.1:${port}/login`)) === 200) return { ms: performance.now() - started, cpuMs: groupCpuMs(child.pid!) };
      if (performance.now() - started > 120_000) throw new Error(`No answer within 120 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    stop();
    await exited;
    process.removeListener('exit', stop);
  }
}

/** A seeded demo database with its log key, made once by the compiled seed script, copied for each start. */
function seededDatabase(dir: string): { file: string; env: NodeJS.ProcessEnv } {
  const file = path.join(dir, 'seeded.db');
  const env = { ...process.env, DATABASE_PATH: file, SIGNING_KEY_FILE: path.join(dir, 'keys', 'log-signing.key'), CHECKPOINT_DIR: path.join(dir, 'checkpoints') };
  const seeded = spawnSync(process.execPath, [path.resolve('build/server/seed.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (seeded.status !== 0) throw new Error(`Seeding failed (exit ${seeded.status}).`);
  return { file, env };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function startBenchmark(options: StartOptions): Promise<string[]> {
  if (!isFresh()) {
    console.error('Building first (sources changed since the last build)…');
    await build();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bench-start-'));
  const lines: string[] = [];
  try {
    const base = seededDatabase(dir);
    // Each start gets its own copy of the seeded database: nothing to migrate or seed, as on a running installation.
    let copies = 0;
    const envWithCopy = () => {
      const file = path.join(dir, `run-${++copies}.db`);
      fs.copyFileSync(base.file, file);
      return { ...base.env, DATABASE_PATH: file };
    };
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const touched = path.resolve('app/root.tsx');
    const cases: { name: string; before?: () => void; command: string; args: string[] }[] = [
      { name: 'built', command: npm, args: ['start', '--silent'] },
      // A source file saved again: the start finds the build stale and rebuilds before serving.
      { name: 'stale', before: () => fs.utimesSync(touched, new Date(), new Date()), command: npm, args: ['start', '--silent'] },
      { name: 'node', command: process.execPath, args: [path.resolve('build/server/server.js')] },
      { name: 'tsx', command: path.resolve('node_modules/.bin/tsx'), args: ['server.ts'] },
      { name: 'former', command: 'sh', args: ['-c', 'node_modules/.bin/remix build >/dev/null && exec node_modules/.bin/tsx server.ts'] },
    ];
    for (const c of cases) {
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < options.runs; i++) {
        c.before?.();
        const run = await timeToFirst200(c.command, c.args, envWithCopy(), options.verbose);
        times.push(run.ms);
        cpu.push(run.cpuMs);
      }
      const line = `start=${c.name} first_200_ms=${Math.round(median(times))} min_ms=${Math.round(Math.min(...times))} max_ms=${Math.round(Math.max(...times))} cpu_ms=${Math.round(median(cpu))} runs=${times.length}`;
      console.log(line);
      lines.push(line);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
