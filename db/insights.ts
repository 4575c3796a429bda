import { sql, type RawBuilder } from 'kysely';
import { all, allArrays, database, qb, raw } from './connection';
import { indexedBy, isDistinctFrom, orderedJoin } from './sql-dialect';

// Insights: aggregates over what the decision log and the proposals hold, each
// one SQL statement, so the page costs the same at 200 or 20,000 proposals.
// Migration 0140 adds the indexes these statements read; the partial indexes
// are used only when a statement repeats the index's WHERE clause word for
// word, so those clauses are kept in the constants below and in the migration.

/** What the page is filtered on. Days are inclusive UTC days (YYYY-MM-DD). */
export type InsightsFilter = {
  from: string | null;
  to: string | null;
  chapterId: number | null;
  campaignId: number | null;
};

function rows<R>(query: RawBuilder<R>): R[] {
  return all({ compile: () => query.compile(qb()) });
}

/** Rows as arrays of values, not objects: a third of the cost when there are thousands of them. */
function arrays<R extends unknown[]>(query: RawBuilder<unknown>): R[] {
  return allArrays<R>(raw(query));
}

function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** AND-terms for a table with chapter_id, campaign_id and a time column, from the filter. */
function filterTerms(filter: InsightsFilter, alias: string, timeColumn: string | null): RawBuilder<unknown> {
  const terms: RawBuilder<unknown>[] = [];
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  if (timeColumn && filter.from) terms.push(sql`${col(timeColumn)} >= ${filter.from}`);
  // ISO timestamps sort as text: everything before the next day is on or before `to`.
  if (timeColumn && filter.to) terms.push(sql`${col(timeColumn)} < ${dayAfter(filter.to)}`);
  if (filter.chapterId !== null) terms.push(sql`${col('chapter_id')} = ${filter.chapterId}`);
  if (filter.campaignId !== null) terms.push(sql`${col('campaign_id')} = ${filter.campaignId}`);
  return terms.length === 0 ? sql`` : sql` AND ${sql.join(terms, sql` AND `)}`;
}

// ---- Remembered until the log moves ----

// Everything these figures read (records, step submissions, risk items, a proposal's state and
// times) is written in the same transaction as a decision record, so the newest record's seq
// says whether a figure computed before is still true. A few recent answers are kept, so
// reading the page again, or downloading its tables, costs one index lookup per figure.
const REMEMBERED = 64;
const remembered = new Map<string, unknown>();

function logHead(): number {
  return all(qb().selectFrom('decision_records').select((eb) => eb.fn.max('seq').as('seq')))[0]?.seq ?? 0;
}

function cached<A extends unknown[], R>(name: string, compute: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    const key = `${database().path}\u0000${logHead()}\u0000${name}\u0000${JSON.stringify(args)}`;
    if (remembered.has(key)) {
      const value = remembered.get(key) as R;
      // Most recently used last, so the oldest goes first.
      remembered.delete(key);
      remembered.set(key, value);
      return value;
    }
    const value = compute(...args);
    remembered.set(key, value);
    if (remembered.size > REMEMBERED) remembered.delete(remembered.keys().next().value!);
    return value;
  };
}

/** Forgets every remembered figure (the benchmark measures the computation itself with it). */
export function forgetInsights(): void {
  remembered.clear();
}

// ---- Outcomes over time ----

/**
 * The records that settle where a proposal stands: a staff decision (approved, rejected),
 * a withdrawal, an expiry, or a transition into staff review (policy.entersReview).
 * Same text as the partial index decision_records_milestones (migration 0140).
 */
const milestoneWhere = () =>
  sql`((step = 'decision' AND outcome IN ('approved', 'rejected')) OR (step = 'proposal' AND outcome IN ('withdrawn', 'expired')) OR (to_state = 'review' AND from_state ${isDistinctFrom()} 'review'))`;

/** Which milestone a record is. Same text as the index's second expression (migration 0140). */
const MILESTONE_OF = sql.raw(
  `(CASE WHEN step IN ('decision', 'proposal') AND outcome IN ('approved', 'rejected', 'withdrawn', 'expired') THEN outcome ELSE 'review' END)`,
);

export const MILESTONES = ['approved', 'rejected', 'withdrawn', 'expired', 'review'] as const;
export type Milestone = (typeof MILESTONES)[number];

export type MonthlyMilestoneRow = { month: string; milestone: Milestone; proposals: number };

