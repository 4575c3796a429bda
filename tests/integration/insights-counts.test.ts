import { describe, expect, it } from 'vitest';
import { withClock } from '../../db/connection';
import { sqlAll, sqlGet, sqlRun } from '../support/sql';
import { onPostgres } from '../support/test-database';
import { decisionTimes, forgetInsights, perceptionConditions, stepOutcomes, wholeMonths, type InsightsFilter } from '../../db/insights';
import { currentAgendaItems } from '../../db/proposals';
import { expireDueApprovals } from '../../app/jobs/expiry.server';
import { judgeScreeningHit } from '../../app/features/review/screening-memory.server';
import { recordScreeningAnswer } from '../../app/features/outside/screening.server';
import { designationResult, matchAnswer } from '../../db/seed-data/screening-fixtures';
import { actor, campaignId, decideAs, newPartner, proposalInReview } from './review-fixtures';

// The insights counts kept by triggers (migration 0180) must say exactly what counting the rows
// says, after every kind of write: each step, an override, a classification, a step sent back and
// done again, approval, rejection, withdrawal, expiry, a screening judgment, and a row edited by hand.

const STEP_WHERE = `step IN ('values', 'agenda', 'risk', 'perception', 'mou') AND outcome NOT IN ('overridden', 'classified')`;

