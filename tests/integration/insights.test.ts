import { beforeAll, describe, expect, it } from 'vitest';
import { first, qb, run, withClock } from '../../db/connection';
import {
  decisionTimes,
  milestonesByMonth,
  perceptionConditions,
  revettingBuckets,
  riskCategories,
  stepOutcomes,
  type InsightsFilter,
} from '../../db/insights';
import { createChapter, createUser, userByEmail } from '../../db/users';
import { expireDueApprovals } from '../../app/jobs/expiry.server';
import { insightsCsv, insightsFor } from '../../app/features/insights/insights.server';
import { actor, campaignId, decideAs, newPartner, proposalInReview } from './review-fixtures';

// The insights aggregates on a real SQLite file: a chapter of its own, whose
// proposals are carried through the real decision service with the clock set,
// so every count, median and percentile below is known exactly.

const LEAD = 'insights-lead@cosponsor.test';
let chapterId = 0;
let israel = 0;
const ids: Record<string, number> = {};

const at = <T>(iso: string, fn: () => T): T => withClock(() => Date.parse(iso), fn);
const onlyChapter = (extra: Partial<InsightsFilter> = {}): InsightsFilter => ({ from: null, to: null, chapterId, campaignId: null, ...extra });

function approve(id: number, iso: string, endDate: string) {
  const result = at(iso, () => decideAs('staff@cosponsor.test', id, { type: 'APPROVE', conditions: [], endDate, rationale: '' }));
  if (!result.ok) throw new Error(result.error.message);
}

function reject(id: number, iso: string) {
  const result = at(iso, () => decideAs('staff@cosponsor.test', id, { type: 'REJECT', rationale: 'Declined the conditions.' }));
  if (!result.ok) throw new Error(result.error.message);
}

beforeAll(() => {
  chapterId = createChapter('Insights Test Chapter', 'Midwest');
  const staff = userByEmail('staff@cosponsor.test')!;
  createUser({ email: LEAD, name: 'Insights Lead', passwordHash: staff.password_hash, chapterId, roles: ['chapter_lead'] });
  israel = campaignId('israel_opt');
  const plain = newPartner('Insights Plain Partner');
  const bds = newPartner('Insights BDS Partner', ['supports_bds']);

  // a: in review 2031-01-10 10:00, approved two days later (ends 2031-06-30, expires 2031-07-01).
  ids.a = at('2031-01-10T10:00:00.000Z', () => proposalInReview({ lead: LEAD, partnerId: plain, campaign: 'israel_opt' }));
  approve(ids.a, '2031-01-12T10:00:00.000Z', '2031-06-30');
  // b: concerns on values; in review 2031-01-15, rejected four days later.
  ids.b = at('2031-01-15T00:00:00.000Z', () => proposalInReview({ lead: LEAD, partnerId: plain, campaign: 'israel_opt', values: 'concerns' }));
  reject(ids.b, '2031-01-19T00:00:00.000Z');
  // c: a BDS-supporting partner: perception review with two conditions; approved 1.5 days after.
  ids.c = at('2031-02-01T00:00:00.000Z', () =>
    proposalInReview({ lead: LEAD, partnerId: bds, campaign: 'israel_opt', perceptionConditions: 2 }),
  );
  approve(ids.c, '2031-02-02T12:00:00.000Z', '2031-12-31');
  // d: another campaign; approved ten days after, ending soon after "today" below.
  ids.d = at('2031-02-05T00:00:00.000Z', () => proposalInReview({ lead: LEAD, partnerId: plain, campaign: 'myanmar' }));
  approve(ids.d, '2031-02-15T00:00:00.000Z', '2031-07-05');
  // e: sent to review, then withdrawn by the chapter.
  ids.e = at('2031-03-01T00:00:00.000Z', () => proposalInReview({ lead: LEAD, partnerId: plain, campaign: 'israel_opt' }));
  at('2031-03-03T00:00:00.000Z', () => {
    const r = decideAs(LEAD, ids.e!, { type: 'WITHDRAW', reason: 'The event was cancelled.' });
    if (!r.ok) throw new Error(r.error.message);
  });
  // f: still in review.
  ids.f = at('2031-03-04T00:00:00.000Z', () => proposalInReview({ lead: LEAD, partnerId: bds, campaign: 'israel_opt', perceptionConditions: 1 }));
  // The scheduler expires a on 2031-07-01.
  at('2031-07-01T01:00:00.000Z', () => expireDueApprovals('2031-07-01'));
});

