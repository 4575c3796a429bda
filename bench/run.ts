import { parseArgs } from 'node:util';

// npm run bench -- decisions [--count N] [--verbose]  (decide() against the same writes raw; runs compiled, as the server does)
// npm run bench -- decisions --instances N [--database postgres://server/db] [--count N]  (decide() from N processes at once on one SQLite file or PostgreSQL database)
// npm run bench -- verify    [--count N] [--added N] [--verbose] [--keep]  (full and incremental verification; --keep leaves the database file)
// npm run bench -- breakdown [--count N] [--verbose]  (pages and CPU per decision, with and without the record triggers)
// npm run bench -- pages     [--proposals N] [--duration S] [--connections C] [--database postgres://server/db] [--verbose]  (req/s per page of the built app against /help, and p95 server time)
// npm run bench -- start     [--runs N] [--verbose]  (ms from `npm start` to the first 200: built, after a source change, node alone, tsx)
// npm run bench -- js        (gzipped JavaScript of each page's first load, against the 100 KB budget)
// npm run bench -- insights  [--proposals N] [--calls N] [--source FILE] [--verbose]  (server time of every /insights table, p50/p95 per filter)
// npm run bench -- cluster   [--proposals N] [--duration S] [--connections C] [--pipelining P] [--loadgen-workers W] [--rounds R]  (rps of the page mix with 1 and with 2 worker processes, measured in turn in R slices each, and where the CPU went)
// npm run bench -- jobs      [--proposals N] [--added N] [--verbose]  (time and longest event-loop block of each background job's run on the scale register)
// npm run bench -- writes    [--proposals N] [--duration S] [--readers R] [--workers W]  (decision latency while R connections read /proposals)
// Each prints one line of figures on stdout; --verbose adds detail on stderr.
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    count: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    added: { type: 'string' },
    proposals: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    runs: { type: 'string' },
    calls: { type: 'string' },
    source: { type: 'string' },
    readers: { type: 'string' },
    workers: { type: 'string' },
    pipelining: { type: 'string' },
    'loadgen-workers': { type: 'string' },
    database: { type: 'string' },
    instances: { type: 'string' },
    rounds: { type: 'string' },
  },
});

// The log's key and checkpoints of a benchmark database live beside it, never in ./data.
if (!process.env.SIGNING_KEY_FILE || !process.env.CHECKPOINT_DIR) {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bench-log-'));
  process.env.SIGNING_KEY_FILE ??= path.join(dir, 'keys', 'log-signing.key');
  process.env.CHECKPOINT_DIR ??= path.join(dir, 'checkpoints');
  if (!values.keep) process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  else console.error(`log key and checkpoints in ${dir}`);
}

const which = positionals[0];
const count = values.count ? Number(values.count) : undefined;
if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
  console.error('--count must be a positive whole number.');
  process.exit(2);
}

