import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { screeningAcknowledgementProblem } from '../../app/features/outside/screening.server';
import { reviewQueue } from '../../app/features/review/review.server';
import {
  judgeScreeningHit,
  openAlerts,
  rescanDuePartners,
  rescanPartner,
  screeningMemory,
} from '../../app/features/review/screening-memory.server';
import { decide } from '../../app/features/vetting/vetting.server';
import { all, first, qb } from '../../db/connection';
import { countRecords, recordsOfProposal, verifyLog } from '../../db/decision-log';
import { proposalRow } from '../../db/proposals';
import { DESIGNATED_PARTNER_NAME, designationResult } from '../../db/seed-data/screening-fixtures';
import { actor } from './review-fixtures';
import { freshDatabase } from '../support/db';
import { mockServer } from '../support/setup';
import { SCREENING_BASE, otherDesignationResult, receivedScreeningQueries, screeningAnswering, screeningFaults } from '../mocks/screening';

// Screening that remembers (issue 17, item 3), on a real database with the screening service
// mocked by msw: judgments are records, rescans keep them, new hits on approvals alert once.

const ENV = ['SCREENING_URL', 'SCREENING_API_KEY', 'SCREENING_DATASET', 'SCREENING_RESCAN_DAYS', 'MOCKS'] as const;
const REASON = 'The listed group is registered in Ramallah; this partner is a Chicago student group with another founding date.';

/** The proposal of example case 5 (a designated partner), left in review by the demo seed. */
function case5() {
  return first(
    qb()
      .selectFrom('proposals as p')
      .innerJoin('partners as pa', 'pa.id', 'p.partner_id')
      .select(['p.id', 'p.partner_id', 'p.version'])
      .where('pa.name', '=', DESIGNATED_PARTNER_NAME),
  )!;
}

const staff = () => actor('staff@cosponsor.test');

function inboxAlerts() {
  return all(qb().selectFrom('inbox').select(['user_id', 'proposal_id', 'message']).where('kind', '=', 'screening_alert').orderBy('id'));
}

function approveCase5(): void {
  const p = case5();
  const result = decide({
    proposalId: p.id,
    expectedVersion: p.version,
    actor: staff(),
    command: {
      type: 'APPROVE',
      conditions: [],
      endDate: null,
      rationale: 'Approved: the talk is on arbitrary detention; the listing was weighed.',
      screeningAcknowledgement: 'The 2021 designation was condemned by the organization; weighed with the vetting.',
    },
  });
  if (!result.ok) throw new Error(result.error.message);
}

beforeEach(() => {
  freshDatabase('demo');
  for (const key of ENV) delete process.env[key];
  process.env.SCREENING_URL = SCREENING_BASE;
  receivedScreeningQueries.length = 0;
});
afterEach(() => {
  for (const key of ENV) delete process.env[key];
});

