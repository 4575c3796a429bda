import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { closeDatabase, getDb } from '../db/connection';
import { checkpointLog } from '../db/checkpoint-log';
import { createProposal, decide } from '../app/features/vetting/vetting.server';
import type { ActingUser } from '../workflows/policy';
import {
  agendaInput,
  daysFromToday,
  freshBenchDatabase,
  perceptionInput,
  riskInput,
  tempFile,
  valuesInput,
  type Cast,
} from './scenario';
import { SameWrites } from './same-writes';

// decide() against a raw, equally durable insert: each on its own fresh file
// under the pragmas of db/connection.ts, one transaction per write.

type Step = { by: 'lead' | 'staff'; command: unknown };
type Plan = { name: string; bdsPartner: boolean; steps: Step[] };

const lead = (command: unknown): Step => ({ by: 'lead', command });
const staff = (command: unknown): Step => ({ by: 'staff', command });
const mouNotNeeded = lead({ type: 'MOU_NOT_NEEDED', reason: 'A one-off co-listing on the partner’s event page only.' });
const approve = (conditions: string[]) =>
  staff({ type: 'APPROVE', conditions, endDate: null, rationale: 'The vetting supports the partnership.' });

const PLANS: Record<string, Plan> = {
  approve: {
    name: 'approve',
    bdsPartner: false,
    steps: [
      lead({ type: 'SUBMIT_PROPOSAL' }),
      lead({ type: 'SUBMIT_VALUES', input: valuesInput('compatible') }),
      lead({ type: 'SUBMIT_AGENDA', input: agendaInput(false) }),
      lead({ type: 'SUBMIT_RISK', input: riskInput() }),
      mouNotNeeded,
      approve([]),
    ],
  },
  perception: {
    name: 'perception',
    bdsPartner: true,
    steps: [
      lead({ type: 'SUBMIT_PROPOSAL' }),
      lead({ type: 'SUBMIT_VALUES', input: valuesInput('concerns') }),
      lead({ type: 'SUBMIT_AGENDA', input: agendaInput(true) }),
      lead({ type: 'SUBMIT_RISK', input: riskInput() }),
      lead({ type: 'SUBMIT_PERCEPTION', input: perceptionInput(2) }),
      mouNotNeeded,
      approve(['The co-sponsorship listing carries the disclaimer of the organization’s position.']),
    ],
  },
  incompatible: {
    name: 'incompatible',
    bdsPartner: false,
    steps: [
      lead({ type: 'SUBMIT_PROPOSAL' }),
      lead({ type: 'SUBMIT_VALUES', input: valuesInput('incompatible') }),
      staff({ type: 'REJECT', rationale: 'The partner is a party campaign office: independence is not met.' }),
    ],
  },
  changes: {
    name: 'changes',
    bdsPartner: false,
    steps: [
      lead({ type: 'SUBMIT_PROPOSAL' }),
      lead({ type: 'SUBMIT_VALUES', input: valuesInput('compatible') }),
      lead({ type: 'SUBMIT_AGENDA', input: agendaInput(false) }),
      lead({ type: 'SUBMIT_RISK', input: riskInput() }),
      mouNotNeeded,
      staff({ type: 'REQUEST_CHANGES', step: 'risk', rationale: 'Add the participant-safety risk of the march afterwards.' }),
      lead({ type: 'SUBMIT_RISK', input: riskInput() }),
      mouNotNeeded,
      approve([]),
    ],
  },
  withdraw: {
    name: 'withdraw',
    bdsPartner: false,
    steps: [
      lead({ type: 'SUBMIT_PROPOSAL' }),
      lead({ type: 'SUBMIT_VALUES', input: valuesInput('compatible') }),
      lead({ type: 'SUBMIT_AGENDA', input: agendaInput(false) }),
      lead({ type: 'WITHDRAW', reason: 'The partner cancelled the event.' }),
    ],
  },
};

