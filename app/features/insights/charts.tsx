// Charts drawn on the server as SVG: each is an image with a title and a
// description a screen reader reads, every bar carries its number as text,
// and series differ by pattern as well as by colour (Okabe–Ito palette, which
// stays distinct for the common colour-vision deficiencies). No script needed.
import type { ReactNode } from 'react';

type SeriesStyle = { name: string; color: string; pattern: 'solid' | 'stripes' | 'dots' | 'cross' | 'lines' };

/** Okabe–Ito colours, each with its own pattern, in the order series are given them. */
const SERIES_STYLES: readonly Omit<SeriesStyle, 'name'>[] = [
  { color: '#0072B2', pattern: 'solid' },
  { color: '#D55E00', pattern: 'stripes' },
  { color: '#009E73', pattern: 'dots' },
  { color: '#CC79A7', pattern: 'cross' },
  { color: '#E69F00', pattern: 'lines' },
];

const INK = '#1b2430';
const SOFT = '#4a5565';
const WIDTH = 720;

function patternId(chartId: string, i: number) {
  return `${chartId}-p${i}`;
}

function Patterns({ chartId, styles }: { chartId: string; styles: readonly Omit<SeriesStyle, 'name'>[] }) {
  return (
    <defs>
      {styles.map((s, i) => (
        <pattern key={i} id={patternId(chartId, i)} patternUnits="userSpaceOnUse" width="8" height="8">
          <rect width="8" height="8" fill={s.color} />
          {s.pattern === 'stripes' ? <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#fff" strokeWidth="1.6" /> : null}
          {s.pattern === 'dots' ? <circle cx="4" cy="4" r="1.6" fill="#fff" /> : null}
          {s.pattern === 'cross' ? <path d="M0,0 l8,8 M8,0 l-8,8" stroke="#fff" strokeWidth="1.2" /> : null}
          {s.pattern === 'lines' ? <path d="M0,4 h8" stroke={INK} strokeWidth="1.2" /> : null}
        </pattern>
      ))}
    </defs>
  );
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
export const formatNumber = (n: number) => number.format(n);

function Frame({ id, title, desc, height, children }: { id: string; title: string; desc: string; height: number; children: ReactNode }) {
  return (
    <svg
      className="chart"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
      data-testid={`chart-${id}`}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {children}
    </svg>
  );
}

export type BarRow = { label: string; values: (number | null)[] };

/**
 * Horizontal bars, one group per row, one bar per series; each bar ends with its number
 * (and, with several series, the series' name), so nothing depends on telling colours apart.
 */
export function BarChart({
  id,
  title,
  desc,
  rows,
  series,
  unit = '',
}: {
  id: string;
  title: string;
  desc: string;
  rows: BarRow[];
  series: string[];
  unit?: string;
}) {
  const styles = SERIES_STYLES.slice(0, Math.max(1, series.length));
  const labelWidth = 270;
  const barStart = labelWidth + 10;
  const barSpace = WIDTH - barStart - 150;
  const barHeight = 18;
  const groupGap = 10;
  const legend = series.length > 1 ? 26 : 0;
  const groupHeight = series.length * barHeight + groupGap;
  const height = legend + rows.length * groupHeight + 6;
  const max = Math.max(0, ...rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const scale = (v: number) => (max === 0 ? 0 : (v / max) * barSpace);
  return (
    <Frame id={id} title={title} desc={desc} height={height}>
      <Patterns chartId={id} styles={styles} />
      {series.length > 1 ? (
        <g aria-hidden="true">
          {series.map((name, i) => (
            <g key={name} transform={`translate(${barStart + i * 170}, 4)`}>
              <rect width="16" height="14" fill={`url(#${patternId(id, i)})`} stroke={INK} />
              <text x="22" y="12" fontSize="13" fill={INK}>
                {name}
              </text>
            </g>
          ))}
        </g>
      ) : null}
      {rows.map((row, r) => {
        const top = legend + r * groupHeight;
        return (
          <g key={`${row.label}-${r}`}>
            <text x={labelWidth} y={top + (series.length * barHeight) / 2 + 4} textAnchor="end" fontSize="13" fill={INK}>
              {shorten(row.label, 34)}
            </text>
            {row.values.map((v, i) => {
              const y = top + i * barHeight;
              const w = v === null ? 0 : Math.max(v > 0 ? 1 : 0, scale(v));
              const text = v === null ? 'no data' : `${formatNumber(v)}${unit}${series.length > 1 ? ` ${series[i]!.toLowerCase()}` : ''}`;
              return (
                <g key={i}>
                  <rect x={barStart} y={y + 2} width={w} height={barHeight - 4} fill={`url(#${patternId(id, i)})`} stroke={INK} strokeWidth="0.8" />
                  <text x={barStart + w + 6} y={y + barHeight - 5} fontSize="12" fill={INK}>
                    {text}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </Frame>
  );
}

/**
 * One small column chart per series (small multiples), months along the bottom: each panel is
 * named and totalled in text, and its busiest month is labelled with its number.
 */
export function MonthlyChart({
  id,
  title,
  desc,
  months,
  series,
}: {
  id: string;
  title: string;
  desc: string;
  months: string[];
  series: { name: string; values: number[] }[];
}) {
  const styles = SERIES_STYLES.slice(0, series.length);
  const labelWidth = 190;
  const left = labelWidth + 10;
  const right = WIDTH - 10;
  const panel = 64;
  const axis = 22;
  const height = series.length * panel + axis;
  const slot = months.length === 0 ? 0 : (right - left) / months.length;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  // Year starts (or every month when there are few) along the bottom.
  const ticks: { m: string; i: number }[] = [];
  months.forEach((m, i) => {
    if (!(months.length <= 12 || m.endsWith('-01') || i === 0)) return;
    // A label too close to the one before would overlap it.
    const previous = ticks[ticks.length - 1];
    if (previous && (i - previous.i) * slot < (months.length <= 12 ? 50 : 36)) return;
    ticks.push({ m, i });
  });
  return (
    <Frame id={id} title={title} desc={desc} height={height}>
      <Patterns chartId={id} styles={styles} />
      {series.map((s, k) => {
        const top = k * panel;
        const base = top + panel - 8;
        const total = s.values.reduce((a, b) => a + b, 0);
        const peak = s.values.reduce((best, v, i) => (v > (s.values[best] ?? 0) ? i : best), 0);
        return (
          <g key={s.name}>
            <text x={labelWidth} y={top + 26} textAnchor="end" fontSize="13" fontWeight="600" fill={INK}>
              {s.name}
            </text>
            <text x={labelWidth} y={top + 44} textAnchor="end" fontSize="12" fill={SOFT}>
              {formatNumber(total)} in all
            </text>
            <line x1={left} x2={right} y1={base} y2={base} stroke={SOFT} strokeWidth="1" />
            {s.values.map((v, i) => {
              const h = (v / max) * (panel - 24);
              return v > 0 ? (
                <rect
                  key={i}
                  x={left + i * slot + slot * 0.1}
                  y={base - h}
                  width={Math.max(1, slot * 0.8)}
                  height={h}
                  fill={`url(#${patternId(id, k)})`}
                  stroke={INK}
                  strokeWidth="0.6"
                />
              ) : null;
            })}
            {total > 0 ? (
              <text
                x={Math.min(right - 30, left + peak * slot + slot / 2)}
                y={base - ((s.values[peak] ?? 0) / max) * (panel - 24) - 3}
                textAnchor="middle"
                fontSize="11"
                fill={INK}
              >
                {formatNumber(s.values[peak] ?? 0)}
              </text>
            ) : null}
          </g>
        );
      })}
      {ticks.map(({ m, i }) => (
        <text key={m} x={left + i * slot + slot / 2} y={height - 6} fontSize="11" fill={SOFT} textAnchor={i === 0 ? 'start' : 'middle'}>
          {months.length <= 12 ? m : m.slice(0, 4)}
        </text>
      ))}
    </Frame>
  );
}