if (which === 'decisions' && (values.instances !== undefined || values.database !== undefined)) {
  const instances = values.instances === undefined ? 1 : Number(values.instances);
  if (!(Number.isInteger(instances) && instances > 0)) {
    console.error('--instances must be a positive whole number.');
    process.exit(2);
  }
  const database = values.database ?? 'sqlite';
  if (database !== 'sqlite' && !/^postgres(ql)?:\/\//.test(database)) {
    console.error('--database must be sqlite or a postgres:// URL of a server the bench may create databases on.');
    process.exit(2);
  }
  const { decisionsInstancesBenchmark } = await import('./decisions-instances');
  console.log(await decisionsInstancesBenchmark({ total: count ?? 2000, instances, database, verbose: values.verbose }));
} else if (which === 'decisions') {
  // Compiled as the server is: decide() runs here, in the benchmark's own process.
  const { runCompiled } = await import('./compiled');
  process.exitCode = await runCompiled('bench/decisions-entry.ts', ['--count', String(count ?? 10_000), ...(values.verbose ? ['--verbose'] : [])]);
} else if (which === 'verify') {
  const { verifyBenchmark } = await import('./verify');
  console.log(
    await verifyBenchmark({ total: count ?? 100_000, added: values.added ? Number(values.added) : undefined, verbose: values.verbose, keep: values.keep }),
  );
} else if (which === 'breakdown') {
  const { breakdownBenchmark } = await import('./breakdown');
  console.log(await breakdownBenchmark({ total: count ?? 2000, verbose: values.verbose }));
} else if (which === 'pages' || which === 'cluster' || which === 'writes') {
  // --database postgres://server/db: the register moved into PostgreSQL on that server and served from there.
  const postgresDatabase = () => {
    if (values.database === undefined || values.database === 'sqlite') return undefined;
    if (!/^postgres(ql)?:\/\//.test(values.database) || which === 'writes') {
      console.error('--database must be sqlite or a postgres:// URL of a server the bench may create databases on (pages and cluster).');
      process.exit(2);
    }
    return values.database;
  };
  const whole = (value: string | undefined, fallback: number, name: string) => {
    const n = value === undefined ? fallback : Number(value);
    if (!(Number.isInteger(n) && n > 0)) {
      console.error(`--${name} must be a positive whole number.`);
      process.exit(2);
    }
    return n;
  };
  if (which === 'cluster') {
    const { clusterBenchmark } = await import('./cluster');
    await clusterBenchmark({
      proposals: whole(values.proposals, 20_000, 'proposals'),
      // 30 s a server in 10 slices of 3 s: in 5 slices of 2 s a round's own ratio ranged 1.56 to 2.10
      // within one run, and whole runs of the same code 1.66 to 1.83.
      duration: whole(values.duration, 30, 'duration'),
      connections: whole(values.connections, 10, 'connections'),
      verbose: values.verbose,
      pipelining: whole(values.pipelining, 1, 'pipelining'),
      loadgenWorkers: values['loadgen-workers'] === undefined ? 0 : whole(values['loadgen-workers'], 1, 'loadgen-workers'),
      database: postgresDatabase(),
      rounds: whole(values.rounds, 10, 'rounds'),
    });
    process.exit(0);
  }
  if (which === 'writes') {
    const { writesUnderLoadBenchmark } = await import('./writes-under-load');
    console.log(
      await writesUnderLoadBenchmark({
        proposals: whole(values.proposals, 20_000, 'proposals'),
        duration: whole(values.duration, 30, 'duration'),
        readers: whole(values.readers, 50, 'readers'),
        writers: 2,
        workers: whole(values.workers, (await import('node:os')).availableParallelism(), 'workers'),
        verbose: values.verbose,
      }),
    );
    process.exit(0);
  }
  const { pagesBenchmark } = await import('./pages');
  // Each page's line is printed as it is measured.
  await pagesBenchmark({
    proposals: whole(values.proposals, 20_000, 'proposals'),
    duration: whole(values.duration, 10, 'duration'),
    connections: whole(values.connections, 10, 'connections'),
    verbose: values.verbose,
    database: postgresDatabase(),
  });
  // Each page's JavaScript, gzipped, in the same output.
  await (await import('./js-size')).jsBenchmark();
} else if (which === 'start') {
  const runs = values.runs === undefined ? 5 : Number(values.runs);
  if (!(Number.isInteger(runs) && runs > 0)) {
    console.error('--runs must be a positive whole number.');
    process.exit(2);
  }
  const { startBenchmark } = await import('./start');
  await startBenchmark({ runs, verbose: values.verbose });
} else if (which === 'js') {
  const { jsBenchmark } = await import('./js-size');
  process.exitCode = (await jsBenchmark()) ? 0 : 1;
} else if (which === 'jobs') {
  const proposals = values.proposals === undefined ? 20_000 : Number(values.proposals);
  const added = values.added === undefined ? 200 : Number(values.added);
  if (!(Number.isInteger(proposals) && proposals > 0) || !(Number.isInteger(added) && added > 0)) {
    console.error('--proposals and --added must be positive whole numbers.');
    process.exit(2);
  }
  const { jobsBenchmark } = await import('./jobs');
  await jobsBenchmark({ proposals, added, verbose: values.verbose });
} else if (which === 'insights') {
  const proposals = values.proposals === undefined ? 20_000 : Number(values.proposals);
  const calls = values.calls === undefined ? 200 : Number(values.calls);
  if (!(Number.isInteger(proposals) && proposals > 0) || !(Number.isInteger(calls) && calls > 0)) {
    console.error('--proposals and --calls must be positive whole numbers.');
    process.exit(2);
  }
  const { insightsBenchmark } = await import('./insights');
  // Each filter's line is printed as it is measured.
  await insightsBenchmark({ proposals, calls, source: values.source, verbose: values.verbose });
} else {
  console.error(
    'Usage: npm run bench -- decisions | verify | breakdown [--count N] [--verbose] | pages | cluster [--proposals N] [--duration S] [--connections C] | writes [--proposals N] [--duration S] [--readers R] [--workers W] | jobs [--proposals N] [--added N] | start [--runs N] | js | insights [--proposals N] [--calls N] [--source FILE]',
  );
  process.exit(2);
}
