import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDatabase, getDb, nowIso, transaction } from '../db/connection';
import { checkpointLog } from '../db/checkpoint-log';
import { appendRecords, countRecords, recordsOfProposal, verifyLog, type RecordDraft } from '../db/decision-log';
import { advanceProposal, insertProposal, proposalRow, type ProposalStatePatch } from '../db/proposals';
import type { DecisionRecord, Proposal } from '../db/schema';
import { createProposal, decide } from '../app/features/vetting/vetting.server';
import type { ProposalState } from '../workflows/types';
import { agendaInput, daysFromToday, freshBenchDatabase, perceptionInput, riskInput, tempFile, valuesInput, type Cast } from './scenario';

// verifyLog() and the audit command over a large log. The log is real: a few
// proposals go through decide(), then their records are replayed onto many
// new proposals with appendRecords() in large transactions (the same hashing
// and chaining, without one fsync per decision).

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Template = { proposal: Proposal; records: DecisionRecord[] };

/** Walks one proposal through the service and keeps what it produced. */
function walk(cast: Cast, partnerId: number, commands: { by: 'lead' | 'staff'; command: unknown }[]): Template {
  const lead = cast.leads[0]!;
  const { id } = createProposal(lead, {
    partnerId,
    campaignId: cast.campaignId,
    eventTitle: 'Teach-in on home demolitions and forced evictions',
    eventDate: daysFromToday(45),
    eventPlace: 'Community Hall, 1200 W Main St',
    eventDescription: 'A panel and discussion followed by a letter-writing table.',
    kind: 'co_listing',
  });
  for (const { by, command } of commands) {
    const version = proposalRow(id)!.version;
    const result = decide({ proposalId: id, expectedVersion: version, actor: by === 'lead' ? lead : cast.staff[0]!, command });
    if (!result.ok) throw new Error(`Template refused: ${result.error.message}`);
  }
  return { proposal: proposalRow(id)!, records: recordsOfProposal(id) };
}

function templates(cast: Cast): Template[] {
  const lead = (command: unknown) => ({ by: 'lead' as const, command });
  const staff = (command: unknown) => ({ by: 'staff' as const, command });
  const mouNotNeeded = lead({ type: 'MOU_NOT_NEEDED', reason: 'A one-off co-listing on the partner’s page only.' });
  const approve = staff({ type: 'APPROVE', conditions: [], endDate: null, rationale: 'The vetting supports the partnership.' });
  return [
    walk(cast, cast.partners.plain[0]!, [
      lead({ type: 'SUBMIT_PROPOSAL' }),
      lead({ type: 'SUBMIT_VALUES', input: valuesInput('compatible') }),
      lead({ type: 'SUBMIT_AGENDA', input: agendaInput(false) }),
      lead({ type: 'SUBMIT_RISK', input: riskInput() }),
      mouNotNeeded,
      approve,
    ]),
    walk(cast, cast.partners.bds[0]!, [
      lead({ type: 'SUBMIT_PROPOSAL' }),
      lead({ type: 'SUBMIT_VALUES', input: valuesInput('concerns') }),
      lead({ type: 'SUBMIT_AGENDA', input: agendaInput(true) }),
      lead({ type: 'SUBMIT_RISK', input: riskInput() }),
      lead({ type: 'SUBMIT_PERCEPTION', input: perceptionInput(2) }),
      mouNotNeeded,
      approve,
    ]),
    walk(cast, cast.partners.plain[1]!, [
      lead({ type: 'SUBMIT_PROPOSAL' }),
      lead({ type: 'SUBMIT_VALUES', input: valuesInput('incompatible') }),
      staff({ type: 'REJECT', rationale: 'Independence is not met: the partner is a party campaign office.' }),
    ]),
    // A proposal still in draft: one record, used to make the total exact.
    walk(cast, cast.partners.plain[2]!, []),
  ];
}

/** A new proposal carrying a copy of the template's records, re-chained and re-hashed. */
function replay(template: Template, n: number): number {
  const t = template.proposal;
  const at = nowIso();
  const created = insertProposal({
    partnerId: t.partner_id,
    chapterId: t.chapter_id,
    proposerId: t.proposer_id,
    campaignId: t.campaign_id,
    eventTitle: `${t.event_title} (${n})`,
    eventDate: t.event_date,
    eventPlace: t.event_place,
    eventDescription: t.event_description,
    kind: t.kind,
    workflow: t.workflow,
    previousProposalId: null,
    createdAt: at,
  });
  const drafts: RecordDraft[] = template.records.map((r) => ({
    proposalId: created.id,
    partnerId: r.partner_id,
    chapterId: r.chapter_id,
    campaignId: r.campaign_id,
    step: r.step,
    outcome: r.outcome,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorRole: r.actor_role,
    rationale: r.rationale,
    inputs: r.inputs.split(t.reference).join(created.reference),
    configVersions: r.config_versions,
    fromState: r.from_state,
    toState: r.to_state,
  }));
  appendRecords(drafts, at);
  if (t.state !== 'draft') {
    const patch: ProposalStatePatch = {
      state: t.state as ProposalState,
      workflow: t.workflow,
      recommend_reject: t.recommend_reject,
      perception_required: t.perception_required,
      returned_to: t.returned_to,
      last_changed_by: t.last_changed_by,
      approved_until: t.approved_until,
      submitted_at: t.submitted_at ? at : null,
      decided_at: t.decided_at ? at : null,
    };
    if (!advanceProposal(created.id, 1, patch, at)) throw new Error('Could not set the replayed proposal state.');
  }
  return drafts.length;
}

