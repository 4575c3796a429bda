// Where a server's CPU goes per request, window after window of the same load: the main threads of
// its processes (JavaScript, SQLite, the sockets) against their other threads (the optimizing
// compiler, the garbage collector's helpers), and the load generator (this process). It shows how
// long the compiler keeps working after a start, and what a Node flag changes.
//
//   npx tsx bench/cluster-threads.ts [--flags="--max-semi-space-size=64"] [--workers N] [--windows N] [--seconds S] [--proposals N]
//
// The flags replace the ones `npm start` gives node (package.json); --flags= runs without any.
// Linux only (/proc). Serves a copy of the pages bench's register, like the other benches.
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { pageMix, startOnCopy } from './cluster';

const { values } = parseArgs({
  options: {
    flags: { type: 'string' },
    workers: { type: 'string', default: '1' },
    windows: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '10' },
    proposals: { type: 'string', default: '20000' },
  },
});
if (values.flags !== undefined) process.env.BENCH_SERVER_NODE_FLAGS = values.flags;
const workers = Number(values.workers);

const server = await startOnCopy(Number(values.proposals), workers, false);
try {
  // The cluster bench's mix of pages.
  const requests = await pageMix(server);

  const processes = () => [
    server.pid,
    ...fs
      .readdirSync(`/proc/${server.pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${server.pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number),
  ];
  /** Clock ticks (1/100 s) of the main threads and of every other thread of the server's processes. */
  const ticks = () => {
    let main = 0;
    let other = 0;
    for (const pid of processes()) {
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        try {
          const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          const used = Number(fields[11]) + Number(fields[12]);
          if (Number(tid) === pid) main += used;
          else other += used;
        } catch {
          // a thread that ended between the listing and the read
        }
      }
    }
    return { main, other };
  };
  const flags = process.env.BENCH_SERVER_NODE_FLAGS ?? '(npm start)';
  for (let window = 1; window <= Number(values.windows); window++) {
    const before = ticks();
    const cpu = process.cpuUsage();
    const result = await autocannon({ url: server.url, connections: 10, requests, duration: Number(values.seconds) });
    const after = ticks();
    const loadgen = process.cpuUsage(cpu);
    const n = result.requests.total;
    const perRequest = (ticksUsed: number) => ((ticksUsed * 10) / n).toFixed(2);
    console.log(
      `threads flags="${flags}" workers=${workers} window=${window} rps=${(n / result.duration).toFixed(1)}` +
        ` main_ms_per_req=${perRequest(after.main - before.main)} other_threads_ms_per_req=${perRequest(after.other - before.other)}` +
        ` loadgen_ms_per_req=${((loadgen.user + loadgen.system) / 1000 / n).toFixed(2)} failed=${result.non2xx + result.errors} loadavg=${os.loadavg()[0]!.toFixed(1)}`,
    );
  }
} finally {
  await server.stop();
}
process.exit(0);