/** Per UTC month of the record: how many proposals were approved, rejected, withdrawn, expired or sent to staff review. */
function milestonesByMonthNow(filter: InsightsFilter): MonthlyMilestoneRow[] {
  // The month and the milestone are the index's leading expressions, so the groups come in order, unsorted.
  const fromMonth = filter.from ? sql` AND substr(d.at, 1, 7) >= ${filter.from.slice(0, 7)}` : sql``;
  return rows<MonthlyMilestoneRow>(sql`
    SELECT substr(d.at, 1, 7) AS month, ${MILESTONE_OF} AS milestone, COUNT(DISTINCT d.proposal_id) AS proposals
    FROM decision_records AS d${indexedBy('decision_records_milestones')}
    WHERE ${milestoneWhere()}${fromMonth}${filterTerms(filter, 'd', 'at')}
    GROUP BY substr(d.at, 1, 7), ${MILESTONE_OF}
    ORDER BY month, milestone`);
}

// ---- Time from submission to decision ----

export type DecisionTimeRow = {
  grouping: 'all' | 'chapter' | 'campaign';
  /** The chapter or campaign id; 0 for all. */
  key: number;
  decided: number;
  median_days: number;
  p90_days: number;
};

/** Days from submission to decision; same text as the index expression of proposals_decision_days (migration 0140). */
const DECISION_DAYS = sql.raw(`(julianday(decided_at) - julianday(submitted_at))`);

/** The middle value (the mean of the two middle ones for an even count) of ascending values. */
function median(sorted: number[]): number {
  const n = sorted.length;
  return (sorted[Math.floor((n - 1) / 2)]! + sorted[Math.floor(n / 2)]!) / 2;
}

