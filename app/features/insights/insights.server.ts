import { z } from 'zod';
import { activeConfig } from '../../../db/config';
import {
  decisionTimes,
  insightsChoices,
  milestonesByMonth,
  MILESTONES,
  perceptionConditions,
  REVETTING_BUCKETS,
  revettingBuckets,
  riskCategories,
  stepOutcomes,
  type InsightsFilter,
  type Milestone,
  type RevettingBucket,
} from '../../../db/insights';
import { can, type ActingUser } from '../../../workflows/policy';
import { AGENDA_OUTCOMES, PERCEPTION_OUTCOMES, RISK_OUTCOMES, STEPS, VALUES_OUTCOMES } from '../../../workflows/types';
import { outcomeLabel, stepLabel } from '../../utils/labels';
import { toCsv } from '../register/csv';
import { DecisionError } from '../vetting/vetting.server';
import { isRealDay } from '../../utils/calendar-day';
import { wholeNumber } from '../../utils/whole-number.server';

// The insights page's figures: who may see them, the filter as it travels in
// the URL, and each aggregate as a table of words and numbers that the page
// draws as a chart, shows as a table and exports as CSV, all from one shape.

export type { InsightsFilter };

export type Refused = { ok: false; error: DecisionError };

// ---- The filter in the URL ----

const id = wholeNumber('Give a record number in digits (like 12).');
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.')
  .refine(isRealDay, {
    message: 'This date does not exist.',
  });

const FIELDS = { from: day, to: day, chapter: id, campaign: id } as const;
type FieldName = keyof typeof FIELDS;

export const FIELD_LABEL: Record<FieldName, string> = { from: 'from date', to: 'to date', chapter: 'chapter', campaign: 'campaign' };

export type InsightsQuery = {
  filter: InsightsFilter;
  /** Parameters that could not be used, by name: left out and reported, so an old link still opens. */
  errors: Partial<Record<FieldName, string>>;
};

export function parseInsightsQuery(params: URLSearchParams, choices: ReturnType<typeof insightsChoices> = insightsChoices()): InsightsQuery {
  const values: Partial<Record<FieldName, string | number>> = {};
  const errors: InsightsQuery['errors'] = {};
  // A number that names no chapter or campaign is left out like a word: used, it read as zero everywhere under "All chapters".
  const known = { chapter: new Set(choices.chapters.map((c) => c.id)), campaign: new Set(choices.campaigns.map((c) => c.id)) };
  for (const name of Object.keys(FIELDS) as FieldName[]) {
    const raw = params.get(name);
    if (raw === null || raw.trim() === '') continue;
    const parsed = FIELDS[name].safeParse(raw.trim());
    const unknown = parsed.success && (name === 'chapter' || name === 'campaign') && !known[name].has(parsed.data as number);
    if (parsed.success && !unknown) values[name] = parsed.data;
    else errors[name] = name === 'chapter' || name === 'campaign' ? 'it is not one of those in the list.' : (parsed.error?.issues[0]?.message ?? 'Invalid value.');
  }
  if (typeof values.from === 'string' && typeof values.to === 'string' && values.from > values.to) {
    errors.to = 'The end date is before the start date.';
    delete values.to;
  }
  return {
    filter: {
      from: (values.from as string | undefined) ?? null,
      to: (values.to as string | undefined) ?? null,
      chapterId: (values.chapter as number | undefined) ?? null,
      campaignId: (values.campaign as number | undefined) ?? null,
    },
    errors,
  };
}

/** The URL parameters of a filter, empty ones left out: for links and the CSV downloads. */
export function insightsSearchParams(filter: InsightsFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  if (filter.chapterId !== null) params.set('chapter', String(filter.chapterId));
  if (filter.campaignId !== null) params.set('campaign', String(filter.campaignId));
  return params;
}

// ---- Tables ----

