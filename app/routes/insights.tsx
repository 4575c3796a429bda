import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react';
import { BarChart, formatNumber, MonthlyChart } from '../features/insights/charts';
import { Figure, InsightsStyles } from '../features/insights/insights-view';
import {
  FIELD_LABEL,
  insightsFor,
  insightsSearchParams,
  parseInsightsQuery,
  TABLE_NAMES,
  type InsightsTable,
  type TableName,
} from '../features/insights/insights.server';
import { todayUtc } from '../jobs/expiry.server';
import { can } from '../../workflows/policy';
import { actingUser, forbidden, requirePermission } from '../utils/auth.server';
import { formatDate } from '../utils/labels';

// Insights: how proposals fare, how long decisions take, what the steps find,
// and which approvals need re-vetting. Figures are drawn on the server; the
// filter is a plain GET form, so a view is a URL and works without JavaScript.

export const meta: MetaFunction = () => [{ title: 'Insights · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'insights.view');
  const actor = actingUser(user);
  const url = new URL(request.url);
  const { filter, errors } = parseInsightsQuery(url.searchParams);
  const dropped = Object.entries(errors).map(([name, reason]) => ({
    name,
    label: FIELD_LABEL[name as keyof typeof FIELD_LABEL],
    value: url.searchParams.get(name) ?? '',
    reason,
  }));
  const params = insightsSearchParams(filter);
  // The form sends its empty fields too: tidy the URL so it reads as the view it is.
  if (dropped.length === 0 && [...url.searchParams.values()].some((v) => v.trim() === '')) {
    throw redirect(params.size ? `/insights?${params}` : '/insights');
  }
  const today = todayUtc();
  const result = insightsFor(actor, filter, today);
  if (!result.ok) forbidden(result.error.message);
  const csvHref = Object.fromEntries(
    TABLE_NAMES.map((name) => {
      const p = new URLSearchParams(params);
      p.set('table', name);
      return [name, `/insights.csv?${p}`];
    }),
  ) as Record<TableName, string>;
  return json({
    today,
    filter,
    dropped,
    tables: result.tables,
    choices: result.choices,
    csvHref,
    canReview: can(actor, 'review.queue').ok,
    filtered: params.size > 0,
  });
}

/** The numbers of one column, as a chart series. */
const column = (table: InsightsTable, key: string) => table.rows.map((r) => (typeof r[key] === 'number' ? (r[key] as number) : null));

function Filters() {
  const { filter, choices } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    // Keyed by the URL so the fields show the view in the address bar after each navigation.
    <Form method="get" action="/insights" className="panel insights-filters" aria-labelledby="insights-filter-heading" key={location.search}>
      <h2 id="insights-filter-heading" className="visually-hidden">
        Filter the insights
      </h2>
      <div className="grid-filters">
        <div className="field">
          <label htmlFor="insights-from">From (UTC day)</label>
          <input id="insights-from" type="date" name="from" defaultValue={filter.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="insights-to">To (UTC day, inclusive)</label>
          <input id="insights-to" type="date" name="to" defaultValue={filter.to ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="insights-chapter">Chapter</label>
          <select id="insights-chapter" name="chapter" defaultValue={filter.chapterId ?? ''}>
            <option value="">All chapters</option>
            {choices.chapters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="insights-campaign">Campaign</label>
          <select id="insights-campaign" name="campaign" defaultValue={filter.campaignId ?? ''}>
            <option value="">All campaigns</option>
            {choices.campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form-actions" style={{ marginTop: '0.25rem' }}>
        <button type="submit" className="button">
          Show
        </button>
        <Link to="/insights">Clear the filters</Link>
      </div>
    </Form>
  );
}

function describeTotals(series: { name: string; values: number[] }[], months: string[]): string {
  const parts = series.map((s) => {
    const total = s.values.reduce((a, b) => a + b, 0);
    const peak = s.values.reduce((best, v, i) => (v > (s.values[best] ?? 0) ? i : best), 0);
    return total === 0 ? `${s.name}: none` : `${s.name}: ${formatNumber(total)} in all, most in ${months[peak]} (${formatNumber(s.values[peak] ?? 0)})`;
  });
  return `${months.length} months from ${months[0]} to ${months[months.length - 1]}. ${parts.join('; ')}.`;
}

function describeBars(rows: { label: string; values: (number | null)[] }[], series: string[], unit: string): string {
  return rows
    .map((r) => `${r.label}: ${r.values.map((v, i) => `${v === null ? 'no data' : `${formatNumber(v)}${unit}`}${series.length > 1 ? ` ${series[i]}` : ''}`).join(', ')}`)
    .join('; ');
}

export default function Insights() {
  const data = useLoaderData<typeof loader>();
  const { tables, csvHref } = data;
  const outcomes = tables.outcomes;
  const months = outcomes.rows.map((r) => String(r.month));
  const monthlySeries = outcomes.columns.slice(1).map((c) => ({ name: c.header, values: column(outcomes, c.key).map((v) => v ?? 0) }));

  const times = tables['decision-times'];
  const medians = column(times, 'median');
  const p90s = column(times, 'p90');
  const timeRows = times.rows.map((r, i) => ({ label: r.by === 'All' ? String(r.name) : `${r.by}: ${r.name}`, values: [medians[i] ?? null, p90s[i] ?? null] }));

  const steps = tables['step-outcomes'];
  const stepNames = [...new Set(steps.rows.map((r) => String(r.step)))];

  const risks = tables['risk-categories'];
  const riskRows = risks.rows.map((r) => ({ label: String(r.category), values: [r.proposals as number] }));
  const conditions = tables['perception-conditions'];
  const conditionRows = conditions.rows.map((r) => ({ label: String(r.item), values: [r.proposals as number] }));
  const revetting = tables.revetting;
  const revettingRows = revetting.rows.map((r) => ({ label: String(r.when), values: [r.due as number, r.renewed as number] }));
  const scope = data.filtered ? ' (filtered)' : '';

  return (
    <>
      <InsightsStyles />
      <div className="page-head">
        <div>
          <h1>Insights</h1>
          <p>
            How proposals fare across every chapter, from what the decision log and the proposals hold. Each chart has its data
            behind it and a CSV to download.
          </p>
        </div>
      </div>
      {data.dropped.length > 0 ? (
        <div className="alert alert--warn" role="status" data-testid="insights-dropped">
          <h2>Part of this filter was left out</h2>
          <ul className="error-list">
            {data.dropped.map((d) => (
              <li key={d.name}>
                The {d.label} “{d.value}” was not used: {d.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Filters />

      <Figure
        table={outcomes}
        csvHref={csvHref.outcomes}
        empty="No proposal was decided, withdrawn, expired or sent to staff in this view."
        intro="Per UTC month: proposals staff approved or rejected, withdrawn by their chapter, expired at their end date, or sent to staff review, counted once a month each, from the decision records."
      >
        <MonthlyChart id="outcomes" title={`Proposals by outcome, per month${scope}`} desc={describeTotals(monthlySeries, months)} months={months} series={monthlySeries} />
      </Figure>

      <Figure
        table={times}
        csvHref={csvHref['decision-times']}
        empty="No proposal was decided in this view."
        intro="For each approved or rejected proposal: the days from its last submission to staff to the decision, as the decision wrote them. Median: the middle value; 90th percentile: nine in ten decisions came this fast or faster."
      >
        <BarChart
          id="decision-times"
          title={`Days from submission to decision, overall, by chapter and by campaign${scope}`}
          desc={describeBars(timeRows, ['median', '90th percentile'], ' days')}
          rows={timeRows}
          series={['Median', '90th percentile']}
          unit=" d"
        />
      </Figure>

      <Figure
        table={steps}
        csvHref={csvHref['step-outcomes']}
        empty="No vetting step was recorded in this view."
        intro="The share of each outcome among a step’s records: a step sent back and submitted again counts each time. Staff overrides and agenda classifications are corrections, not outcomes, and are left out."
      >
        <div className="insight-steps">
          {stepNames.map((step, s) => {
            const rows = steps.rows.filter((r) => r.step === step).map((r) => ({ label: String(r.outcome), values: [r.share as number] }));
            return (
              <div key={step}>
                <h3>{step}</h3>
                <BarChart id={`step-${s}`} title={`${step}: share of each outcome${scope}`} desc={describeBars(rows, [''], '%')} rows={rows} series={['Share']} unit="%" />
              </div>
            );
          })}
        </div>
      </Figure>

      <Figure
        table={risks}
        csvHref={csvHref['risk-categories']}
        empty="No risk assessment was submitted in this view."
        intro="How many proposals name a risk in each category, in their current risk assessment (the date range applies to when it was submitted)."
      >
        <BarChart id="risk-categories" title={`Most frequent risk categories${scope}`} desc={describeBars(riskRows, [''], ' proposals')} rows={riskRows} series={['Proposals']} />
      </Figure>

      <Figure
        table={conditions}
        csvHref={csvHref['perception-conditions']}
        empty="No perception review made a condition in this view."
        intro="How many proposals’ latest perception review made each checklist item a condition (it becomes a clause of the MOU); the date range applies to when the review was submitted."
      >
        <BarChart
          id="perception-conditions"
          title={`Most frequent perception conditions${scope}`}
          desc={describeBars(conditionRows, [''], ' proposals')}
          rows={conditionRows}
          series={['Proposals']}
        />
      </Figure>

      <Figure
        table={revetting}
        csvHref={csvHref.revetting}
        empty="No approval ends within 90 days or has ended."
        intro={
          <>
            Approvals by their end date as of {formatDate(data.today)} (the date range does not apply: this is about today), and how many
            partners already have a later proposal.
            {data.canReview ? (
              <>
                {' '}
                <Link to="/review/revetting">See the partners due for re-vetting</Link>.
              </>
            ) : null}
          </>
        }
      >
        <BarChart
          id="revetting"
          title="Re-vetting due"
          desc={describeBars(revettingRows, ['still to re-vet', 'already proposed again'], ' approvals')}
          rows={revettingRows}
          series={['Still to re-vet', 'Already proposed again']}
        />
      </Figure>
    </>
  );
}