/** Nearest rank: the value at rank ⌈p·n⌉ of ascending values. */
function nearestRank(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * Median and 90th percentile of the days between a proposal's submission to staff and staff's
 * decision, as the decision wrote them on the proposal (submitted_at: when it last entered review;
 * decided_at: when it was approved or rejected), over proposals decided in the date range;
 * overall, by chapter and by campaign.
 * SQLite has no percentile aggregate, and ranking with window functions sorts the rows once per
 * grouping (about 60 ms at 20,000 proposals); instead one statement reads the durations already
 * in order from an index, and the ranks are picked from those sorted lists.
 */
function decisionTimesNow(filter: InsightsFilter): DecisionTimeRow[] {
  if (!filter.from && !filter.to) return decisionTimesAtRanks(filter);
  const found = arrays<[chapterId: number, campaignId: number, days: number]>(sql`
    SELECT p.chapter_id, p.campaign_id, ${DECISION_DAYS} AS days
    FROM proposals AS p${indexedBy('proposals_decision_days')}
    WHERE decided_at IS NOT NULL AND submitted_at IS NOT NULL AND state IN ('approved', 'rejected', 'expired')
      AND ${DECISION_DAYS} >= 0${filterTerms(filter, 'p', 'decided_at')}
    ORDER BY ${DECISION_DAYS}`);
  const all: number[] = [];
  const byChapter = new Map<number, number[]>();
  const byCampaign = new Map<number, number[]>();
  const into = (groups: Map<number, number[]>, key: number, days: number) => {
    const list = groups.get(key);
    if (list) list.push(days);
    else groups.set(key, [days]);
  };
  for (const [chapterId, campaignId, days] of found) {
    all.push(days);
    into(byChapter, chapterId, days);
    into(byCampaign, campaignId, days);
  }
  const row = (grouping: DecisionTimeRow['grouping'], key: number, days: number[]): DecisionTimeRow => ({
    grouping,
    key,
    decided: days.length,
    median_days: median(days),
    p90_days: nearestRank(days, 0.9),
  });
  return [
    ...(all.length > 0 ? [row('all', 0, all)] : []),
    ...[...byChapter].map(([key, days]) => row('chapter', key, days)),
    ...[...byCampaign].map(([key, days]) => row('campaign', key, days)),
  ]
    .sort((a, b) => a.grouping.localeCompare(b.grouping) || a.key - b.key);
}

/** Same text as the WHERE of the proposals_decision_days indexes (migrations 0140 and 0180). */
const DECIDED_WHERE = sql.raw(`decided_at IS NOT NULL AND submitted_at IS NOT NULL AND state IN ('approved', 'rejected', 'expired')`);

/**
 * Without a date range: each group's count from the index by chapter or by campaign, then only the
 * durations at the median's and the 90th percentile's ranks, read in the index's order (LIMIT and
 * OFFSET), instead of every decided proposal's duration. The same figures as decisionTimesNow's.
 */
function decisionTimesAtRanks(filter: InsightsFilter): DecisionTimeRow[] {
  const scope = filterTerms({ ...filter, from: null, to: null }, 'p', null);
  const index = (by: 'chapter' | 'campaign' | null) => indexedBy(by === null ? 'proposals_decision_days' : `proposals_decision_days_by_${by}`);
  const counts = (by: 'chapter' | 'campaign') =>
    arrays<[key: number, n: number]>(sql`
      SELECT p.${sql.raw(`${by}_id`)}, COUNT(*) FROM proposals AS p${index(by)}
      WHERE ${DECIDED_WHERE} AND ${DECISION_DAYS} >= 0${scope}
      GROUP BY p.${sql.raw(`${by}_id`)}`);
  /** The durations from rank `offset` (0-based) on, in order, within a group. */
  const at = (by: 'chapter' | 'campaign' | null, key: number, limit: number, offset: number) =>
    arrays<[days: number]>(sql`
      SELECT ${DECISION_DAYS} FROM proposals AS p${index(by)}
      WHERE ${DECIDED_WHERE} AND ${DECISION_DAYS} >= 0${by === null ? sql`` : sql` AND p.${sql.raw(`${by}_id`)} = ${key}`}${scope}
      ORDER BY ${DECISION_DAYS} LIMIT ${limit} OFFSET ${offset}`).map((r) => r[0]);
  const row = (grouping: DecisionTimeRow['grouping'], by: 'chapter' | 'campaign' | null, key: number, n: number): DecisionTimeRow => {
    const middle = at(by, key, 2, Math.floor((n - 1) / 2));
    return {
      grouping,
      key,
      decided: n,
      median_days: n % 2 === 1 ? middle[0]! : (middle[0]! + middle[1]!) / 2,
      p90_days: at(by, key, 1, Math.max(0, Math.ceil(0.9 * n) - 1))[0]!,
    };
  };
  const byChapter = counts('chapter');
  const total = byChapter.reduce((sum, [, n]) => sum + n, 0);
  // The chapter's or campaign's own index when the filter names one: its group is one range.
  const allBy = filter.chapterId !== null ? 'chapter' : filter.campaignId !== null ? 'campaign' : null;
  const allKey = filter.chapterId ?? filter.campaignId ?? 0;
  return [
    ...(total > 0 ? [{ ...row('all', allBy, allKey, total), key: 0 }] : []),
    ...byChapter.map(([key, n]) => row('chapter', 'chapter', key, n)),
    ...counts('campaign').map(([key, n]) => row('campaign', 'campaign', key, n)),
  ].sort((a, b) => a.grouping.localeCompare(b.grouping) || a.key - b.key);
}

// ---- Step outcomes ----

/** Same text as the partial index decision_records_step_outcomes (migration 0140); overrides and classifications are corrections, not outcomes. */
const STEP_WHERE = sql.raw(`step IN ('values', 'agenda', 'risk', 'perception', 'mou') AND outcome NOT IN ('overridden', 'classified')`);

export type StepOutcomeRow = { step: string; outcome: string; records: number };

/**
 * How often each step ended with each outcome, counted over the step's records in the range:
 * a step sent back and submitted again counts again. Overrides and agenda classifications are
 * staff corrections, not a step's outcome, and are left out.
 */
function stepOutcomesNow(filter: InsightsFilter): StepOutcomeRow[] {
  const scope = filterTerms({ ...filter, from: null, to: null }, 'c', null);
  // No date range: the all-time counts per chapter and campaign the triggers keep (migration 0180).
  if (!filter.from && !filter.to) {
    return rows<StepOutcomeRow>(sql`
      SELECT c.step, c.outcome, SUM(c.n) AS records FROM insights_step_counts AS c WHERE 1 = 1${scope}
      GROUP BY c.step, c.outcome
      ORDER BY c.step, records DESC, c.outcome`);
  }
  // A date range: the whole months inside it from the monthly counts, the days at either end from the records.
  const months = wholeMonths(filter.from, filter.to);
  if (!months) return stepOutcomesFromRecords(filter);
  // Without a chapter or campaign, the months' totals: a few dozen rows a month.
  const byScope = filter.chapterId !== null || filter.campaignId !== null;
  const parts: StepOutcomeRow[][] = [
    rows<StepOutcomeRow>(sql`
      SELECT c.step, c.outcome, SUM(c.n) AS records FROM ${byScope ? sql`insights_step_month_counts` : sql`insights_step_month_totals`} AS c
      WHERE 1 = 1${months.first ? sql` AND c.month >= ${months.first}` : sql``}${months.last ? sql` AND c.month <= ${months.last}` : sql``}${scope}
      GROUP BY c.step, c.outcome`),
  ];
  if (months.before) parts.push(stepOutcomesFromRecords({ ...filter, ...months.before }));
  if (months.after) parts.push(stepOutcomesFromRecords({ ...filter, ...months.after }));
  const sums = new Map<string, StepOutcomeRow>();
  for (const r of parts.flat()) {
    const key = `${r.step}\u0000${r.outcome}`;
    const seen = sums.get(key);
    if (seen) seen.records += r.records;
    else sums.set(key, { ...r });
  }
  return [...sums.values()].sort((a, b) => (a.step < b.step ? -1 : a.step > b.step ? 1 : b.records - a.records || (a.outcome < b.outcome ? -1 : a.outcome > b.outcome ? 1 : 0)));
}

function stepOutcomesFromRecords(filter: InsightsFilter): StepOutcomeRow[] {
  return rows<StepOutcomeRow>(sql`
    SELECT d.step, d.outcome, COUNT(*) AS records
    FROM decision_records AS d${indexedBy('decision_records_step_outcomes')}
    WHERE ${STEP_WHERE}${filterTerms(filter, 'd', 'at')}
    GROUP BY d.step, d.outcome
    ORDER BY d.step, records DESC, d.outcome`);
}

const monthOf = (day: string) => day.slice(0, 7);
function shiftMonth(month: string, by: number): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + by);
  return d.toISOString().slice(0, 7);
}
/** The last day of a month, YYYY-MM-DD. */
const lastDayOf = (month: string) => {
  const d = new Date(`${shiftMonth(month, 1)}-01T00:00:00Z`);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
};