function keptAndCounted() {
  const q = (text: string) => sqlAll(text);
  return {
    kept: {
      steps: q('SELECT chapter_id, campaign_id, step, outcome, n FROM insights_step_counts WHERE n > 0 ORDER BY 1, 2, 3, 4'),
      months: q('SELECT month, chapter_id, campaign_id, step, outcome, n FROM insights_step_month_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5'),
      monthTotals: q('SELECT month, step, outcome, n FROM insights_step_month_totals WHERE n > 0 ORDER BY 1, 2, 3'),
      conditions: q('SELECT proposal_id, item, submitted_at FROM insights_perception_conditions ORDER BY 1, 2'),
    },
    counted: {
      steps: q(`SELECT chapter_id, campaign_id, step, outcome, count(*) AS n FROM decision_records WHERE ${STEP_WHERE} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
      months: q(
        `SELECT substr(at, 1, 7) AS month, chapter_id, campaign_id, step, outcome, count(*) AS n FROM decision_records WHERE ${STEP_WHERE} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
      ),
      monthTotals: q(
        `SELECT substr(at, 1, 7) AS month, step, outcome, count(*) AS n FROM decision_records WHERE ${STEP_WHERE} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      ),
      conditions: q(
        `SELECT s.proposal_id, j.key AS item, s.submitted_at FROM step_submissions s, ${onPostgres ? "json_each(CAST(s.data AS json) -> 'answers')" : "json_each(s.data, '$.answers')"} j
          WHERE s.step = 'perception' AND j.value ->> 'answer' = 'condition'
            AND s.id = (SELECT MAX(t.id) FROM step_submissions t WHERE t.proposal_id = s.proposal_id AND t.step = 'perception')
          ORDER BY 1, 2`,
      ),
    },
  };
}

function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The step outcomes straight from the records, as the page counted them before the kept counts. */
function stepOutcomesCounted(f: InsightsFilter) {
  const terms: string[] = [STEP_WHERE];
  const args: (string | number)[] = [];
  const term = (text: string, value: string | number) => {
    terms.push(text);
    args.push(value);
  };
  if (f.from) term('at >= ?', f.from);
  if (f.to) term('at < ?', dayAfter(f.to));
  if (f.chapterId !== null) term('chapter_id = ?', f.chapterId);
  if (f.campaignId !== null) term('campaign_id = ?', f.campaignId);
  return sqlAll(`SELECT step, outcome, count(*) AS records FROM decision_records WHERE ${terms.join(' AND ')} GROUP BY step, outcome ORDER BY step, records DESC, outcome`, ...args);
}

/** Median and 90th percentile (nearest rank) of every group's durations, from all the rows, sorted here. */
function decisionTimesCounted(f: InsightsFilter) {
  const rows = sqlAll<{ chapter_id: number; campaign_id: number; days: number }>(
    `SELECT chapter_id, campaign_id, julianday(decided_at) - julianday(submitted_at) AS days FROM proposals
      WHERE decided_at IS NOT NULL AND submitted_at IS NOT NULL AND state IN ('approved', 'rejected', 'expired')
        AND julianday(decided_at) - julianday(submitted_at) >= 0 AND (CAST(? AS bigint) IS NULL OR chapter_id = ?) AND (CAST(? AS bigint) IS NULL OR campaign_id = ?)`,
    f.chapterId,
    f.chapterId,
    f.campaignId,
    f.campaignId,
  );
  const groups = new Map<string, number[]>();
  const add = (key: string, days: number) => groups.set(key, [...(groups.get(key) ?? []), days]);
  for (const r of rows) {
    add('all:0', r.days);
    add(`chapter:${r.chapter_id}`, r.days);
    add(`campaign:${r.campaign_id}`, r.days);
  }
  return [...groups]
    .map(([name, days]) => {
      const sorted = days.sort((a, b) => a - b);
      const n = sorted.length;
      const [grouping, key] = name.split(':');
      return {
        grouping,
        key: Number(key),
        decided: n,
        median_days: (sorted[Math.floor((n - 1) / 2)]! + sorted[Math.floor(n / 2)]!) / 2,
        p90_days: sorted[Math.max(0, Math.ceil(0.9 * n) - 1)],
      };
    })
    .sort((a, b) => a.grouping!.localeCompare(b.grouping!) || a.key - b.key);
}

function expectKeptAsCounted(after: string) {
  const { kept, counted } = keptAndCounted();
  expect(kept, after).toEqual(counted);
  const none: InsightsFilter = { from: null, to: null, chapterId: null, campaignId: null };
  const chapterId = actor('lead@cosponsor.test').chapterId;
  const filters: InsightsFilter[] = [
    none,
    { ...none, chapterId },
    { ...none, campaignId: campaignId('israel_opt') },
    // Whole months, a range with loose days at both ends, one inside a single month, open ends.
    { ...none, from: '2030-01-01', to: '2031-12-31' },
    { ...none, from: '2030-03-17', to: '2031-02-09', chapterId },
    { ...none, from: '2031-02-03', to: '2031-02-20' },
    { ...none, from: '2030-03-17', to: '2031-02-09' },
    { ...none, from: '2030-05-02' },
    { ...none, to: '2031-01-30' },
  ];
  forgetInsights();
  for (const f of filters) expect(stepOutcomes(f), `${after}: ${JSON.stringify(f)}`).toEqual(stepOutcomesCounted(f));
  expect(perceptionConditions(none).reduce((n, r) => n + r.proposals, 0), after).toBe(counted.conditions.length);
  // Decision times read at their ranks (no date range) say what sorting every duration says.
  for (const f of filters.filter((x) => !x.from && !x.to)) expect(decisionTimes(f), `${after}: ${JSON.stringify(f)}`).toEqual(decisionTimesCounted(f));
}

const at = <T>(iso: string, fn: () => T): T => withClock(() => Date.parse(iso), fn);
const STAFF = 'staff@cosponsor.test';
// Whoever last changed a proposal (an override, a classification) does not decide it next (four-eyes).
const STAFF2 = 'staff2@cosponsor.test';
const LEAD = 'lead@cosponsor.test';
const ok = (result: { ok: boolean; error?: { message: string } }) => {
  if (!result.ok) throw new Error(`${result.error?.message} ${JSON.stringify(result.error)}`);
};

describe('the insights counts kept by triggers', () => {
  it('match counting the rows after every kind of write', () => {
    expectKeptAsCounted('the seeded database');
    const bds = newPartner('Counts BDS Partner', ['supports_bds']);
    const plain = newPartner('Counts Plain Partner');

    const a = at('2030-03-20T10:00:00.000Z', () => proposalInReview({ partnerId: bds, perceptionConditions: 2 }));
    expectKeptAsCounted('every step of a proposal');
    at('2030-03-21T10:00:00.000Z', () => ok(decideAs(STAFF, a, { type: 'OVERRIDE_OUTCOME', step: 'values', outcome: 'compatible', rationale: 'Funding is published.' })));
    expectKeptAsCounted('an override');
    at('2030-03-22T10:00:00.000Z', () => ok(decideAs(STAFF2, a, { type: 'REQUEST_CHANGES', step: 'perception', rationale: 'Please review the listing text again.' })));
    const answers = Object.fromEntries(
      ['no_boycott_call_in_name', 'not_on_bds_materials', 'logo_not_beside_bds', 'speakers_no_bds_advocacy', 'no_bds_signup', 'approved_talking_points', 'disclaimer_on_listing', 'written_acceptance'].map(
        (key, i) => [key, { answer: i >= 4 ? 'condition' : 'met', note: '' }],
      ),
    );
    at('2031-02-05T10:00:00.000Z', () => ok(decideAs(LEAD, a, { type: 'SUBMIT_PERCEPTION', input: { answers } })));
    expectKeptAsCounted('a perception review done again with other conditions');
    at('2031-02-06T10:00:00.000Z', () => ok(decideAs(LEAD, a, { type: 'MOU_NOT_NEEDED', reason: 'A one-off co-listing only.' })));
    at('2031-02-07T10:00:00.000Z', () => ok(decideAs(STAFF, a, { type: 'APPROVE', conditions: [], endDate: '2031-03-01', rationale: 'Approved after the second perception review.' })));
    expectKeptAsCounted('an approval');

    const b = at('2031-02-10T10:00:00.000Z', () =>
      proposalInReview({ partnerId: plain, agenda: [{ text: 'A boycott of the sponsor', scope: 'event', classification: 'unknown', positionKey: null }] }),
    );
    const unknown = currentAgendaItems(b).find((i) => i.classification === 'unknown');
    if (unknown) {
      at('2031-02-11T10:00:00.000Z', () =>
        ok(decideAs(STAFF, b, { type: 'CLASSIFY_AGENDA_ITEM', itemId: unknown.id, classification: 'no_position', positionKey: 'boycott_of_israel', rationale: 'A boycott call: the organization takes no position on it.' })),
      );
      expectKeptAsCounted('a classification');
    }
    at('2031-02-12T10:00:00.000Z', () => ok(decideAs(STAFF2, b, { type: 'REJECT', rationale: 'Declined after weighing the agenda.' })));
    const c = at('2031-02-13T10:00:00.000Z', () => proposalInReview({ partnerId: plain }));
    at('2031-02-14T10:00:00.000Z', () => ok(decideAs(LEAD, c, { type: 'WITHDRAW', reason: 'Cancelled.' })));
    expectKeptAsCounted('a rejection and a withdrawal');
    at('2031-03-02T01:00:00.000Z', () => expireDueApprovals('2031-03-02'));
    expectKeptAsCounted('an expiry');

    const d = proposalInReview({ partnerId: plain });
    recordScreeningAnswer({ partnerId: plain, proposalId: d, stage: 'creation', answer: matchAnswer([designationResult], null), source: 'test fixture' });
    ok({ ...judgeScreeningHit(actor(STAFF), d, { entityId: designationResult.id, reason: 'Another group in another country.' }), error: { message: 'judgment refused' } });
    expectKeptAsCounted('a screening judgment');

    // A perception review edited or removed in the file by hand: the extracted conditions follow it.
    const latest = sqlGet<{ id: number; data: string }>("SELECT id, data FROM step_submissions WHERE proposal_id = ? AND step = 'perception' ORDER BY id DESC LIMIT 1", a)!;
    sqlRun('UPDATE step_submissions SET data = ? WHERE id = ?', latest.data.replaceAll('"condition"', '"met"'), latest.id);
    expectKeptAsCounted('a review edited by hand');
    sqlRun('DELETE FROM step_submissions WHERE id = ?', latest.id);
    expectKeptAsCounted('a review removed by hand');
  });

  it('split a date range into whole months and the loose days at either end', () => {
    expect(wholeMonths('2030-03-17', '2031-02-09')).toEqual({
      first: '2030-04',
      last: '2031-01',
      before: { from: '2030-03-17', to: '2030-03-31' },
      after: { from: '2031-02-01', to: '2031-02-09' },
    });
    expect(wholeMonths('2030-01-01', '2030-12-31')).toEqual({ first: '2030-01', last: '2030-12', before: null, after: null });
    expect(wholeMonths('2031-02-03', '2031-02-20')).toBeNull();
    expect(wholeMonths(null, '2024-02-28')).toEqual({ first: null, last: '2024-01', before: null, after: { from: '2024-02-01', to: '2024-02-28' } });
    expect(wholeMonths(null, '2024-02-29')).toEqual({ first: null, last: '2024-02', before: null, after: null });
  });
});
