// The insights page's parts: each figure is a chart, the table it is drawn
// from (in a <details>, readable and copyable), and that table's CSV.
import type { ReactNode } from 'react';
import type { Cell, InsightsTable } from './insights.server';
import { formatNumber } from './charts';

function show(value: Cell): string {
  if (value === null || value === '') return '—';
  return typeof value === 'number' ? formatNumber(value) : value;
}

function DataTable({ table }: { table: InsightsTable }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid={`table-${table.name}`}>
        <caption className="visually-hidden">{table.title}</caption>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={r}>
              {table.columns.map((c, i) =>
                i === 0 ? (
                  <th key={c.key} scope="row">
                    {show(row[c.key] ?? null)}
                  </th>
                ) : (
                  <td key={c.key} className={c.numeric ? 'num' : undefined}>
                    {show(row[c.key] ?? null)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Figure({
  table,
  intro,
  csvHref,
  empty,
  children,
}: {
  table: InsightsTable;
  intro: ReactNode;
  csvHref: string;
  empty: string;
  children: ReactNode;
}) {
  const headingId = `heading-${table.name}`;
  return (
    <section className="panel insight" aria-labelledby={headingId} data-testid={`insight-${table.name}`}>
      <div className="insight__head">
        <h2 id={headingId}>{table.title}</h2>
        <a className="button button--secondary button--small" href={csvHref} download data-testid={`csv-${table.name}`}>
          Download CSV<span className="visually-hidden">: {table.title}</span>
        </a>
      </div>
      <p className="muted small">{intro}</p>
      {table.rows.length === 0 ? (
        <p data-testid={`empty-${table.name}`}>{empty}</p>
      ) : (
        <>
          {/* Below its minimum width the chart scrolls here; the region takes focus so the keyboard can scroll it. */}
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be reachable by keyboard (axe scrollable-region-focusable) */}
          <div className="insight__chart" role="region" tabIndex={0} aria-label={`${table.title}: chart`}>
            {children}
          </div>
          <details className="insight__data">
            <summary>The data behind this chart</summary>
            <DataTable table={table} />
          </details>
        </>
      )}
    </section>
  );
}

const INSIGHTS_CSS = `
.insight__head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 0.5rem 1rem; }
.insight__head h2 { margin: 0; font-size: 1.15rem; }
/* Never narrower than 40rem: scaled to a phone's width the labels would be drawn at 5 px. */
.insight__chart { overflow-x: auto; }
.insight .chart { display: block; max-width: 760px; min-width: 40rem; height: auto; margin: 0.5rem 0; }
.insight__data summary { cursor: pointer; font-weight: 600; color: var(--link); padding: 0.25rem 0; }
.insight__data table { margin-top: 0.5rem; }
.insight .num { text-align: right; font-variant-numeric: tabular-nums; }
.insights-filters .grid-filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 0 1rem; }
.insights-filters .field { margin-bottom: 0.6rem; }
.insight-steps h3:first-child { margin-top: 0.25rem; }
.insight-steps h3 { font-size: 1rem; margin: 0.5rem 0 0; }
@media print { .insight__data[open] summary, .insight__head a { display: none; } }
`;

export function InsightsStyles() {
  return <style dangerouslySetInnerHTML={{ __html: INSIGHTS_CSS }} />;
}