type DayRange = { from: string | null; to: string | null };

/**
 * The whole months inside an inclusive day range (null ends: unbounded), and the days before and
 * after them that are part of the range; null when the range holds no whole month.
 */
export function wholeMonths(from: string | null, to: string | null): { first: string | null; last: string | null; before: DayRange | null; after: DayRange | null } | null {
  const first = from === null ? null : from.endsWith('-01') ? monthOf(from) : shiftMonth(monthOf(from), 1);
  const last = to === null ? null : to === lastDayOf(monthOf(to)) ? monthOf(to) : shiftMonth(monthOf(to), -1);
  if (first !== null && last !== null && first > last) return null;
  return {
    first,
    last,
    before: from !== null && first !== monthOf(from) ? { from, to: lastDayOf(monthOf(from)) } : null,
    after: to !== null && last !== monthOf(to) ? { from: `${monthOf(to)}-01`, to } : null,
  };
}

// ---- Risk categories and perception conditions ----

export type RiskCategoryRow = { category: string; proposals: number; items: number };

/**
 * The risk categories named in each proposal's current risk assessment, most frequent first.
 * The date range applies to when that assessment was submitted.
 */
function riskCategoriesNow(filter: InsightsFilter): RiskCategoryRow[] {
  const byProposal = filter.chapterId !== null || filter.campaignId !== null;
  const byDate = filter.from !== null || filter.to !== null;
  const proposalTerms = filterTerms({ ...filter, from: null, to: null }, 'p', null);
  // CROSS JOIN fixes the order SQLite reads the tables in, from the narrowest side, and INDEXED BY
  // the index: without statistics (the app never runs ANALYZE) the planner may otherwise walk
  // every risk item for each proposal.
  const source = byDate
    ? // The risk assessments submitted in the range, then their current items.
      sql`step_submissions AS s${indexedBy('step_submissions_step_time')}
        ${orderedJoin()} risk_items AS r${indexedBy('risk_items_current_submission')} ON r.submission_id = s.id
        ${byProposal ? sql`${orderedJoin()} proposals AS p ON p.id = s.proposal_id` : sql``}
        WHERE s.step = 'risk'${filterTerms({ ...filter, chapterId: null, campaignId: null }, 's', 'submitted_at')}${proposalTerms} AND`
    : byProposal
      ? // The chapter's or campaign's proposals, then their current items.
        sql`proposals AS p ${orderedJoin()} risk_items AS r${indexedBy('risk_items_current_proposal')} ON r.proposal_id = p.id WHERE 1 = 1${proposalTerms} AND`
      : sql`risk_items AS r${indexedBy('risk_items_current_category')} WHERE`;
  return rows<RiskCategoryRow>(sql`
    SELECT r.category, COUNT(DISTINCT r.proposal_id) AS proposals, COUNT(*) AS items
    FROM ${source} r.current = 1 AND r.kind = 'risk'
    GROUP BY r.category
    ORDER BY proposals DESC, items DESC, r.category`);
}

