// A 5x5 likelihood x impact grid with every risk (inherent and residual) and benefit placed.
// Accessible: a real table with row and column headers, plus a text list of the same items.
import { Fragment, useId } from 'react';
import type { BandName } from '../../workflows/types';
import { bandWords } from '../../workflows/rules/risk-bands';

export type HeatMapItem = {
  label: string;
  kind: 'risk' | 'benefit';
  likelihood: number;
  impact: number;
  residualLikelihood: number | null;
  residualImpact: number | null;
};
export type HeatMapBand = { name: string; min: number; max: number };

function bandOf(score: number, bands: HeatMapBand[]): string {
  return bands.find((b) => score >= b.min && score <= b.max)?.name ?? 'low';
}

type Mark = { n: number; kind: 'risk' | 'residual' | 'benefit'; label: string };

/** Risks and benefits are numbered apart, as their headings are: Risk 1, Benefit 1, Risk 2. */
export function kindOrdinals(items: { kind: 'risk' | 'benefit' }[]): number[] {
  const seen = { risk: 0, benefit: 0 };
  return items.map((it) => ++seen[it.kind]);
}

// A benefit's score in its own words: a large benefit is never "critical".
const scoreWords = (kind: 'risk' | 'benefit', band: string) => bandWords(kind, band as BandName);

export function HeatMap({
  items,
  likelihoodLabels,
  impactLabels,
  bands,
  caption = 'Heat map: likelihood by impact',
}: {
  items: HeatMapItem[];
  likelihoodLabels: string[];
  impactLabels: string[];
  bands: HeatMapBand[];
  caption?: string;
}) {
  const id = useId();
  const cells = new Map<string, Mark[]>();
  const place = (l: number, i: number, mark: Mark) => {
    if (!(l >= 1 && l <= 5 && i >= 1 && i <= 5)) return;
    const key = `${l}:${i}`;
    cells.set(key, [...(cells.get(key) ?? []), mark]);
  };
  const ordinals = kindOrdinals(items);
  items.forEach((it, idx) => {
    const n = ordinals[idx]!;
    place(it.likelihood, it.impact, { n, kind: it.kind, label: it.label });
    if (it.kind === 'risk' && it.residualLikelihood != null && it.residualImpact != null) {
      place(it.residualLikelihood, it.residualImpact, { n, kind: 'residual', label: it.label });
    }
  });
  const kindWord = { risk: 'risk', residual: 'residual risk', benefit: 'benefit' } as const;
  const prefix = { risk: 'R', residual: 'r', benefit: 'B' } as const;
  // Likelihood rows from 5 (top) down to 1, impact columns 1..5.
  const rows = [5, 4, 3, 2, 1];
  const cols = [1, 2, 3, 4, 5];
  return (
    <figure className="heatmap-figure" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`} className="label">{caption}</figcaption>
      <div className="table-wrap">
        <table className="heatmap-table">
          <thead>
            <tr>
              <th scope="col" className="axis">
                <span className="visually-hidden">Likelihood (rows) by impact (columns)</span>
                <span aria-hidden="true">L ↓ / I →</span>
              </th>
              {cols.map((i) => (
                <th scope="col" key={i} className="axis">
                  {`${i} ${impactLabels[i - 1]}`}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((l) => (
              <tr key={l}>
                <th scope="row" className="axis">
                  {`${l} ${likelihoodLabels[l - 1]}`}
                </th>
                {cols.map((i) => {
                  const score = l * i;
                  const band = bandOf(score, bands);
                  const marks = cells.get(`${l}:${i}`) ?? [];
                  return (
                    <td key={i} className={`cell band-${band}`} data-l={l} data-i={i}>
                      <span className="visually-hidden">
                        {/* Each mark says its own scale word: a benefit here is never read as a critical risk. */}
                        {`Score ${score}.${marks.length === 0 ? ` ${scoreWords('risk', band)} cell, empty.` : ''}`}
                      </span>
                      {marks.map((m, k) => (
                        <span key={k} className={`dot dot--${m.kind}`} title={`${kindWord[m.kind]}: ${m.label}`}>
                          {/* One text each: the cells are many, and each piece of text costs a node to render. */}
                          <span aria-hidden="true">{`${prefix[m.kind]}${m.n}`}</span>
                          <span className="visually-hidden">
                            {`${kindWord[m.kind]} ${m.n}: ${m.label}, ${scoreWords(m.kind === 'benefit' ? 'benefit' : 'risk', band)}.`}
                          </span>
                        </span>
                      ))}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="heatmap-legend small">
        <span className="heatmap-key">
          <span className="dot dot--risk" aria-hidden="true">R</span> risk (inherent)
        </span>{' '}
        <span className="heatmap-key">
          <span className="dot dot--residual" aria-hidden="true">r</span> risk after mitigation
        </span>{' '}
        <span className="heatmap-key">
          <span className="dot dot--benefit" aria-hidden="true">B</span> benefit
        </span>
      </p>
      <p className="heatmap-bands small">
        Cell colours show how serious a risk placed there would be:{' '}
        {bands.map((b, i) => (
          <Fragment key={b.name}>
            {i > 0 ? ', ' : null}
            <span className="heatmap-band">
              <span className={`band-swatch band-${b.name}`} aria-hidden="true" />
              {b.name} ({b.min}–{b.max})
            </span>
          </Fragment>
        ))}
        . A benefit has its own words on the same grid: the higher its score, the larger the benefit (
        {bands.map((b) => bandWords('benefit', b.name as BandName).replace(/ benefit$/, '')).join(', ')}).
      </p>
      <details className="heatmap-list">
        <summary>The same items as a list</summary>
        {items.length === 0 ? (
          <p className="muted">No items yet.</p>
        ) : (
          <ol>
            {items.map((it, idx) => {
              const s = it.likelihood * it.impact;
              const hasResidual = it.kind === 'risk' && it.residualLikelihood != null && it.residualImpact != null;
              const rs = hasResidual ? (it.residualLikelihood as number) * (it.residualImpact as number) : null;
              return (
                <li key={idx}>
                  {it.kind === 'risk' ? 'Risk' : 'Benefit'} {ordinals[idx]}, {it.label}: likelihood {it.likelihood} (
                  {likelihoodLabels[it.likelihood - 1] ?? '?'}) × impact {it.impact} ({impactLabels[it.impact - 1] ?? '?'}) = {s},{' '}
                  {scoreWords(it.kind, bandOf(s, bands))}
                  {rs != null
                    ? `; residual ${it.residualLikelihood} × ${it.residualImpact} = ${rs}, ${scoreWords('risk', bandOf(rs, bands))}`
                    : null}
                  .
                </li>
              );
            })}
          </ol>
        )}
      </details>
    </figure>
  );
}
