// One decision record, whole, for the printable record of a proposal: the
// facts, the inputs judged (readable, then the exact JSON), the configuration
// versions, the states and the hashes.
import { Tag } from '../../components/forms';
import { formatUtc } from './register-entries';
import { outcomeLabel, outcomeTone, roleLabel, stateLabel, stepLabel } from '../../utils/labels';
import { sizeLabel, typeLabel } from '../attachments/attachment-list';

export type RecordView = {
  seq: number;
  at: string;
  step: string;
  outcome: string;
  actorId: number | null;
  actorName: string;
  actorRole: string;
  rationale: string;
  fromState: string | null;
  toState: string;
  prevHash: string;
  proposalPrevHash: string | null;
  hash: string;
  configVersions: [string, string][];
  /** What was submitted or applied (the command, or the rule that acted), for the readable rendering. */
  submitted?: unknown;
  /** The exact inputs, pretty-printed. */
  inputsJson: string;
  /** Evidence files the inputs cite, each with where it was given and its download address. */
  files?: { where: string; href: string; name: string; type: string; size: number; effectiveDate: string; sha256: string }[];
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MAX_TEXT = 600;
const MAX_ITEMS = 40;

/** "positionKey" -> "Position key", "no_bds_signup" -> "No bds signup". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  const sentence = words.charAt(0).toUpperCase() + words.slice(1);
  return sentence.replace(/\b(mou|bds|ein|icc|id|url)\b/gi, (w) => w.toUpperCase());
}

// The judgement first, then what supports it: "Rating: meets · Evidence: ...".
const FIRST_KEYS = ['rating', 'answer', 'classification', 'kind', 'category', 'text', 'label', 'title'];
const keyOrder = (key: string) => {
  const i = FIRST_KEYS.indexOf(key);
  return i === -1 ? FIRST_KEYS.length : i;
};

function scalar(value: Json): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}… (whole text in the JSON below)` : value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

const isScalar = (v: Json) => v === null || typeof v !== 'object';

/** An object of scalars on one line: "Rating: meets · Evidence: ...". */
function inline(value: { [key: string]: Json }): string {
  return Object.entries(value)
    .filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0))
    .sort(([a], [b]) => keyOrder(a) - keyOrder(b))
    .map(([k, v]) => `${humanize(k)}: ${isScalar(v) ? scalar(v) : Array.isArray(v) && v.every(isScalar) ? v.map(scalar).join(', ') : scalar(JSON.stringify(v))}`)
    .join(' · ');
}

/**
 * A readable rendering of any JSON value, a few levels deep; deeper parts
 * are written inline. The raw JSON follows it on the page, so nothing is lost.
 */
function Readable({ value, depth = 0 }: { value: Json; depth?: number }) {
  if (isScalar(value)) return <span className="pre-line">{scalar(value)}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (value.every(isScalar)) return <span>{value.map(scalar).join(', ')}</span>;
    const shown = value.slice(0, MAX_ITEMS);
    return (
      <ol>
        {shown.map((item, i) => (
          <li key={i}>{item !== null && typeof item === 'object' && !Array.isArray(item) ? inline(item) : <Readable value={item} depth={depth + 1} />}</li>
        ))}
        {value.length > shown.length ? <li className="muted">and {value.length - shown.length} more (in the JSON below)</li> : null}
      </ol>
    );
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return <span className="muted">none</span>;
  if (depth >= 2) return <span>{inline(value)}</span>;
  return (
    <dl className="facts">
      {entries.map(([key, v]) => (
        <div key={key} style={{ display: 'contents' }}>
          <dt>{humanize(key)}</dt>
          <dd>
            <Readable value={v} depth={depth + 1} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function RecordEntry({ record: r }: { record: RecordView }) {
  const titleId = `record-${r.seq}-title`;
  return (
    <article className="panel record-entry" id={`record-${r.seq}`} aria-labelledby={titleId} data-seq={r.seq}>
      <h2 id={titleId}>
        #{r.seq} · {stepLabel(r.step)} <Tag tone={outcomeTone(r.outcome)}>{outcomeLabel(r.outcome)}</Tag>
      </h2>
      <dl className="facts">
        <dt>Sequence number</dt>
        <dd>{r.seq}</dd>
        <dt>Who</dt>
        <dd>
          {r.actorName} <span className="muted">({roleLabel(r.actorRole)}{r.actorId !== null ? `, user ${r.actorId}` : ''})</span>
        </dd>
        <dt>When (UTC)</dt>
        <dd>
          <time dateTime={r.at}>{formatUtc(r.at, true)}</time> <span className="muted small">{r.at}</span>
        </dd>
        <dt>Step</dt>
        <dd>
          {stepLabel(r.step)} <span className="muted small">({r.step})</span>
        </dd>
        <dt>Outcome</dt>
        <dd>
          {outcomeLabel(r.outcome)} <span className="muted small">({r.outcome})</span>
        </dd>
        <dt>State</dt>
        <dd>
          {r.fromState ? stateLabel(r.fromState) : 'new'} → {stateLabel(r.toState)}
        </dd>
        <dt>Rationale</dt>
        <dd className="pre-line" data-testid="record-rationale" dir="auto">
          {r.rationale || <span className="muted">None written.</span>}
        </dd>
        <dt>Configuration</dt>
        <dd>
          {r.configVersions.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            r.configVersions.map(([kind, version], i) => (
              <span key={kind}>
                {i > 0 ? ' · ' : ''}
                {humanize(kind)} v{version}
              </span>
            ))
          )}
        </dd>
        <dt>Previous hash</dt>
        <dd className="hash">{r.prevHash}</dd>
        <dt>Proposal’s previous</dt>
        <dd className="hash">{r.proposalPrevHash ?? <span className="muted" style={{ fontFamily: 'var(--font)' }}>none: the proposal’s first record</span>}</dd>
        <dt>Own hash (SHA-256)</dt>
        <dd className="hash" data-testid="record-hash">
          {r.hash}
        </dd>
      </dl>
      <h3>Inputs judged</h3>
      <div className="readable-inputs">
        {r.submitted === null || r.submitted === undefined ? <p className="muted">Nothing submitted: see the JSON.</p> : <Readable value={r.submitted as Json} />}
      </div>
      {r.files && r.files.length > 0 ? (
        <>
          <h3>Files attached as evidence</h3>
          <ul className="attachment-list" data-testid="record-files">
            {r.files.map((f) => (
              <li key={`${f.where}-${f.sha256}`}>
                <a href={f.href} download={f.name}>
                  {f.name}
                </a>{' '}
                <span className="muted small">
                  ({typeLabel(f.type)}, {sizeLabel(f.size)}; effective {f.effectiveDate}; for {f.where})
                </span>
                <div className="hash small">SHA-256 {f.sha256}</div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <details className="record-details">
        <summary>All inputs judged (JSON)</summary>
        <pre className="record-json">{r.inputsJson}</pre>
      </details>
    </article>
  );
}