export type PerceptionConditionRow = { item: string; proposals: number };

/**
 * The perception checklist items each proposal's latest perception review made a condition
 * (answered "condition": they become MOU clauses), most frequent first.
 * The date range applies to when that review was submitted.
 */
function perceptionConditionsNow(filter: InsightsFilter): PerceptionConditionRow[] {
  // Each proposal's latest review's conditions, extracted when the review was written (migration 0180).
  const byProposal = filter.chapterId !== null || filter.campaignId !== null;
  return rows<PerceptionConditionRow>(sql`
    SELECT c.item, COUNT(*) AS proposals
    FROM insights_perception_conditions AS c${indexedBy('insights_perception_conditions_item')}
    ${byProposal ? sql`${orderedJoin()} proposals AS p ON p.id = c.proposal_id` : sql``}
    WHERE 1 = 1
      ${byProposal ? filterTerms({ ...filter, from: null, to: null }, 'p', null) : sql``}
      ${filterTerms({ ...filter, chapterId: null, campaignId: null }, 'c', 'submitted_at')}
    GROUP BY c.item
    ORDER BY proposals DESC, c.item`);
}

// ---- Re-vetting ----

export const REVETTING_BUCKETS = ['ended', 'within_7', 'within_30', 'within_90'] as const;
export type RevettingBucket = (typeof REVETTING_BUCKETS)[number];

export type RevettingBucketRow = { bucket: RevettingBucket; approvals: number; renewed: number };

/**
 * Approvals whose end date is within 90 days of today either way, by how soon it comes (ended:
 * expired, or past the end date and not yet swept), and how many of their partners already have
 * a later proposal. Not limited by the date range: it is about today.
 */
function revettingBucketsNow(filter: InsightsFilter, today: string): RevettingBucketRow[] {
  const plus = (days: number) => {
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };
  return rows<RevettingBucketRow>(sql`
    SELECT CASE
        WHEN p.state = 'expired' OR p.approved_until < ${today} THEN 'ended'
        WHEN p.approved_until <= ${plus(7)} THEN 'within_7'
        WHEN p.approved_until <= ${plus(30)} THEN 'within_30'
        ELSE 'within_90' END AS bucket,
      COUNT(*) AS approvals,
      SUM(CASE WHEN EXISTS (SELECT 1 FROM proposals AS m WHERE m.partner_id = p.partner_id AND m.id > p.id) THEN 1 ELSE 0 END) AS renewed
    FROM proposals AS p
    WHERE p.state IN ('approved', 'expired') AND p.approved_until >= ${plus(-90)} AND p.approved_until <= ${plus(90)}
      ${filterTerms({ ...filter, from: null, to: null }, 'p', null)}
    GROUP BY bucket`);
}

export const milestonesByMonth = cached('milestones', milestonesByMonthNow);
export const decisionTimes = cached('decision-times', decisionTimesNow);
export const stepOutcomes = cached('step-outcomes', stepOutcomesNow);
export const riskCategories = cached('risk-categories', riskCategoriesNow);
export const perceptionConditions = cached('perception-conditions', perceptionConditionsNow);
export const revettingBuckets = cached('revetting', revettingBucketsNow);

// ---- The filter form's choices ----

export function insightsChoices(): { chapters: { id: number; name: string }[]; campaigns: { id: number; name: string }[] } {
  return {
    chapters: all(qb().selectFrom('chapters').select(['id', 'name']).orderBy('name')),
    campaigns: all(qb().selectFrom('campaigns').select(['id', 'name']).orderBy('name')),
  };
}