/** The order proposals follow: mostly approvals, some perception reviews, rejections, returns, withdrawals. */
const MIX = ['approve', 'perception', 'approve', 'changes', 'incompatible', 'approve', 'perception', 'withdraw'];

/**
 * Walks proposals through decide(), a block of calls at a time. Only the
 * decide() calls are timed; creating a proposal is timed apart.
 */
export class DecisionStream {
  decisions = 0;
  decideMs = 0;
  /** CPU time of the decide() calls (user + system), in µs: steadier than wall time when others share the machine. */
  decideCpuUs = 0;
  proposals = 0;
  createMs = 0;
  recordsWritten = 0;
  private queue: { id: number; plan: Plan; who: ReturnType<typeof pickCast>; step: number; version: number } | null = null;

  /** Called after each createProposal and decide() call, outside the timed part. */
  afterCall?: (kind: 'create' | 'decide', proposalId: number) => void;

  constructor(private readonly cast: Cast) {}

  run(count: number): void {
    for (let done = 0; done < count; done++) {
      if (!this.queue || this.queue.step >= this.queue.plan.steps.length) this.queue = this.newProposal();
      const q = this.queue;
      const step = q.plan.steps[q.step++]!;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = decide({ proposalId: q.id, expectedVersion: q.version, actor: step.by === 'lead' ? q.who.lead : q.who.staff, command: step.command });
      this.decideMs += performance.now() - started;
      const used = process.cpuUsage(cpu);
      this.decideCpuUs += used.user + used.system;
      this.decisions++;
      this.afterCall?.('decide', q.id);
      if (!result.ok) {
        throw new Error(`${q.plan.name}: ${JSON.stringify(step.command).slice(0, 60)} refused (${result.error.kind}): ${result.error.message}`);
      }
      q.version = result.proposal.version;
      this.recordsWritten += result.records.length;
    }
  }

  private newProposal() {
    const p = this.proposals++;
    const plan = PLANS[MIX[p % MIX.length]!]!;
    const who = pickCast(this.cast, p, plan);
    const started = performance.now();
    const { id } = createProposal(who.lead, {
      partnerId: who.partnerId,
      campaignId: this.cast.campaignId,
      eventTitle: `Teach-in ${p + 1}: home demolitions and forced evictions`,
      eventDate: daysFromToday(30 + (p % 200)),
      eventPlace: 'Community Hall, 1200 W Main St',
      eventDescription: 'A panel and discussion with a researcher, a lawyer and a local organizer, followed by a letter-writing table.',
      kind: plan.bdsPartner ? 'co_hosting' : 'co_listing',
    });
    this.createMs += performance.now() - started;
    this.afterCall?.('create', id);
    return { id, plan, who, step: 0, version: 1 };
  }
}

/** A fresh database and a stream of decisions on it. */
export async function decisionStream(options: { afterSetup?: (sqlite: SQLite.Database) => void } = {}) {
  const file = tempFile('decisions.db');
  const cast = await freshBenchDatabase(file);
  // Only for experiments (what a pragma or a trigger costs); the benchmark itself passes none.
  options.afterSetup?.(getDb().sqlite);
  return { file, stream: new DecisionStream(cast) };
}

function pickCast(cast: Cast, p: number, plan: Plan): { lead: ActingUser; staff: ActingUser; partnerId: number } {
  const partners = plan.bdsPartner ? cast.partners.bds : cast.partners.plain;
  return {
    lead: cast.leads[p % cast.leads.length]!,
    staff: cast.staff[p % cast.staff.length]!,
    partnerId: partners[p % partners.length]!,
  };
}

/**
 * The raw table: decision_records as the migrations define it, with the same
 * secondary indexes (the floor cost of a record includes them), but without
 * foreign keys, triggers (append-only guards, search indexing) or anything else
 * the service adds on top.
 */