describe('judging a hit "not a true match"', () => {
  it('is a decision record that leaves the proposal where it is, and verifies', () => {
    const p = case5();
    const before = proposalRow(p.id)!;
    const result = judgeScreeningHit(staff(), p.id, { entityId: designationResult.id, reason: REASON });
    if (!result.ok) throw new Error(result.message);
    const record = recordsOfProposal(p.id).at(-1)!;
    expect(record).toMatchObject({ seq: result.seq, step: 'screening', outcome: 'not_a_true_match', rationale: REASON, from_state: 'review', to_state: 'review' });
    expect(JSON.parse(record.inputs)).toMatchObject({ command: { entityId: designationResult.id }, judged: { hit: { caption: designationResult.caption } } });
    const after = proposalRow(p.id)!;
    expect(after.state).toBe(before.state);
    expect(after.version).toBe(before.version);
    expect(verifyLog().ok).toBe(true);
  });

  it('moves the hit from the new ones to those judged, with who, when and why, and no longer asks for an acknowledgement', () => {
    const p = case5();
    expect(screeningMemory(p.id, staff())!.newHits.map((h) => h.entityId)).toEqual([designationResult.id]);
    expect(screeningAcknowledgementProblem(p.id, '')).not.toBeNull();
    judgeScreeningHit(staff(), p.id, { entityId: designationResult.id, reason: REASON });
    const memory = screeningMemory(p.id, staff())!;
    expect(memory.newHits).toEqual([]);
    expect(memory.judgedHits).toHaveLength(1);
    expect(memory.judgedHits[0]!.judgment).toMatchObject({ by: 'Priya Raman', reason: REASON });
    expect(memory.judgedHits[0]!.judgment.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(screeningAcknowledgementProblem(p.id, '')).toBeNull();
  });

  it('is refused, writing nothing, to a reviewer, a chapter lead, for a hit not shown, and a second time', () => {
    const p = case5();
    const records = countRecords();
    const refusal = (who: ReturnType<typeof actor>, entityId: string = designationResult.id) => {
      const r = judgeScreeningHit(who, p.id, { entityId, reason: REASON });
      return r.ok ? null : r.kind;
    };
    expect(refusal(actor('reviewer@cosponsor.test'))).toBe('forbidden');
    expect(refusal(actor('lead@cosponsor.test'))).toBe('forbidden');
    expect(refusal(staff(), 'no-such-entity')).toBe('invalid');
    expect(countRecords()).toBe(records);
    expect(judgeScreeningHit(staff(), p.id, { entityId: designationResult.id, reason: REASON }).ok).toBe(true);
    expect(refusal(actor('staff2@cosponsor.test'))).toBe('not_allowed');
    expect(countRecords()).toBe(records + 1);
  });
});

describe('rescans keep the judgment for the same entity id', () => {
  it('a rescan with the same hit shows nothing new; a new entity id shows', async () => {
    const p = case5();
    judgeScreeningHit(staff(), p.id, { entityId: designationResult.id, reason: REASON });

    await rescanPartner(p.partner_id);
    let memory = screeningMemory(p.id, staff())!;
    expect(memory.weighed).toMatchObject({ stage: 'rescan', status: 'hits' });
    expect(memory.newHits).toEqual([]);
    expect(memory.judgedHits.map((h) => h.entityId)).toEqual([designationResult.id]);

    mockServer.use(screeningAnswering([designationResult, otherDesignationResult]));
    await rescanPartner(p.partner_id);
    memory = screeningMemory(p.id, staff())!;
    expect(memory.newHits.map((h) => h.entityId)).toEqual([otherDesignationResult.id]);
    expect(memory.judgedHits.map((h) => h.entityId)).toEqual([designationResult.id]);
    // The new hit must be weighed again before a decision.
    expect(screeningAcknowledgementProblem(p.id, '')).toContain('UK HM Treasury Financial Sanctions');
    expect(verifyLog().ok).toBe(true);
  });

  it('rescans only partners whose last answer is older than SCREENING_RESCAN_DAYS, and survives a failing service', async () => {
    process.env.SCREENING_RESCAN_DAYS = '7';
    const HOUR = 3_600_000;
    const DAY = 24 * HOUR;
    // Every partner with an open or approved proposal; the case-5 partner was screened by the seed just now.
    const open = all(
      qb().selectFrom('proposals').select('partner_id').distinct().where('state', 'not in', ['rejected', 'withdrawn', 'expired']),
    ).length;
    const now = Date.now();
    // The service fails: nothing throws, every failure is counted, and nobody is asked again within the hour.
    mockServer.use(screeningFaults.status(500));
    const failing = await rescanDuePartners(now);
    expect(failing).toMatchObject({ partners: open - 1, failures: open - 1, alerts: 0 });
    expect((await rescanDuePartners(now + 60_000)).partners).toBe(0);
    mockServer.resetHandlers();
    // Two hours on, they are tried again and answered; then nothing is due for SCREENING_RESCAN_DAYS.
    expect(await rescanDuePartners(now + 2 * HOUR)).toMatchObject({ partners: open - 1, failures: 0 });
    const calls = receivedScreeningQueries.length;
    expect((await rescanDuePartners(now + 6 * DAY)).partners).toBe(0);
    expect(receivedScreeningQueries.length).toBe(calls);
    expect((await rescanDuePartners(now + 8 * DAY)).partners).toBe(open);
  });
});

describe('a new hit on an approved partnership', () => {
  it('flags the queue and notifies staff once, never on the next rescan, and never changes the state', async () => {
    approveCase5();
    const p = case5();
    const records = countRecords();

    // The hit staff weighed when they approved is not new to the approval.
    await rescanPartner(p.partner_id);
    expect(openAlerts()).toEqual([]);
    expect(inboxAlerts()).toEqual([]);

    mockServer.use(screeningAnswering([designationResult, otherDesignationResult]));
    expect((await rescanPartner(p.partner_id)).alerts).toBe(1);
    expect(openAlerts()).toMatchObject([{ proposalId: p.id, entityId: otherDesignationResult.id, caption: otherDesignationResult.caption }]);
    const messages = inboxAlerts();
    // Both staff members hear of it (neither proposed it), each once.
    expect(messages.map((m) => m.user_id).sort()).toEqual([staff().id, actor('staff2@cosponsor.test').id].sort());
    expect(messages[0]!.message).toContain(otherDesignationResult.caption);

    expect((await rescanPartner(p.partner_id)).alerts).toBe(0);
    expect((await rescanPartner(p.partner_id)).alerts).toBe(0);
    expect(inboxAlerts()).toHaveLength(messages.length);
    expect(proposalRow(p.id)!.state).toBe('approved');
    expect(countRecords()).toBe(records);

    // Judged "not a true match": the flag goes; the state still stands.
    const judged = judgeScreeningHit(actor('staff2@cosponsor.test'), p.id, { entityId: otherDesignationResult.id, reason: REASON });
    expect(judged.ok).toBe(true);
    expect(openAlerts()).toEqual([]);
    expect((await rescanPartner(p.partner_id)).alerts).toBe(0);
    expect(proposalRow(p.id)!.state).toBe('approved');
    expect(verifyLog().ok).toBe(true);
  });
});

describe('the review queue after a judgment', () => {
  const flaggedIds = () => reviewQueue({ chapterId: null, campaignId: null, flag: 'screening_hits', page: 1 }, '2026-11-28').items.map((i) => i.id);

  it('no longer flags "Screening hits" once every hit of the latest screening is judged not a true match', () => {
    const p = case5();
    expect(flaggedIds()).toContain(p.id);
    const result = judgeScreeningHit(staff(), p.id, { entityId: designationResult.id, reason: REASON });
    if (!result.ok) throw new Error(result.message);
    expect(flaggedIds()).not.toContain(p.id);
    const page = reviewQueue({ chapterId: null, campaignId: null, flag: null, page: 1 }, '2026-11-28');
    expect(page.items.find((i) => i.id === p.id)?.flags ?? []).not.toContain('screening_hits');
  });
});
