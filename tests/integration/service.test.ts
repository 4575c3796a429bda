// The decision service on a real SQLite file: optimistic concurrency, refusals
// that write nothing, and the records each accepted command writes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { activeConfig } from '../../db/config';
import { all, database, first, qb } from '../../db/connection';
import { changeFingerprint } from '../support/sql';
import { recordsOfProposal, verifyLog } from '../../db/decision-log';
import { proposalRow } from '../../db/proposals';
import { canonicalJson } from '../../db/record-hash';
import type { DecisionRecord } from '../../db/schema';
import { createUser, userByEmail } from '../../db/users';
import { SYSTEM_ACTOR, type ActingUser } from '../../workflows/policy';
import { createProposal, decide, type DecideResult, type DecisionErrorKind } from '../../app/features/vetting/vetting.server';
import { SKIP_RULES } from '../../workflows';

const REPO = path.resolve(__dirname, '../..');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');

function acting(email: string): ActingUser {
  const u = userByEmail(email);
  if (!u) throw new Error(`No demo user ${email}`);
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
}

let lead: ActingUser;
let lead2: ActingUser;
let staff: ActingUser;
let staff2: ActingUser;
let reviewer: ActingUser;
let admin: ActingUser;
let plainPartner: number;
let bdsPartner: number;
let campaign: number;

beforeAll(() => {
  lead = acting('lead@cosponsor.test');
  lead2 = acting('lead2@cosponsor.test');
  staff = acting('staff@cosponsor.test');
  staff2 = acting('staff2@cosponsor.test');
  reviewer = acting('reviewer@cosponsor.test');
  admin = acting('admin@cosponsor.test');
  const partner = (name: string) => first(qb().selectFrom('partners').select('id').where('name', '=', name))!.id;
  plainPartner = partner('Northside Film Collective');
  bdsPartner = partner('Lakeshore University Students for Palestinian Rights');
  campaign = first(qb().selectFrom('campaigns').select('id').where('key', '=', 'israel_opt'))!.id;
});

// ---- Payloads ----

const CRITERIA = ['independence', 'non_discrimination', 'human_rights_standards', 'mutual_respect', 'transparency'];
function values(overrides: Record<string, string> = {}) {
  const ratings: Record<string, { rating: string; evidence: string; links: string[] }> = {};
  for (const key of CRITERIA) {
    ratings[key] = { rating: overrides[key] ?? 'meets', evidence: `Checked ${key} on the group's site.`, links: [] };
  }
  return { type: 'SUBMIT_VALUES', input: { ratings } };
}
const AGENDA = {
  type: 'SUBMIT_AGENDA',
  input: {
    items: [
      { text: 'Stop home demolitions in East Jerusalem', scope: 'event', classification: 'aligned', positionKey: 'cancel_evictions_demolitions' },
    ],
  },
};
const AGENDA_WITH_BDS = {
  type: 'SUBMIT_AGENDA',
  input: {
    items: [
      ...AGENDA.input.items,
      { text: 'Support the BDS call', scope: 'general', classification: 'no_position', positionKey: 'bds_movement' },
    ],
  },
};
const riskItem = (over: Record<string, unknown> = {}) => ({
  kind: 'risk',
  category: 'reputation',
  description: 'Speakers may present the event as an endorsement.',
  likelihood: 3,
  impact: 3,
  mitigation: 'Brief every speaker on agreed talking points.',
  residualLikelihood: 1,
  residualImpact: 3,
  ...over,
});
const benefitItem = {
  kind: 'benefit',
  category: 'mission_impact',
  description: 'Reaches students new to the chapter.',
  likelihood: 4,
  impact: 4,
  mitigation: null,
  residualLikelihood: null,
  residualImpact: null,
};
const RISK = { type: 'SUBMIT_RISK', input: { items: [riskItem(), benefitItem] } };
const PERCEPTION_KEYS = [
  'no_boycott_call_in_name',
  'not_on_bds_materials',
  'logo_not_beside_bds',
  'speakers_no_bds_advocacy',
  'no_bds_signup',
  'approved_talking_points',
  'disclaimer_on_listing',
  'written_acceptance',
];
const PERCEPTION = {
  type: 'SUBMIT_PERCEPTION',
  input: {
    answers: Object.fromEntries(
      PERCEPTION_KEYS.map((k, i) => [k, { answer: i === 6 ? 'condition' : 'met', note: '' }]),
    ),
  },
};
const MOU_NOT_NEEDED = { type: 'MOU_NOT_NEEDED', reason: 'A one-off co-listing on the partner’s page only.' };
const APPROVE = { type: 'APPROVE', conditions: [], endDate: null, rationale: '' };
const REJECT = { type: 'REJECT', rationale: 'The agenda conflicts with the organization’s positions.' };

