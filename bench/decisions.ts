import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { closeDatabase, getDb } from '../db/connection';
import { createProposal, decide } from '../app/services/vetting.server';
import type { ActingUser } from '../app/services/permissions';
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

// decide() against a raw, equally durable insert: both on a fresh file under
// the pragmas of db/connection.ts, one transaction per write.

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

export type DecisionsResult = {
  decisions: number;
  decideMs: number;
  proposals: number;
  createMs: number;
  recordsWritten: number;
  file: string;
};

export async function runDecisions(total: number, options: { pragmas?: string[] } = {}): Promise<DecisionsResult> {
  const file = tempFile('decisions.db');
  const cast = await freshBenchDatabase(file);
  // Only for experiments (profiling what the disk costs); the benchmark itself passes none.
  for (const pragma of options.pragmas ?? []) getDb().sqlite.pragma(pragma);
  let decisions = 0;
  let decideMs = 0;
  let createMs = 0;
  let proposals = 0;
  let recordsWritten = 0;
  for (let p = 0; decisions < total; p++) {
    const plan = PLANS[MIX[p % MIX.length]!]!;
    const who = pickCast(cast, p, plan);
    const t0 = performance.now();
    const created = createProposal(who.lead, {
      partnerId: who.partnerId,
      campaignId: cast.campaignId,
      eventTitle: `Teach-in ${p + 1}: home demolitions and forced evictions`,
      eventDate: daysFromToday(30 + (p % 200)),
      eventPlace: 'Community Hall, 1200 W Main St',
      eventDescription: 'A panel and discussion with a researcher, a lawyer and a local organizer, followed by a letter-writing table.',
      kind: plan.bdsPartner ? 'co_hosting' : 'co_listing',
    });
    createMs += performance.now() - t0;
    proposals++;
    let version = 1;
    for (const step of plan.steps) {
      if (decisions >= total) break;
      const actor = step.by === 'lead' ? who.lead : who.staff;
      const started = performance.now();
      const result = decide({ proposalId: created.id, expectedVersion: version, actor, command: step.command });
      decideMs += performance.now() - started;
      decisions++;
      if (!result.ok) {
        throw new Error(`${plan.name}: ${JSON.stringify(step.command).slice(0, 60)} refused (${result.error.kind}): ${result.error.message}`);
      }
      version = result.proposal.version;
      recordsWritten += result.records.length;
    }
  }
  return { decisions, decideMs, proposals, createMs, recordsWritten, file };
}

function pickCast(cast: Cast, p: number, plan: Plan): { lead: ActingUser; staff: ActingUser; partnerId: number } {
  const partners = plan.bdsPartner ? cast.partners.bds : cast.partners.plain;
  return {
    lead: cast.leads[p % cast.leads.length]!,
    staff: cast.staff[p % cast.staff.length]!,
    partnerId: partners[p % partners.length]!,
  };
}

const RECORD_TABLE = `CREATE TABLE decision_records (
    seq INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL,
    partner_id INTEGER NOT NULL,
    chapter_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    step TEXT NOT NULL,
    outcome TEXT NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    at TEXT NOT NULL,
    rationale TEXT NOT NULL DEFAULT '',
    inputs TEXT NOT NULL,
    config_versions TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    proposal_prev_hash TEXT,
    hash TEXT NOT NULL UNIQUE
  )`;

// The same secondary indexes as the real table: the floor cost of a record includes them.
const RECORD_INDEXES = [
  'CREATE INDEX decision_records_proposal ON decision_records(proposal_id, seq)',
  'CREATE INDEX decision_records_partner ON decision_records(partner_id, seq)',
  'CREATE INDEX decision_records_chapter ON decision_records(chapter_id, seq)',
  'CREATE INDEX decision_records_campaign ON decision_records(campaign_id, seq)',
  'CREATE INDEX decision_records_actor ON decision_records(actor_id, seq)',
  'CREATE INDEX decision_records_step_outcome ON decision_records(step, outcome, seq)',
  'CREATE INDEX decision_records_at ON decision_records(at)',
];

type Row = Record<string, unknown>;

/**
 * Inserts `total` rows, one transaction each, with raw better-sqlite3. The rows
 * are copies of the records the decisions run wrote (cycled), so sizes match.
 */
export function runRawInserts(total: number, samples: Row[]): { inserts: number; ms: number; file: string } {
  const file = tempFile('raw.db');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.exec(RECORD_TABLE);
  for (const index of RECORD_INDEXES) sqlite.exec(index);
  const insert = sqlite.prepare(
    `INSERT INTO decision_records (seq, proposal_id, partner_id, chapter_id, campaign_id, step, outcome, actor_id, actor_name,
       actor_role, at, rationale, inputs, config_versions, from_state, to_state, prev_hash, proposal_prev_hash, hash)
     VALUES (@seq, @proposal_id, @partner_id, @chapter_id, @campaign_id, @step, @outcome, @actor_id, @actor_name,
       @actor_role, @at, @rationale, @inputs, @config_versions, @from_state, @to_state, @prev_hash, @proposal_prev_hash, @hash)`,
  );
  const insertOne = sqlite.transaction((row: Row) => insert.run(row));
  // Rows prepared before timing: the timed part is the durable write alone.
  const rows = Array.from({ length: total }, (_, i) => {
    const sample = samples[i % samples.length]!;
    return { ...sample, seq: i + 1, hash: `${String(sample.hash).slice(0, 56)}${String(i).padStart(8, '0')}` };
  });
  const started = performance.now();
  for (const row of rows) insertOne.immediate(row);
  const ms = performance.now() - started;
  sqlite.close();
  return { inserts: total, ms, file };
}

export async function decisionsBenchmark(options: { total: number; verbose: boolean }): Promise<string> {
  const decisions = await runDecisions(options.total);
  const samples = getDb().sqlite.prepare('SELECT * FROM decision_records ORDER BY seq').all() as Row[];
  closeDatabase();
  const raw = runRawInserts(options.total, samples);
  const decisionsPerS = decisions.decisions / (decisions.decideMs / 1000);
  const rawPerS = raw.inserts / (raw.ms / 1000);
  if (options.verbose) {
    console.error(
      `decide: ${decisions.decisions} calls in ${decisions.decideMs.toFixed(0)} ms (${(decisions.decideMs / decisions.decisions).toFixed(3)} ms each), ` +
        `${decisions.recordsWritten} records; createProposal: ${decisions.proposals} in ${decisions.createMs.toFixed(0)} ms; ` +
        `raw: ${raw.inserts} in ${raw.ms.toFixed(0)} ms (${(raw.ms / raw.inserts).toFixed(3)} ms each)`,
    );
  }
  for (const f of [decisions.file, raw.file]) fs.rmSync(path.dirname(f), { recursive: true, force: true });
  return `decisions_per_s=${Math.round(decisionsPerS)} raw_insert_per_s=${Math.round(rawPerS)} ratio=${(decisionsPerS / rawPerS).toFixed(2)}`;
}