describe('insights aggregates', () => {
  it('counts proposals by outcome per month, from the records', () => {
    const rows = milestonesByMonth(onlyChapter());
    const get = (month: string, milestone: string) => rows.find((r) => r.month === month && r.milestone === milestone)?.proposals ?? 0;
    expect(get('2031-01', 'review')).toBe(2);
    expect(get('2031-01', 'approved')).toBe(1);
    expect(get('2031-01', 'rejected')).toBe(1);
    expect(get('2031-02', 'review')).toBe(2);
    expect(get('2031-02', 'approved')).toBe(2);
    expect(get('2031-03', 'review')).toBe(2);
    expect(get('2031-03', 'withdrawn')).toBe(1);
    expect(get('2031-07', 'expired')).toBe(1);
    expect(rows.reduce((n, r) => n + r.proposals, 0)).toBe(12);
    // The date range and the campaign narrow it.
    expect(milestonesByMonth(onlyChapter({ from: '2031-02-01', to: '2031-02-28' })).map((r) => [r.month, r.milestone, r.proposals])).toEqual([
      ['2031-02', 'approved', 2],
      ['2031-02', 'review', 2],
    ]);
    expect(milestonesByMonth(onlyChapter({ campaignId: campaignId('myanmar') })).map((r) => r.milestone)).toEqual(['approved', 'review']);
  });

  it('gives the median and 90th percentile of days from submission to decision, overall, by chapter and by campaign', () => {
    const rows = decisionTimes(onlyChapter());
    const all = rows.find((r) => r.grouping === 'all')!;
    // 1.5, 2, 4, 10 days: the median is the mean of 2 and 4, the 90th percentile the 4th of 4.
    expect(all.decided).toBe(4);
    expect(all.median_days).toBeCloseTo(3, 9);
    expect(all.p90_days).toBeCloseTo(10, 9);
    expect(rows.find((r) => r.grouping === 'chapter')).toMatchObject({ key: chapterId, decided: 4 });
    const inIsrael = rows.find((r) => r.grouping === 'campaign' && r.key === israel)!;
    // 1.5, 2, 4: the middle one, and the 3rd of 3.
    expect(inIsrael.decided).toBe(3);
    expect(inIsrael.median_days).toBeCloseTo(2, 9);
    expect(inIsrael.p90_days).toBeCloseTo(4, 9);
    // Decided in January only: 2 and 4 days.
    const january = decisionTimes(onlyChapter({ from: '2031-01-01', to: '2031-01-31' })).find((r) => r.grouping === 'all')!;
    expect(january).toMatchObject({ decided: 2 });
    expect(january.median_days).toBeCloseTo(3, 9);
    expect(january.p90_days).toBeCloseTo(4, 9);
  });

  it('counts each step’s outcomes, leaving corrections out', () => {
    const rows = stepOutcomes(onlyChapter());
    const get = (step: string, outcome: string) => rows.find((r) => r.step === step && r.outcome === outcome)?.records ?? 0;
    expect(get('values', 'compatible')).toBe(5);
    expect(get('values', 'compatible_with_concerns')).toBe(1);
    expect(get('agenda', 'aligned')).toBe(6);
    expect(get('risk', 'benefits_outweigh')).toBe(6);
    expect(get('perception', 'not_applicable')).toBe(4);
    expect(get('perception', 'acceptable_with_conditions') + get('perception', 'no_perception_risk')).toBe(2);
    expect(get('mou', 'mou_not_needed')).toBe(6);
    expect(rows.every((r) => r.outcome !== 'overridden' && r.outcome !== 'classified')).toBe(true);
  });

  it('ranks risk categories and perception conditions from the current assessments', () => {
    // Every fixture names one reputation risk (and an outreach benefit, which is not a risk).
    expect(riskCategories(onlyChapter())).toEqual([{ category: 'reputation', proposals: 6, items: 6 }]);
    expect(riskCategories(onlyChapter({ from: '2031-03-01' }))).toEqual([{ category: 'reputation', proposals: 2, items: 2 }]);
    // The date range alone (nothing else in the demo data is dated 2031).
    expect(riskCategories({ from: '2031-03-01', to: null, chapterId: null, campaignId: null })).toEqual([{ category: 'reputation', proposals: 2, items: 2 }]);
    expect(perceptionConditions({ from: '2031-03-01', to: '2031-03-31', chapterId: null, campaignId: null })).toEqual([
      { item: 'no_boycott_call_in_name', proposals: 1 },
    ]);
    // c made the first two checklist items conditions, f the first one.
    expect(perceptionConditions(onlyChapter())).toEqual([
      { item: 'no_boycott_call_in_name', proposals: 2 },
      { item: 'not_on_bds_materials', proposals: 1 },
    ]);
    expect(perceptionConditions(onlyChapter({ to: '2031-02-28' }))).toEqual([
      { item: 'no_boycott_call_in_name', proposals: 1 },
      { item: 'not_on_bds_materials', proposals: 1 },
    ]);
    expect(perceptionConditions(onlyChapter({ campaignId: campaignId('myanmar') }))).toEqual([]);
  });

  it('buckets approvals by how soon they end, as of a day', () => {
    // On 2031-07-02: a has expired; d ends 2031-07-05 (within 7 days); c ends 2031-12-31 (beyond 90).
    const rows = revettingBuckets(onlyChapter(), '2031-07-02');
    expect([...rows].sort((x, y) => x.bucket.localeCompare(y.bucket))).toEqual([
      { bucket: 'ended', approvals: 1, renewed: 1 },
      { bucket: 'within_7', approvals: 1, renewed: 1 },
    ]);
    // On 2031-09-20 d's end has passed (not yet swept): it reads as ended, like a.
    expect(revettingBuckets(onlyChapter(), '2031-09-20')).toEqual([{ bucket: 'ended', approvals: 2, renewed: 2 }]);
    // On 2031-12-01 a and d ended more than 90 days ago; c ends in 30 days; its partner has a later proposal (f).
    expect(revettingBuckets(onlyChapter(), '2031-12-01')).toEqual([{ bucket: 'within_30', approvals: 1, renewed: 1 }]);
  });

  it('the service refuses a chapter lead and words the tables; the CSV neutralizes formulas', () => {
    const refused = insightsFor(actor(LEAD), onlyChapter(), '2031-07-02');
    expect(refused.ok).toBe(false);
    const seen = insightsFor(actor('reviewer@cosponsor.test'), onlyChapter(), '2031-07-02');
    if (!seen.ok) throw new Error('refused');
    expect(seen.tables['step-outcomes'].rows).toContainEqual({ step: 'MOU draft', outcome: 'MOU not needed', records: 6, share: 100 });
    expect(seen.tables['decision-times'].rows[0]).toEqual({ by: 'All', name: 'All decided proposals', decided: 4, median: 3, p90: 10 });
    expect(seen.tables['perception-conditions'].rows[0]).toEqual({
      item: 'No boycott call in name',
      condition: 'The event title, description and all materials will make no call for boycott or divestment in the name of the organization.',
      proposals: 2,
    });
    // A chapter whose name starts like a formula.
    run(qb().updateTable('chapters').set({ name: '=HYPERLINK("http://x.test","pwn")' }).where('id', '=', chapterId));
    const csv = insightsCsv(actor('staff@cosponsor.test'), onlyChapter(), 'decision-times', '2031-07-02');
    if (!csv.ok) throw new Error('refused');
    expect(csv.text.startsWith('\uFEFFGrouped by,Group,Decided proposals,Median (days),90th percentile (days)\r\n')).toBe(true);
    expect(csv.text).toContain(`Chapter,"'=HYPERLINK(""http://x.test"",""pwn"")",4,3,10\r\n`);
    expect(first(qb().selectFrom('chapters').select('name').where('id', '=', chapterId))!.name.startsWith('=')).toBe(true);
  });

  // Last: it adds a decision the figures above do not expect.
  it('a figure remembered is recomputed once the log moves on', () => {
    const before = milestonesByMonth(onlyChapter({ from: '2031-03-01', to: '2031-03-31' }));
    expect(before.find((r) => r.milestone === 'rejected')).toBeUndefined();
    // f is rejected in March: a new record, so the figure is computed again.
    at('2031-03-20T00:00:00.000Z', () => {
      const r = decideAs('staff@cosponsor.test', ids.f!, { type: 'REJECT', rationale: 'The partner declined the conditions.' });
      if (!r.ok) throw new Error(r.error.message);
    });
    const after = milestonesByMonth(onlyChapter({ from: '2031-03-01', to: '2031-03-31' }));
    expect(after.find((r) => r.milestone === 'rejected')?.proposals).toBe(1);
  });
});