export function recordTableDdl(source: SQLite.Database): string[] {
  const table = source.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'decision_records'").get() as { sql: string };
  const indexes = source
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'decision_records' AND sql IS NOT NULL ORDER BY name")
    .all() as { sql: string }[];
  return [table.sql.replace(/\s+REFERENCES\s+\w+\s*\(\w+\)/g, ''), ...indexes.map((i) => i.sql)];
}

type Row = Record<string, unknown>;

/** Raw inserts into a fresh file under the pragmas of db/connection.ts, one transaction each. */
export class RawInserts {
  inserts = 0;
  ms = 0;
  readonly file = tempFile('raw.db');
  private readonly sqlite: SQLite.Database;
  private readonly insertOne: SQLite.Transaction<(row: Row) => SQLite.RunResult>;

  constructor(ddl: string[]) {
    this.sqlite = new SQLite(this.file);
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma('synchronous = FULL');
    this.sqlite.pragma('foreign_keys = ON');
    this.sqlite.pragma('busy_timeout = 5000');
    this.sqlite.pragma('temp_store = MEMORY');
    for (const statement of ddl) this.sqlite.exec(statement);
    const insert = this.sqlite.prepare(
      `INSERT INTO decision_records (seq, proposal_id, partner_id, chapter_id, campaign_id, step, outcome, actor_id, actor_name,
         actor_role, at, rationale, inputs, config_versions, from_state, to_state, prev_hash, proposal_prev_hash, hash)
       VALUES (@seq, @proposal_id, @partner_id, @chapter_id, @campaign_id, @step, @outcome, @actor_id, @actor_name,
         @actor_role, @at, @rationale, @inputs, @config_versions, @from_state, @to_state, @prev_hash, @proposal_prev_hash, @hash)`,
    );
    this.insertOne = this.sqlite.transaction((row: Row) => insert.run(row));
  }

  /** Inserts copies of the sample rows (cycled), so sizes match what decisions write. */
  run(count: number, samples: Row[]): void {
    // Rows prepared before timing: the timed part is the durable write alone.
    const rows = Array.from({ length: count }, (_, i) => {
      const n = this.inserts + i + 1;
      const sample = samples[(n - 1) % samples.length]!;
      return { ...sample, seq: n, hash: `${String(sample.hash).slice(0, 54)}${String(n).padStart(10, '0')}` };
    });
    const started = performance.now();
    for (const row of rows) this.insertOne.immediate(row);
    this.ms += performance.now() - started;
    this.inserts += count;
  }

  /** For counting the pages each insert writes (bench -- breakdown): keeps every frame in the WAL. */
  stopCheckpoints(): void {
    this.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    this.sqlite.pragma('wal_autocheckpoint = 0');
  }

  close(): void {
    this.sqlite.close();
  }
}

/**
 * decide() and its two raw counterparts one for one: each decision is followed
 * at once by the raw replay of the rows it wrote and by one raw record insert.
 * Run in blocks of 250 instead, a block of replays ran back to back on caches
 * (CPU, SQLite's page cache, the disk's) that only replays had warmed, while
 * each decide() ran after 250 others; the replay then measured 0.48 ms where,
 * interleaved, it takes 0.58 ms (CPU 321 against 409 µs), which made the ratio
 * compare unequal conditions. Interleaved, every timed write of either side
 * follows a write of the other side, under the same load from the rest of the
 * machine.
 */
