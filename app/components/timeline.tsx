// The decision records of one proposal, oldest first: who, when, what outcome and why.
import { Tag } from './forms';
import { formatDateTime, outcomeLabel, outcomeTone, roleLabel, stateLabel, stepLabel } from '../utils/labels';

export type TimelineRecord = {
  seq: number;
  step: string;
  outcome: string;
  actorName: string;
  actorRole: string;
  at: string;
  rationale: string;
  fromState: string | null;
  toState: string;
};

export function Timeline({ records, emptyText = 'No decisions recorded yet.' }: { records: TimelineRecord[]; emptyText?: string }) {
  if (records.length === 0) return <p className="muted">{emptyText}</p>;
  return (
    <ol className="timeline">
      {records.map((r) => (
        // id: the anchor an MOU clause's "required by" link points to.
        <li key={r.seq} id={`record-${r.seq}`} className={`timeline__item timeline__item--${outcomeTone(r.outcome)}`} data-seq={r.seq}>
          <div className="row">
            <strong>{stepLabel(r.step)}</strong>
            <Tag tone={outcomeTone(r.outcome)}>{outcomeLabel(r.outcome)}</Tag>
          </div>
          <div className="timeline__meta">
            {/* One text per run: a long record renders many of these. */}
            {`#${r.seq} · ${r.actorName} (${roleLabel(r.actorRole)}) · `}
            <time dateTime={r.at}>{formatDateTime(r.at)}</time>
            {r.fromState !== r.toState ? ` · ${r.fromState ? stateLabel(r.fromState) : 'new'} → ${stateLabel(r.toState)}` : null}
          </div>
          {r.rationale ? <p className="timeline__rationale" dir="auto">
              {r.rationale}
            </p> : null}
        </li>
      ))}
    </ol>
  );
}