export const TABLE_NAMES = ['outcomes', 'decision-times', 'step-outcomes', 'risk-categories', 'perception-conditions', 'revetting'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export function isTableName(name: string | null): name is TableName {
  return name !== null && (TABLE_NAMES as readonly string[]).includes(name);
}

export type Cell = string | number | null;
type TableColumn = { key: string; header: string; numeric?: boolean };
export type InsightsTable = { name: TableName; title: string; columns: TableColumn[]; rows: Record<string, Cell>[] };

const MILESTONE_LABEL: Record<Milestone, string> = {
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
  review: 'Sent to staff review',
};

/** Every month from the first to the last, so a quiet month shows as zero, not as a gap. */
function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

function outcomesTable(filter: InsightsFilter): InsightsTable {
  const found = milestonesByMonth(filter);
  const byMonth = new Map<string, Record<Milestone, number>>();
  for (const r of found) {
    const counts = byMonth.get(r.month) ?? { approved: 0, rejected: 0, withdrawn: 0, expired: 0, review: 0 };
    counts[r.milestone] = r.proposals;
    byMonth.set(r.month, counts);
  }
  const months = found.length === 0 ? [] : monthsBetween(found[0]!.month, found[found.length - 1]!.month);
  return {
    name: 'outcomes',
    title: 'Proposals by outcome, per month',
    columns: [{ key: 'month', header: 'Month (UTC)' }, ...MILESTONES.map((m) => ({ key: m, header: MILESTONE_LABEL[m], numeric: true }))],
    rows: months.map((month) => ({ month, ...(byMonth.get(month) ?? { approved: 0, rejected: 0, withdrawn: 0, expired: 0, review: 0 }) })),
  };
}

const oneDecimal = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

function decisionTimesTable(filter: InsightsFilter, names: ReturnType<typeof insightsChoices>): InsightsTable {
  const chapter = new Map(names.chapters.map((c) => [c.id, c.name]));
  const campaign = new Map(names.campaigns.map((c) => [c.id, c.name]));
  const order = { all: 0, chapter: 1, campaign: 2 } as const;
  const found = decisionTimes(filter)
    .map((r) => ({
      by: r.grouping === 'all' ? 'All' : r.grouping === 'chapter' ? 'Chapter' : 'Campaign',
      name: r.grouping === 'all' ? 'All decided proposals' : ((r.grouping === 'chapter' ? chapter : campaign).get(r.key) ?? `#${r.key}`),
      decided: r.decided,
      median: oneDecimal(r.median_days),
      p90: oneDecimal(r.p90_days),
      order: order[r.grouping],
    }))
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  return {
    name: 'decision-times',
    title: 'Days from submission to staff to the decision',
    columns: [
      { key: 'by', header: 'Grouped by' },
      { key: 'name', header: 'Group' },
      { key: 'decided', header: 'Decided proposals', numeric: true },
      { key: 'median', header: 'Median (days)', numeric: true },
      { key: 'p90', header: '90th percentile (days)', numeric: true },
    ],
    rows: found.map(({ order: _order, ...r }) => r),
  };
}

/** Each step's outcomes in the order the step defines them; outcomes only the log knows follow. */
const STEP_OUTCOME_ORDER: Record<string, readonly string[]> = {
  values: [...VALUES_OUTCOMES, 'skipped'],
  agenda: [...AGENDA_OUTCOMES, 'skipped'],
  risk: [...RISK_OUTCOMES, 'skipped'],
  perception: [...PERCEPTION_OUTCOMES, 'not_applicable', 'skipped'],
  mou: ['submitted', 'mou_not_needed', 'skipped'],
};

/** An outcome in words, as it reads for its step (the MOU's "submitted" is the drafted MOU sent on). */
function stepOutcomeLabel(step: string, outcome: string): string {
  if (step === 'mou' && outcome === 'submitted') return 'MOU submitted';
  return outcomeLabel(outcome);
}

function stepOutcomesTable(filter: InsightsFilter): InsightsTable {
  const found = stepOutcomes(filter);
  const totals = new Map<string, number>();
  for (const r of found) totals.set(r.step, (totals.get(r.step) ?? 0) + r.records);
  const rank = (step: string, outcome: string) => {
    const i = STEP_OUTCOME_ORDER[step]?.indexOf(outcome) ?? -1;
    return i < 0 ? 99 : i;
  };
  const stepRank = (step: string) => {
    const i = (STEPS as readonly string[]).indexOf(step);
    return i < 0 ? 99 : i;
  };
  const sorted = [...found].sort((a, b) => stepRank(a.step) - stepRank(b.step) || rank(a.step, a.outcome) - rank(b.step, b.outcome));
  return {
    name: 'step-outcomes',
    title: 'Outcomes of each vetting step',
    columns: [
      { key: 'step', header: 'Step' },
      { key: 'outcome', header: 'Outcome' },
      { key: 'records', header: 'Times recorded', numeric: true },
      { key: 'share', header: 'Share of the step (%)', numeric: true },
    ],
    rows: sorted.map((r) => ({
      step: stepLabel(r.step),
      outcome: stepOutcomeLabel(r.step, r.outcome),
      records: r.records,
      share: oneDecimal((100 * r.records) / (totals.get(r.step) ?? 1)),
    })),
  };
}

/** A configuration key in words: "logo_not_beside_bds" -> "Logo not beside BDS". */
const humanize = (key: string) => {
  const words = key.replace(/_/g, ' ').trim().replace(/\b(bds|mou)\b/gi, (w) => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
};

function riskCategoriesTable(filter: InsightsFilter): InsightsTable {
  return {
    name: 'risk-categories',
    title: 'Most frequent risk categories',
    columns: [
      { key: 'category', header: 'Risk category' },
      { key: 'proposals', header: 'Proposals', numeric: true },
      { key: 'items', header: 'Risks named', numeric: true },
    ],
    rows: riskCategories(filter).map((r) => ({ category: humanize(r.category), proposals: r.proposals, items: r.items })),
  };
}

function perceptionConditionsTable(filter: InsightsFilter): InsightsTable {
  const items = new Map(activeConfig().docs.perception_checklist.items.map((i) => [i.key, i]));
  return {
    name: 'perception-conditions',
    title: 'Most frequent perception conditions',
    columns: [
      { key: 'item', header: 'Checklist item' },
      { key: 'condition', header: 'Condition (MOU clause)' },
      { key: 'proposals', header: 'Proposals', numeric: true },
    ],
    rows: perceptionConditions(filter).map((r) => ({
      item: humanize(r.item),
      // An item since removed from the checklist keeps its key as its name. The clause reads as it
      // does in any MOU, without a particular proposal's names.
      condition: (items.get(r.item)?.condition ?? '').replace(/\{\{organization\}\}/g, 'the organization').replace(/\{\{partner\}\}/g, 'the partner'),
      proposals: r.proposals,
    })),
  };
}

const REVETTING_LABEL: Record<RevettingBucket, string> = {
  ended: 'Ended in the last 90 days',
  within_7: 'Ends within 7 days',
  within_30: 'Ends in 8 to 30 days',
  within_90: 'Ends in 31 to 90 days',
};

function revettingTable(filter: InsightsFilter, today: string): InsightsTable {
  const found = new Map(revettingBuckets(filter, today).map((r) => [r.bucket, r]));
  return {
    name: 'revetting',
    title: 'Re-vetting due',
    columns: [
      { key: 'when', header: 'End date' },
      { key: 'approvals', header: 'Approvals', numeric: true },
      { key: 'renewed', header: 'Partner already proposed again', numeric: true },
      { key: 'due', header: 'Still to re-vet', numeric: true },
    ],
    rows: REVETTING_BUCKETS.map((bucket) => {
      const r = found.get(bucket);
      const approvals = r?.approvals ?? 0;
      const renewed = r?.renewed ?? 0;
      return { when: REVETTING_LABEL[bucket], approvals, renewed, due: approvals - renewed };
    }),
  };
}

function tableFor(name: TableName, filter: InsightsFilter, today: string, names: () => ReturnType<typeof insightsChoices>): InsightsTable {
  switch (name) {
    case 'outcomes':
      return outcomesTable(filter);
    case 'decision-times':
      return decisionTimesTable(filter, names());
    case 'step-outcomes':
      return stepOutcomesTable(filter);
    case 'risk-categories':
      return riskCategoriesTable(filter);
    case 'perception-conditions':
      return perceptionConditionsTable(filter);
    case 'revetting':
      return revettingTable(filter, today);
  }
}

function refusal(actor: ActingUser): Refused | null {
  const permission = can(actor, 'insights.view');
  return permission.ok ? null : { ok: false, error: new DecisionError('forbidden', permission.reason) };
}

export type Insights = {
  ok: true;
  tables: Record<TableName, InsightsTable>;
  choices: ReturnType<typeof insightsChoices>;
};

/** Every table of the page, for this filter, if this person may see them. */
export function insightsFor(actor: ActingUser, filter: InsightsFilter, today: string): Insights | Refused {
  const refused = refusal(actor);
  if (refused) return refused;
  const choices = insightsChoices();
  const tables = Object.fromEntries(TABLE_NAMES.map((name) => [name, tableFor(name, filter, today, () => choices)])) as Record<TableName, InsightsTable>;
  return { ok: true, tables, choices };
}

/** One table as CSV (words, not codes; formula-looking text neutralized, see csv.ts). */
export function insightsCsv(
  actor: ActingUser,
  filter: InsightsFilter,
  name: TableName,
  today: string,
): { ok: true; filename: string; text: string } | Refused {
  const refused = refusal(actor);
  if (refused) return refused;
  const table = tableFor(name, filter, today, insightsChoices);
  const text = toCsv(
    table.rows,
    table.columns.map((c) => ({ header: c.header, value: (row: Record<string, Cell>) => row[c.key] })),
  );
  return { ok: true, filename: `insights-${name}-${today}.csv`, text };
}
