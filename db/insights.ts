import { sql, type RawBuilder } from 'kysely';
import { all, qb } from './connection';

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

// ---- Outcomes over time ----

/**
 * The records that settle where a proposal stands: a staff decision (approved, rejected),
 * a withdrawal, an expiry, or a transition into staff review (policy.entersReview).
 * Same text as the partial index decision_records_milestones (migration 0140).
 */
const MILESTONE_WHERE = sql.raw(
  `((step = 'decision' AND outcome IN ('approved', 'rejected')) OR (step = 'proposal' AND outcome IN ('withdrawn', 'expired')) OR (to_state = 'review' AND from_state IS NOT 'review'))`,
);

export const MILESTONES = ['approved', 'rejected', 'withdrawn', 'expired', 'review'] as const;
export type Milestone = (typeof MILESTONES)[number];

export type MonthlyMilestoneRow = { month: string; milestone: Milestone; proposals: number };

/** Per UTC month of the record: how many proposals were approved, rejected, withdrawn, expired or sent to staff review. */
export function milestonesByMonth(filter: InsightsFilter): MonthlyMilestoneRow[] {
  return rows<MonthlyMilestoneRow>(sql`
    SELECT substr(d.at, 1, 7) AS month,
      CASE WHEN d.step IN ('decision', 'proposal') AND d.outcome IN ('approved', 'rejected', 'withdrawn', 'expired') THEN d.outcome ELSE 'review' END AS milestone,
      COUNT(DISTINCT d.proposal_id) AS proposals
    FROM decision_records AS d INDEXED BY decision_records_milestones
    WHERE ${MILESTONE_WHERE}${filterTerms(filter, 'd', 'at')}
    GROUP BY month, milestone
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

/**
 * Median and 90th percentile of the days between a proposal's submission to staff and staff's
 * decision, as the decision wrote them on the proposal (submitted_at: when it last entered review;
 * decided_at: when it was approved or rejected), over proposals decided in the date range.
 * Median: the middle value (the mean of the two middle ones for an even count);
 * 90th percentile: nearest rank (the value at rank ⌈0.9·n⌉).
 */
export function decisionTimes(filter: InsightsFilter): DecisionTimeRow[] {
  return rows<DecisionTimeRow>(sql`
    WITH d AS (
      SELECT p.chapter_id, p.campaign_id, julianday(p.decided_at) - julianday(p.submitted_at) AS days
      FROM proposals AS p INDEXED BY proposals_decided
      WHERE p.decided_at IS NOT NULL AND p.submitted_at IS NOT NULL AND p.decided_at >= p.submitted_at
        AND p.state IN ('approved', 'rejected', 'expired')${filterTerms(filter, 'p', 'decided_at')}
    ),
    ranked AS (
      SELECT 'all' AS grouping, 0 AS key, days,
        ROW_NUMBER() OVER (ORDER BY days) AS rn, COUNT(*) OVER () AS n FROM d
      UNION ALL
      SELECT 'chapter', chapter_id, days,
        ROW_NUMBER() OVER (PARTITION BY chapter_id ORDER BY days), COUNT(*) OVER (PARTITION BY chapter_id) FROM d
      UNION ALL
      SELECT 'campaign', campaign_id, days,
        ROW_NUMBER() OVER (PARTITION BY campaign_id ORDER BY days), COUNT(*) OVER (PARTITION BY campaign_id) FROM d
    )
    SELECT grouping, key, MAX(n) AS decided,
      AVG(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN days END) AS median_days,
      MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN days END) AS p90_days
    FROM ranked
    GROUP BY grouping, key
    ORDER BY grouping, key`);
}

// ---- Step outcomes ----

/** Same text as the partial index decision_records_step_outcomes (migration 0140). */
const STEP_WHERE = sql.raw(`step IN ('values', 'agenda', 'risk', 'perception', 'mou')`);

export type StepOutcomeRow = { step: string; outcome: string; records: number };

/**
 * How often each step ended with each outcome, counted over the step's records in the range:
 * a step sent back and submitted again counts again. Overrides and agenda classifications are
 * staff corrections, not a step's outcome, and are left out.
 */
export function stepOutcomes(filter: InsightsFilter): StepOutcomeRow[] {
  return rows<StepOutcomeRow>(sql`
    SELECT d.step, d.outcome, COUNT(*) AS records
    FROM decision_records AS d INDEXED BY decision_records_step_outcomes
    WHERE ${STEP_WHERE} AND d.outcome NOT IN ('overridden', 'classified')${filterTerms(filter, 'd', 'at')}
    GROUP BY d.step, d.outcome
    ORDER BY d.step, records DESC, d.outcome`);
}

// ---- Risk categories and perception conditions ----

export type RiskCategoryRow = { category: string; proposals: number; items: number };

/**
 * The risk categories named in each proposal's current risk assessment, most frequent first.
 * The date range applies to when that assessment was submitted.
 */
export function riskCategories(filter: InsightsFilter): RiskCategoryRow[] {
  const byProposal = filter.chapterId !== null || filter.campaignId !== null;
  const byDate = filter.from !== null || filter.to !== null;
  return rows<RiskCategoryRow>(sql`
    SELECT r.category, COUNT(DISTINCT r.proposal_id) AS proposals, COUNT(*) AS items
    FROM risk_items AS r INDEXED BY risk_items_current_category
    ${byProposal ? sql`JOIN proposals AS p ON p.id = r.proposal_id` : sql``}
    ${byDate ? sql`JOIN step_submissions AS s ON s.id = r.submission_id` : sql``}
    WHERE r.current = 1 AND r.kind = 'risk'
      ${byProposal ? filterTerms({ ...filter, from: null, to: null }, 'p', null) : sql``}
      ${byDate ? filterTerms({ ...filter, chapterId: null, campaignId: null }, 's', 'submitted_at') : sql``}
    GROUP BY r.category
    ORDER BY proposals DESC, items DESC, r.category`);
}

export type PerceptionConditionRow = { item: string; proposals: number };

/**
 * The perception checklist items each proposal's latest perception review made a condition
 * (answered "condition": they become MOU clauses), most frequent first.
 * The date range applies to when that review was submitted.
 */
export function perceptionConditions(filter: InsightsFilter): PerceptionConditionRow[] {
  const byProposal = filter.chapterId !== null || filter.campaignId !== null;
  return rows<PerceptionConditionRow>(sql`
    SELECT j.key AS item, COUNT(*) AS proposals
    FROM step_submissions AS s INDEXED BY step_submissions_perception
    ${byProposal ? sql`JOIN proposals AS p ON p.id = s.proposal_id` : sql``}
    JOIN json_each(s.data, '$.answers') AS j
    WHERE s.step = 'perception'
      AND s.id = (SELECT MAX(t.id) FROM step_submissions AS t WHERE t.proposal_id = s.proposal_id AND t.step = 'perception')
      AND json_extract(j.value, '$.answer') = 'condition'
      ${byProposal ? filterTerms({ ...filter, from: null, to: null }, 'p', null) : sql``}
      ${filterTerms({ ...filter, chapterId: null, campaignId: null }, 's', 'submitted_at')}
    GROUP BY j.key
    ORDER BY proposals DESC, j.key`);
}

// ---- Re-vetting ----

export const REVETTING_BUCKETS = ['ended', 'within_7', 'within_30', 'within_90'] as const;
export type RevettingBucket = (typeof REVETTING_BUCKETS)[number];

export type RevettingBucketRow = { bucket: RevettingBucket; approvals: number; renewed: number };

/**
 * Approvals by how soon their end date comes (ended: expired, or past the end date and not yet
 * swept), and how many of their partners already have a later proposal. Not limited by the
 * date range: it is about today.
 */
export function revettingBuckets(filter: InsightsFilter, today: string): RevettingBucketRow[] {
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
      SUM(EXISTS (SELECT 1 FROM proposals AS m WHERE m.partner_id = p.partner_id AND m.id > p.id)) AS renewed
    FROM proposals AS p
    WHERE (p.state = 'expired' OR (p.state = 'approved' AND p.approved_until <= ${plus(90)}))
      ${filterTerms({ ...filter, from: null, to: null }, 'p', null)}
    GROUP BY bucket`);
}

// ---- The filter form's choices ----

export function insightsChoices(): { chapters: { id: number; name: string }[]; campaigns: { id: number; name: string }[] } {
  return {
    chapters: all(qb().selectFrom('chapters').select(['id', 'name']).orderBy('name')),
    campaigns: all(qb().selectFrom('campaigns').select(['id', 'name']).orderBy('name')),
  };
}