export async function decisionsBenchmark(options: {
  total: number;
  verbose: boolean;
  block?: number;
  /** Fixes the settings as a server does at start (server.ts), once the bench's own are set. */
  fixSettings?: () => void;
}): Promise<string> {
  // How often a checkpoint is signed (timed apart), in decisions.
  const block = options.block ?? 250;
  // A deployment announces decisions: with a channel configured, each decision that
  // enters review or is decided queues its outbox row in its transaction. Nothing is
  // delivered here (no outbox job runs), so the address is never called.
  process.env.SLACK_WEBHOOK_URL ||= 'https://hooks.example.invalid/services/bench';
  const { file, stream } = await decisionStream();
  options.fixSettings?.();
  const raw = new RawInserts(recordTableDdl(getDb().sqlite));
  // Every row each decision writes, replayed raw on a copy of the same database.
  const same = new SameWrites(getDb().sqlite);
  stream.afterCall = (kind, proposalId) => same.capture(kind, proposalId);
  const samples = getDb().sqlite.prepare('SELECT * FROM decision_records WHERE seq > ? ORDER BY seq LIMIT ?');
  let sampledTo = 0;
  // The server signs a checkpoint at most once a minute while the log grows:
  // here once per block, timed apart from decide(), to give its cost per decision.
  let checkpointMs = 0;
  let checkpoints = 0;
  while (stream.decisions < options.total) {
    const count = Math.min(block, options.total - stream.decisions);
    for (let i = 0; i < count; i++) {
      stream.run(1);
      same.replay();
      // The raw row is a copy of a record the decisions just wrote.
      const rows = samples.all(sampledTo, 1) as Row[];
      sampledTo = rows.length > 0 ? Number(rows.at(-1)!.seq) : sampledTo;
      raw.run(1, rows);
    }
    const signStarted = performance.now();
    const signed = checkpointLog();
    checkpointMs += performance.now() - signStarted;
    if (!signed.ok) throw new Error(signed.message);
    checkpoints += 1;
  }
  raw.close();
  // Only a replay that wrote exactly what decide() wrote measures the same work.
  const differing = same.differences();
  if (differing.length > 0) throw new Error(`The raw replay did not write the same rows as decide() in: ${differing.join(', ')}`);
  same.close();
  closeDatabase();
  const decisionsPerS = stream.decisions / (stream.decideMs / 1000);
  const rawPerS = raw.inserts / (raw.ms / 1000);
  if (options.verbose) {
    console.error(
      `decide: ${stream.decisions} calls in ${stream.decideMs.toFixed(0)} ms (${(stream.decideMs / stream.decisions).toFixed(3)} ms each), ` +
        `${stream.recordsWritten} records; createProposal: ${stream.proposals} in ${stream.createMs.toFixed(0)} ms; ` +
        `raw: ${raw.inserts} in ${raw.ms.toFixed(0)} ms (${(raw.ms / raw.inserts).toFixed(3)} ms each); interleaved one for one`,
    );
  }
  const samePerS = same.decisions / (same.ms / 1000);
  if (options.verbose) {
    console.error(`same writes: ${same.decisions} decisions (${same.inserts} rows) in ${same.ms.toFixed(0)} ms (${(same.ms / same.decisions).toFixed(3)} ms each): ${JSON.stringify(Object.fromEntries(same.rowsByTable))}`);
    // CPU time alone leaves out the waits (fsync, and other processes holding the cores).
    console.error(
      `cpu per decision: decide ${Math.round(stream.decideCpuUs / stream.decisions)} µs, same writes raw ${Math.round(same.cpuUs / same.decisions)} µs`,
    );
  }
  for (const f of [file, raw.file, same.file]) fs.rmSync(path.dirname(f), { recursive: true, force: true });
  if (options.verbose) console.error(`checkpoints: ${checkpoints} signed in ${checkpointMs.toFixed(0)} ms (${(checkpointMs / checkpoints).toFixed(1)} ms each)`);
  return (
    `decisions_per_s=${Math.round(decisionsPerS)} raw_insert_per_s=${Math.round(rawPerS)} ratio=${(decisionsPerS / rawPerS).toFixed(2)} ` +
    `checkpoint_ms_per_decision=${(checkpointMs / stream.decisions).toFixed(3)} decide_ms_per_decision=${(stream.decideMs / stream.decisions).toFixed(3)}\n` +
    `same_writes_raw_per_s=${Math.round(samePerS)} overhead_ratio=${(decisionsPerS / samePerS).toFixed(2)}`
  );
}
