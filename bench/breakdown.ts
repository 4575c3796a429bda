import fs from 'node:fs';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import { closeDatabase, getDb } from '../db/connection';
import { decisionStream, RawInserts, recordTableDdl } from './decisions';

// Where a decision's cost goes, in figures that do not depend on how busy the
// machine is: pages written to the WAL per commit (each commit is one fsync of
// that many pages), with and without the triggers that fire on every appended
// record. CPU time per decide() is given too; it is steadier than wall time on
// a shared machine, but not immune.

/** Triggers on decision_records other than the append-only guards (search indexing and the like). */
function recordTriggers(sqlite: SQLite.Database): string[] {
  const rows = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'decision_records' ORDER BY name")
    .all() as { name: string }[];
  return rows.map((r) => r.name).filter((name) => !/_no_(update|delete)$/.test(name));
}

const walPages = (file: string) => (fs.statSync(`${file}-wal`).size - 32) / (4096 + 24);

/** Counts WAL pages by stopping checkpoints; the page size is SQLite's default 4096. */
async function decidePages(count: number, dropTriggers: boolean) {
  let dropped: string[] = [];
  const { file, stream } = await decisionStream({
    afterSetup: (sqlite) => {
      if (dropTriggers) for (const name of (dropped = recordTriggers(sqlite))) sqlite.exec(`DROP TRIGGER ${name}`);
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      sqlite.pragma('wal_autocheckpoint = 0');
    },
  });
  stream.run(count);
  const pages = walPages(file) / count;
  const ddl = recordTableDdl(getDb().sqlite);
  const samples = getDb().sqlite.prepare('SELECT * FROM decision_records ORDER BY seq').all() as Record<string, unknown>[];
  closeDatabase();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return { pages, records: stream.recordsWritten / count, dropped, ddl, samples };
}

async function decideCpu(count: number, dropTriggers: boolean) {
  const { file, stream } = await decisionStream({
    afterSetup: (sqlite) => {
      if (dropTriggers) for (const name of recordTriggers(sqlite)) sqlite.exec(`DROP TRIGGER ${name}`);
    },
  });
  stream.run(Math.min(300, count)); // warm-up: JIT, caches
  const before = process.cpuUsage();
  stream.run(count);
  const used = process.cpuUsage(before);
  closeDatabase();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return (used.user + used.system) / count;
}

export async function breakdownBenchmark(options: { total: number; verbose: boolean }): Promise<string> {
  const count = Math.min(options.total, 2000);
  const asIs = await decidePages(count, false);
  const bare = await decidePages(count, true);
  const raw = new RawInserts(asIs.ddl);
  raw.stopCheckpoints();
  raw.run(count, asIs.samples);
  const rawPages = walPages(raw.file) / count;
  raw.close();
  fs.rmSync(path.dirname(raw.file), { recursive: true, force: true });
  const cpu = await decideCpu(count, false);
  const cpuBare = await decideCpu(count, true);
  if (options.verbose) {
    console.error(`${count} decisions, ${asIs.records.toFixed(2)} records each; triggers left out: ${bare.dropped.join(', ') || 'none'}`);
  }
  return (
    `pages_per_decide=${asIs.pages.toFixed(1)} pages_per_decide_without_record_triggers=${bare.pages.toFixed(1)} ` +
    `pages_per_raw_insert=${rawPages.toFixed(1)} cpu_us_per_decide=${Math.round(cpu)} ` +
    `cpu_us_per_decide_without_record_triggers=${Math.round(cpuBare)}`
  );
}
