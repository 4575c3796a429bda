import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, getDb, qb, all, useDatabase } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { forgetInsights } from '../db/insights';
import { userByEmail } from '../db/users';
import { insightsFor, TABLE_NAMES, type InsightsFilter } from '../app/features/insights/insights.server';
import { scaleDatabase } from './pages';

// The insights page's server work at scale: every table of /insights (what its loader
// computes) for a few filters, on a copy of the scale generator's register (by default
// bench/out/pages-N, built once by the pages benchmark and reused), migrated to the latest
// schema. Prints p50/p95/max per filter, and per table with --verbose: computed afresh each
// call (the figures remembered since the log last moved are forgotten first), then read again
// as a second visit finds them (warm_*).

export type InsightsOptions = { proposals: number; calls: number; source?: string; verbose: boolean };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (x: number) => Math.round(x * 100) / 100;

export async function insightsBenchmark(options: InsightsOptions): Promise<string[]> {
  const source = options.source ?? scaleDatabase(options.proposals, options.verbose).file;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bench-insights-'));
  const file = path.join(dir, 'insights.db');
  try {
    fs.copyFileSync(source, file);
    useDatabase(file);
    await migrateToLatest(getDb());
    const counts = {
      proposals: all(qb().selectFrom('proposals').select((eb) => eb.fn.countAll<number>().as('n')))[0]!.n,
      records: all(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))[0]!.n,
    };
    const reviewer = userByEmail('reviewer@cosponsor.test') ?? userByEmail('admin@cosponsor.test');
    if (!reviewer) throw new Error('The database has no reviewer or admin to read the insights as.');
    const actor = { id: reviewer.id, name: reviewer.name, roles: reviewer.roles, chapterId: reviewer.chapter_id };
    // The busiest chapter and campaign, and the last full year of records.
    const busiest = (column: 'chapter_id' | 'campaign_id') =>
      all(qb().selectFrom('proposals').select(column).groupBy(column).orderBy((eb) => eb.fn.countAll(), 'desc').limit(1))[0]![column] as number;
    const last = all(qb().selectFrom('decision_records').select((eb) => eb.fn.max('at').as('at')))[0]!.at as string;
    const year = String(Number(last.slice(0, 4)) - 1);
    const none: InsightsFilter = { from: null, to: null, chapterId: null, campaignId: null };
    const filters: [string, InsightsFilter][] = [
      ['everything', none],
      ['one_chapter', { ...none, chapterId: busiest('chapter_id') }],
      ['one_campaign', { ...none, campaignId: busiest('campaign_id') }],
      [`year_${year}`, { ...none, from: `${year}-01-01`, to: `${year}-12-31` }],
      ['chapter_and_year', { ...none, chapterId: busiest('chapter_id'), from: `${year}-01-01`, to: `${year}-12-31` }],
    ];
    const today = last.slice(0, 10);
    const lines: string[] = [];
    for (const [name, filter] of filters) {
      for (let i = 0; i < 5; i++) insightsFor(actor, filter, today);
      const times: number[] = [];
      // This process's CPU time per call too: on a busy machine the wall clock also counts the
      // time spent waiting for a core, which the CPU time leaves out.
      const cpu: number[] = [];
      for (let i = 0; i < options.calls; i++) {
        forgetInsights();
        const c = process.cpuUsage();
        const t = performance.now();
        const result = insightsFor(actor, filter, today);
        times.push(performance.now() - t);
        const used = process.cpuUsage(c);
        cpu.push((used.user + used.system) / 1000);
        if (!result.ok) throw result.error;
      }
      const warm: number[] = [];
      for (let i = 0; i < options.calls; i++) {
        const t = performance.now();
        insightsFor(actor, filter, today);
        warm.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      warm.sort((a, b) => a - b);
      lines.push(
        `insights filter=${name} proposals=${counts.proposals} records=${counts.records} calls=${options.calls} p50_ms=${round(percentile(times, 50))} p95_ms=${round(percentile(times, 95))} max_ms=${round(times[times.length - 1]!)} cpu_p50_ms=${round(percentile(cpu, 50))} cpu_p95_ms=${round(percentile(cpu, 95))} warm_p50_ms=${round(percentile(warm, 50))} warm_p95_ms=${round(percentile(warm, 95))}`,
      );
      console.log(lines[lines.length - 1]);
      if (options.verbose) {
        // Each table alone, through the CSV path (one table per call).
        const { insightsCsv } = await import('../app/features/insights/insights.server');
        for (const table of TABLE_NAMES) {
          const each: number[] = [];
          const eachCpu: number[] = [];
          for (let i = 0; i < Math.min(options.calls, 50); i++) {
            forgetInsights();
            const c = process.cpuUsage();
            const t = performance.now();
            insightsCsv(actor, filter, table, today);
            each.push(performance.now() - t);
            const used = process.cpuUsage(c);
            eachCpu.push((used.user + used.system) / 1000);
          }
          each.sort((a, b) => a - b);
          eachCpu.sort((a, b) => a - b);
          console.error(`  ${table}: p50_ms=${round(percentile(each, 50))} p95_ms=${round(percentile(each, 95))} cpu_p50_ms=${round(percentile(eachCpu, 50))}`);
        }
      }
    }
    return lines;
  } finally {
    closeDatabase();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