// ---- Helpers ----

function daysAhead(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function propose(by: ActingUser = lead, partnerId = plainPartner): number {
  return createProposal(by, {
    partnerId,
    campaignId: campaign,
    eventTitle: 'Teach-in on home demolitions',
    eventDate: daysAhead(40),
    eventPlace: 'Community Hall',
    eventDescription: 'A panel and a letter-writing table.',
    kind: 'co_listing',
  }).id;
}

function send(proposalId: number, actor: ActingUser, command: unknown, expectedVersion?: number): DecideResult {
  const version = expectedVersion ?? proposalRow(proposalId)!.version;
  return decide({ proposalId, expectedVersion: version, actor, command });
}

function accept(proposalId: number, actor: ActingUser, command: unknown): DecisionRecord[] {
  const result = send(proposalId, actor, command);
  if (!result.ok) throw new Error(`${JSON.stringify(command).slice(0, 60)} refused: ${result.error.kind} ${result.error.message}`);
  return result.records;
}

/** A proposal by `by`, walked to review without a perception review. */
function inReview(by: ActingUser = lead): number {
  const id = propose(by);
  for (const command of [{ type: 'SUBMIT_PROPOSAL' }, values(), AGENDA, RISK, MOU_NOT_NEEDED]) accept(id, by, command);
  expect(proposalRow(id)!.state).toBe('review');
  return id;
}

function count(table: 'decision_records' | 'step_submissions' | 'agenda_items' | 'risk_items' | 'proposals'): number {
  return Number(first(qb().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')))!.n);
}

/** Everything a refused decision must leave untouched. */
function snapshot(proposalId: number) {
  return {
    // Changes with any row inserted, updated or deleted, in any table.
    changes: changeFingerprint(),
    records: count('decision_records'),
    submissions: count('step_submissions'),
    agendaItems: count('agenda_items'),
    riskItems: count('risk_items'),
    proposals: count('proposals'),
    proposal: proposalRow(proposalId),
  };
}

/** Sends a command that must be refused with `kind`, and checks that nothing was written. */
function refuse(proposalId: number, actor: ActingUser, command: unknown, kind: DecisionErrorKind, expectedVersion?: number) {
  const before = snapshot(proposalId);
  const result = send(proposalId, actor, command, expectedVersion);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.error.kind).toBe(kind);
  expectReadable(result.error.message);
  expect(snapshot(proposalId)).toEqual(before);
  return result.error;
}

function expectReadable(message: string) {
  expect(message.length).toBeGreaterThan(15);
  expect(message).toMatch(/^[A-Z“"]/);
  expect(message).toMatch(/[.!?]$/);
  expect(message).not.toMatch(/undefined|null|NaN|\[object|Error:|SQLITE|ZodError|invalid_type/);
}

// ---- Concurrency ----

describe('two decisions made on the same version', () => {
  it('lets exactly one win; the other is stale and writes nothing', () => {
    const id = inReview();
    const v = proposalRow(id)!.version;
    const recordsBefore = count('decision_records');
    const submissionsBefore = count('step_submissions');

    const won = send(id, staff, APPROVE, v);
    expect(won.ok).toBe(true);
    const afterWin = snapshot(id);
    expect(afterWin.records).toBe(recordsBefore + 1);
    expect(afterWin.submissions).toBe(submissionsBefore);
    expect(afterWin.proposal).toMatchObject({ state: 'approved', version: v + 1 });

    const lost = refuse(id, staff2, REJECT, 'stale', v);
    expect(lost.currentVersion).toBe(v + 1);
    expect(lost.message).toMatch(/This proposal was changed after you opened it/);

    const decisions = recordsOfProposal(id).filter((r) => r.step === 'decision');
    expect(decisions.map((r) => [r.outcome, r.actor_id])).toEqual([['approved', staff.id]]);
    expect(verifyLog().ok).toBe(true);
  });

  it('also loses when another process holds the write lock with a decision on the same version', async () => {
    const id = inReview();
    const v = proposalRow(id)!.version;
    const recordsBefore = count('decision_records');

    // The other process approves inside an open write transaction and commits
    // later; this process asks for the lock with version v and reads the proposal
    // only once it holds it, so it sees the other's approval.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-race-'));
    const script = path.join(dir, 'other-staff.ts');
    fs.writeFileSync(
      script,
      `import { transaction, useDatabase } from ${JSON.stringify(path.join(REPO, 'db/connection.ts'))};
import { decide } from ${JSON.stringify(path.join(REPO, 'app/features/vetting/vetting.server.ts'))};
const [target, proposalId, version, actor] = process.argv.slice(2);
useDatabase(target!);
transaction(() => {
  const result = decide({ proposalId: Number(proposalId), expectedVersion: Number(version), actor: JSON.parse(actor!), command: ${JSON.stringify(APPROVE)} });
  console.log(JSON.stringify({ ok: result.ok }));
  // Holding the write lock: well within the other's busy or lock timeout (5 s), long enough for it to read first.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);
});
console.log('committed');
`,
    );
    const child = spawn(TSX, [script, database().path, String(id), String(v), JSON.stringify(staff)], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const firstLine = await lines.next();
    expect(firstLine.value, stderr).toBe('{"ok":true}');

    // Blocks on the write lock (busy_timeout) until the other process commits.
    const before = { records: count('decision_records'), submissions: count('step_submissions') };
    const result = send(id, staff2, REJECT, v);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('stale');
    expect(result.error.message).toMatch(/after you opened it/);
    expect(result.error.currentVersion).toBe(v + 1);
    expectReadable(result.error.message);
    expect((await lines.next()).value).toBe('committed');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });

    // Only the other process's approval was written.
    expect(count('decision_records')).toBe(recordsBefore + 1);
    expect(before.records).toBe(recordsBefore);
    expect(count('step_submissions')).toBe(before.submissions);
    expect(proposalRow(id)).toMatchObject({ state: 'approved', version: v + 1 });
    expect(recordsOfProposal(id).at(-1)).toMatchObject({ step: 'decision', outcome: 'approved', actor_id: staff.id });
    expect(verifyLog().ok).toBe(true);
  });
});

// ---- Refusals ----

describe('a refused decision writes nothing and says why', () => {
  it('refuses a transition the state does not allow (not_allowed)', () => {
    const id = propose();
    for (const command of [{ type: 'SUBMIT_PROPOSAL' }, values(), AGENDA]) accept(id, lead, command);
    expect(proposalRow(id)!.state).toBe('risk');
    const error = refuse(id, staff, APPROVE, 'not_allowed');
    expect(error.message).toBe('A proposal at “Risk scoring” cannot be approved.');
    // A step out of order, by the right person.
    expect(refuse(id, lead, MOU_NOT_NEEDED, 'not_allowed').message).toMatch(/“Risk scoring”/);
    // After the last word, nothing more is accepted.
    const rejected = inReview();
    accept(rejected, staff, REJECT);
    refuse(rejected, lead, { type: 'WITHDRAW', reason: 'We changed our minds.' }, 'not_allowed');
  });

  it('refuses an invalid payload with field errors (invalid)', () => {
    const id = propose();
    for (const command of [{ type: 'SUBMIT_PROPOSAL' }, values(), AGENDA]) accept(id, lead, command);
    const outOfScale = refuse(id, lead, { type: 'SUBMIT_RISK', input: { items: [riskItem({ likelihood: 7 }), benefitItem] } }, 'invalid');
    expect(outOfScale.fieldErrors['input.items.0.likelihood']).toEqual(['Choose a value from 1 to 5.']);
    // A typed command's scale is a number: text is refused, even text a form's select could send.
    for (const typed of ['3', '0x3']) {
      const text = refuse(id, lead, { type: 'SUBMIT_RISK', input: { items: [riskItem({ impact: typed }), benefitItem] } }, 'invalid');
      expect(text.fieldErrors['input.items.0.impact']).toEqual(['Choose a value from 1 to 5.']);
    }

    const noBenefit = refuse(id, lead, { type: 'SUBMIT_RISK', input: { items: [riskItem()] } }, 'invalid');
    expect(noBenefit.fieldErrors.items).toEqual(['Add at least one benefit.']);

    const risen = refuse(
      id,
      lead,
      { type: 'SUBMIT_RISK', input: { items: [riskItem({ residualLikelihood: 5, residualImpact: 5 }), benefitItem] } },
      'invalid',
    );
    expect(Object.keys(risen.fieldErrors)).toEqual(['items.0.residualImpact']);

    refuse(id, lead, { type: 'NO_SUCH_COMMAND' }, 'invalid');
    refuse(id, lead, 'SUBMIT_RISK', 'invalid');

    const other = propose();
    accept(other, lead, { type: 'SUBMIT_PROPOSAL' });
    const { input } = values();
    delete (input.ratings as Record<string, unknown>).transparency;
    const unrated = refuse(other, lead, { type: 'SUBMIT_VALUES', input }, 'invalid');
    expect(unrated.fieldErrors).toEqual({ 'ratings.transparency.rating': ['Rate “Transparency”.'] });

    const review = inReview();
    const pastEnd = refuse(review, staff, { ...APPROVE, endDate: '2001-01-01' }, 'invalid');
    expect(pastEnd.fieldErrors.endDate).toBeDefined();
    const shortRationale = refuse(review, staff, { type: 'REJECT', rationale: 'no' }, 'invalid');
    expect(shortRationale.fieldErrors.rationale).toEqual(['The rationale needs at least 10 characters.']);
  });

  it('refuses the proposer who also holds the staff role (forbidden)', () => {
    const chicago = lead.chapterId!;
    const both: ActingUser = {
      id: createUser({
        email: 'lead-and-staff@cosponsor.test',
        name: 'Jordan Lee',
        passwordHash: 'unused',
        chapterId: chicago,
        roles: ['chapter_lead', 'staff'],
      }),
      name: 'Jordan Lee',
      roles: ['chapter_lead', 'staff'],
      chapterId: chicago,
    };
    const id = inReview(both);
    const error = refuse(id, both, APPROVE, 'forbidden');
    expect(error.message).toMatch(/another staff member must decide it/);
    refuse(id, both, REJECT, 'forbidden');
    refuse(id, both, { type: 'REQUEST_CHANGES', step: 'risk', rationale: 'Please add the safety risks.' }, 'forbidden');
    // Another staff member may.
    expect(send(id, staff, APPROVE).ok).toBe(true);
  });

  it('refuses a lead of another chapter, and staff doing a lead’s step (forbidden)', () => {
    const id = propose();
    expect(refuse(id, lead2, { type: 'SUBMIT_PROPOSAL' }, 'forbidden').message).toMatch(/chapter/);
    refuse(id, staff, { type: 'SUBMIT_PROPOSAL' }, 'forbidden');
    refuse(id, admin, { type: 'WITHDRAW', reason: 'Admin tidy-up.' }, 'forbidden');
  });

  it('refuses a reviewer whatever they try (forbidden)', () => {
    const draft = propose();
    const review = inReview();
    const attempts: [number, unknown][] = [
      [draft, { type: 'SUBMIT_PROPOSAL' }],
      [draft, { type: 'WITHDRAW', reason: 'Not needed any more.' }],
      [review, APPROVE],
      [review, REJECT],
      [review, { type: 'REQUEST_CHANGES', step: 'values', rationale: 'Please recheck the values.' }],
      [review, { type: 'OVERRIDE_OUTCOME', step: 'risk', outcome: 'risks_outweigh', rationale: 'I read it differently.' }],
      [review, { type: 'EXPIRE' }],
    ];
    for (const [id, command] of attempts) refuse(id, reviewer, command, 'forbidden');
  });

  it('refuses an unknown proposal (not_found) and an old version (stale)', () => {
    expect(refuse(987654, staff, APPROVE, 'not_found', 1).message).toBe('There is no such proposal.');
    const id = propose();
    accept(id, lead, { type: 'SUBMIT_PROPOSAL' });
    const error = refuse(id, lead, values(), 'stale', 1);
    expect(error.currentVersion).toBe(2);
  });

  it('gives every kind of refusal its own readable message', () => {
    const id = inReview();
    const v = proposalRow(id)!.version;
    const errors = [
      refuse(987654, staff, APPROVE, 'not_found', 1),
      refuse(id, staff, APPROVE, 'stale', v - 1),
      refuse(id, reviewer, APPROVE, 'forbidden'),
      refuse(id, lead, RISK, 'not_allowed'),
      refuse(id, staff, { type: 'APPROVE' }, 'invalid'),
    ];
    expect(errors.map((e) => e.kind)).toEqual(['not_found', 'stale', 'forbidden', 'not_allowed', 'invalid']);
    expect(new Set(errors.map((e) => e.message)).size).toBe(errors.length);
  });
});

// ---- Accepted commands ----

describe('an accepted command writes its records', () => {
  it('submits a proposal: one record by the lead, draft to values', () => {
    const id = propose();
    const before = snapshot(id);
    const records = accept(id, lead, { type: 'SUBMIT_PROPOSAL' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      proposal_id: id,
      step: 'proposal',
      outcome: 'submitted',
      actor_id: lead.id,
      actor_name: lead.name,
      actor_role: 'chapter_lead',
      from_state: 'draft',
      to_state: 'values',
    });
    expect(records[0]!.seq).toBe(before.records + 1);
    expect(proposalRow(id)).toMatchObject({ state: 'values', version: before.proposal!.version + 1 });
  });

  it('SUBMIT_VALUES incompatible: the values record and four skip records, to review', () => {
    const id = propose();
    accept(id, lead, { type: 'SUBMIT_PROPOSAL' });
    const before = snapshot(id);
    const records = accept(id, lead, values({ independence: 'not_met' }));

    expect(records.map((r) => [r.step, r.outcome, r.from_state, r.to_state])).toEqual([
      ['values', 'incompatible', 'values', 'agenda'],
      ['agenda', 'skipped', 'agenda', 'risk'],
      ['risk', 'skipped', 'risk', 'perception'],
      ['perception', 'skipped', 'perception', 'mou'],
      ['mou', 'skipped', 'mou', 'review'],
    ]);
    expect(records[0]).toMatchObject({ actor_id: lead.id, actor_role: 'chapter_lead' });
    expect(records[0]!.rationale).toMatch(/^Incompatible: .*Independence/);
    for (const skip of records.slice(1)) {
      expect(skip).toMatchObject({ actor_id: null, actor_name: 'Cosponsor rules', actor_role: 'system', rationale: SKIP_RULES.valuesIncompatible });
    }
    // One write: same moment, consecutive sequence numbers, chained to each other.
    expect(new Set(records.map((r) => r.at)).size).toBe(1);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5].map((n) => before.records + n));
    for (let i = 1; i < records.length; i++) {
      expect(records[i]!.prev_hash).toBe(records[i - 1]!.hash);
      expect(records[i]!.proposal_prev_hash).toBe(records[i - 1]!.hash);
    }
    expect(recordsOfProposal(id).slice(-5)).toEqual(records);

    const submissions = all(qb().selectFrom('step_submissions').selectAll().where('proposal_id', '=', id));
    expect(submissions).toHaveLength(1);
    expect(submissions[0]).toMatchObject({ step: 'values', outcome: 'incompatible', decision_seq: records[0]!.seq, submitted_by: lead.id });
    expect(proposalRow(id)).toMatchObject({ state: 'review', recommend_reject: 1, version: before.proposal!.version + 1 });
  });

  it('SUBMIT_RISK without a perception review: the risk record and a not_applicable record', () => {
    const id = propose();
    for (const command of [{ type: 'SUBMIT_PROPOSAL' }, values(), AGENDA]) accept(id, lead, command);
    expect(proposalRow(id)!.perception_required).toBe(0);
    const records = accept(id, lead, RISK);
    expect(records.map((r) => [r.step, r.outcome, r.from_state, r.to_state, r.actor_role])).toEqual([
      ['risk', 'benefits_outweigh', 'risk', 'perception', 'chapter_lead'],
      ['perception', 'not_applicable', 'perception', 'mou', 'system'],
    ]);
    expect(records[0]!.rationale).toMatch(/^Benefits outweigh risks\. Benefits 16; residual risks 3; 16 > 3 by 13/);
    expect(records[1]!.rationale).toBe(SKIP_RULES.perceptionNotRequired);
    expect(proposalRow(id)!.state).toBe('mou');
    const items = all(qb().selectFrom('risk_items').selectAll().where('proposal_id', '=', id).where('current', '=', 1).orderBy('position'));
    expect(items.map((i) => [i.kind, i.score, i.residual_score, i.band])).toEqual([
      ['risk', 9, 3, 'medium'],
      ['benefit', 16, null, 'critical'],
    ]);
  });

  it('walks a BDS-perception proposal to approval with one record per step', () => {
    const id = propose(lead, bdsPartner);
    const steps: [ActingUser, unknown, string, string][] = [
      [lead, { type: 'SUBMIT_PROPOSAL' }, 'proposal', 'submitted'],
      [lead, values({ transparency: 'concern' }), 'values', 'compatible_with_concerns'],
      [lead, AGENDA_WITH_BDS, 'agenda', 'manageable_divergence'],
      [lead, RISK, 'risk', 'benefits_outweigh'],
      [lead, PERCEPTION, 'perception', 'acceptable_with_conditions'],
      [lead, MOU_NOT_NEEDED, 'mou', 'mou_not_needed'],
      [staff, { ...APPROVE, conditions: ['The listing carries the disclaimer.'] }, 'decision', 'approved'],
    ];
    for (const [actor, command, step, outcome] of steps) {
      const records = accept(id, actor, command);
      expect(records.map((r) => [r.step, r.outcome])).toEqual([[step, outcome]]);
    }
    const proposal = proposalRow(id)!;
    expect(proposal).toMatchObject({ state: 'approved', perception_required: 1, approved_until: proposal.event_date });
    expect(proposal.decided_at).not.toBeNull();
    const agenda = all(qb().selectFrom('agenda_items').select(['classification', 'position_key']).where('proposal_id', '=', id).where('current', '=', 1));
    expect(agenda.map((a) => a.position_key)).toEqual(['cancel_evictions_demolitions', 'bds_movement']);

    const approval = recordsOfProposal(id).at(-1)!;
    expect(approval).toMatchObject({ actor_id: staff.id, actor_role: 'staff', from_state: 'review', to_state: 'approved' });
    // The inputs are a canonical snapshot: the command, what was judged, the proposal's facts.
    const inputs = JSON.parse(approval.inputs);
    expect(canonicalJson(inputs)).toBe(approval.inputs);
    expect(inputs.command.conditions).toEqual(['The listing carries the disclaimer.']);
    expect(Object.keys(inputs.judged.dossier.steps).sort()).toEqual(['agenda', 'mou', 'perception', 'risk', 'values']);
    expect(inputs.proposal).toMatchObject({ partnerId: bdsPartner, version: proposal.version - 1 });
    expect(JSON.parse(approval.config_versions)).toEqual(activeConfig().versions);
    expect(verifyLog().ok).toBe(true);
  });

  it('returns the proposal exactly as stored after each step', () => {
    const id = propose(lead, bdsPartner);
    const steps: [ActingUser, unknown][] = [
      [lead, { type: 'SUBMIT_PROPOSAL' }],
      [lead, values({ transparency: 'concern' })],
      [lead, AGENDA_WITH_BDS],
      [lead, RISK],
      [lead, PERCEPTION],
      [lead, MOU_NOT_NEEDED],
      [staff, { ...APPROVE, conditions: ['The listing carries the disclaimer.'] }],
    ];
    for (const [actor, command] of steps) {
      const result = send(id, actor, command);
      if (!result.ok) throw new Error(result.error.message);
      expect(result.proposal).toEqual(proposalRow(id));
    }
    expect(proposalRow(id)!.state).toBe('approved');
  });

  it('EXPIRE by the scheduler: a system record that keeps its rationale and what was judged', () => {
    const id = inReview();
    accept(id, staff, APPROVE);
    const approvedUntil = proposalRow(id)!.approved_until!;
    refuse(id, staff, { type: 'EXPIRE' }, 'forbidden');
    const records = accept(id, SYSTEM_ACTOR, { type: 'EXPIRE' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      step: 'proposal',
      outcome: 'expired',
      from_state: 'approved',
      to_state: 'expired',
      actor_id: null,
      actor_role: 'system',
      rationale: `The approval ended on ${approvedUntil}; the partnership needs re-vetting.`,
    });
    expect(JSON.parse(records[0]!.inputs)).toMatchObject({ command: { type: 'EXPIRE' }, judged: { approvedUntil } });
    expect(proposalRow(id)!.state).toBe('expired');
    expect(verifyLog().ok).toBe(true);
  });

  it('records text cut in the middle of an emoji as it is stored, so the log still verifies', () => {
    const id = inReview();
    const cut = 'The partner withdrew its speaker, see the thread 😀'.slice(0, -1);
    expect(cut.at(-1)).toBe('\uD83D'); // half of the emoji
    const records = accept(id, staff, { type: 'REJECT', rationale: cut });
    expect(records[0]!.rationale).toBe(`${cut.slice(0, -1)}\uFFFD`);
    expect(recordsOfProposal(id).at(-1)).toEqual(records[0]);
    expect(verifyLog()).toMatchObject({ ok: true });
  });
});