/** Appends replayed proposals until the log holds `target` records, in large transactions. */
function growTo(target: number, plans: Template[], counter: { n: number }): void {
  const draftOnly = plans.at(-1)!;
  const cycle = plans.slice(0, -1);
  let records = countRecords();
  while (records < target) {
    // Large transactions: the chain is extended exactly as one decision at a time would.
    transaction(() => {
      const stop = Math.min(target, records + 5000);
      while (records < stop) {
        const next = cycle[counter.n % cycle.length]!;
        const template = records + next.records.length <= target ? next : draftOnly;
        records += replay(template, ++counter.n);
      }
    });
  }
}

export async function verifyBenchmark(options: { total: number; added?: number; verbose: boolean; keep?: boolean }): Promise<string> {
  const file = tempFile('verify.db');
  const cast = await freshBenchDatabase(file);
  const built = performance.now();
  const plans = templates(cast);
  const counter = { n: 0 };
  growTo(options.total, plans, counter);
  getDb().sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const buildMs = performance.now() - built;

  // The first checkpoint reads the whole log, as a server does on its first start.
  const firstSignStarted = performance.now();
  const firstSigned = checkpointLog();
  const firstSignMs = performance.now() - firstSignStarted;
  if (!firstSigned.ok) throw new Error(firstSigned.message);

  const started = performance.now();
  const result = verifyLog();
  const verifyMs = performance.now() - started;
  if (!result.ok || result.count !== options.total || result.checkpoints?.verified !== 1) {
    throw new Error(`verifyLog on the built log: ${JSON.stringify({ ...result, tree: undefined })}`);
  }

  // Records added since the checkpoint: incremental verification and signing read only those.
  const added = options.added ?? Math.max(1000, Math.round(options.total / 100));
  growTo(options.total + added, plans, counter);
  const incStarted = performance.now();
  const incremental = verifyLog({ incremental: true });
  const incrementalMs = performance.now() - incStarted;
  if (!incremental.ok || incremental.incrementalFrom !== options.total || incremental.count !== countRecords() - options.total) {
    throw new Error(`incremental verifyLog: ${JSON.stringify({ ...incremental, tree: undefined })}`);
  }
  const signStarted = performance.now();
  const signed = checkpointLog();
  const signMs = performance.now() - signStarted;
  if (!signed.ok || !signed.created) throw new Error(`checkpoint after growth: ${JSON.stringify(signed)}`);
  const totalNow = countRecords();
  const fullStarted = performance.now();
  const fullAgain = verifyLog();
  const fullAgainMs = performance.now() - fullStarted;
  if (!fullAgain.ok || fullAgain.checkpoints?.verified !== 2) throw new Error(`second full verifyLog: ${JSON.stringify({ ...fullAgain, tree: undefined })}`);
  closeDatabase();

  const cliStarted = performance.now();
  const cli = spawnSync(path.join(REPO, 'node_modules/.bin/tsx'), ['scripts/audit-verify.ts'], {
    cwd: REPO,
    env: { ...process.env, DATABASE_PATH: file },
    encoding: 'utf8',
  });
  const cliMs = performance.now() - cliStarted;
  if (cli.status !== 0 || !cli.stdout.startsWith(`OK ${totalNow} records, consistent with 2 signed checkpoints`)) {
    throw new Error(`audit:verify exited ${cli.status}: ${cli.stdout}${cli.stderr}`);
  }
  if (options.verbose) {
    console.error(
      `built ${options.total} records on ${counter.n + plans.length} proposals in ${Math.round(buildMs)} ms; first checkpoint (whole log) ${Math.round(firstSignMs)} ms; ` +
        `audit:verify says "${cli.stdout.trim()}" ${cli.stderr.trim()}; file ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`,
    );
  }
  if (options.keep) console.error(`kept ${file}`);
  else fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return (
    `records=${options.total} verify_ms=${Math.round(verifyMs)} ` +
    `added=${totalNow - options.total} incremental_verify_ms=${Math.round(incrementalMs)} incremental_sign_ms=${Math.round(signMs)} ` +
    `full_verify_ms_at_${totalNow}=${Math.round(fullAgainMs)} cli_ms=${Math.round(cliMs)}`
  );
}
