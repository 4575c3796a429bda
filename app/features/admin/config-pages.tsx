// The parts every configuration page shares: the version history, a form to
// compare two versions (a plain GET form), the comparison itself, and the
// frame of an editor (stale-version message, note, save).
import { getFormProps, getInputProps, type FieldMetadata, type FormMetadata } from '../../components/form-state';
import { Form, Link, useNavigation } from '@remix-run/react';
import { Fragment, type ReactNode } from 'react';
import type { DiffPart } from '../../../workflows/mou-diff';
import { FieldError, Tag } from '../../components/forms';
import { formatDateTime } from '../../utils/labels';
import { AdminNav } from './admin-nav';

export type ConfigHistoryRow = { version: number; note: string; created_at: string; created_by_name: string | null };

export function ConfigHistory({
  what,
  history,
  current,
  compareLink,
}: {
  /** e.g. "the MOU template", for the table's caption. */
  what: string;
  history: ConfigHistoryRow[];
  current: number;
  /** The link in a version's "Changes" cell, if any. */
  compareLink: (version: number) => { to: string; label: string } | null;
}) {
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">Version history</h2>
      <div className="table-wrap">
        <table className="data data--stack">
          <caption className="visually-hidden">Versions of {what}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Note</th>
              <th scope="col">By</th>
              <th scope="col">When</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => {
              const link = compareLink(h.version);
              return (
                <tr key={h.version}>
                  <td data-label="Version">
                    {h.version} {h.version === current ? <Tag tone="good">in use</Tag> : null}
                  </td>
                  <td className="cell--wide" data-label="Note">
                    {h.note || <span className="muted">—</span>}
                  </td>
                  <td data-label="By">{h.created_by_name ?? 'Initial setup'}</td>
                  <td data-label="When">
                    <time dateTime={h.created_at}>{formatDateTime(h.created_at)}</time>
                  </td>
                  <td data-label="Changes">
                    {link ? <Link to={link.to}>{link.label}</Link> : <span className="muted">—</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** "What changed in version N": the version before it against it. */
export const changesInVersion = (version: number) =>
  version > 1 ? { to: `?from=${version - 1}&to=${version}#compare-title`, label: `What changed in version ${version}` } : null;

type Change = { key: string; title: string; status: 'added' | 'removed' | 'changed'; fields: { label: string; parts: DiffPart[] }[] };

const STATUS = {
  added: { label: 'Added', tone: 'good' },
  removed: { label: 'Removed', tone: 'bad' },
  changed: { label: 'Changed', tone: 'warn' },
} as const;

function Parts({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((part, i) =>
        part.kind === 'added' ? (
          <ins key={i} className="diff">
            <span className="visually-hidden">[added: </span>
            {part.text}
            <span className="visually-hidden">]</span>
          </ins>
        ) : part.kind === 'removed' ? (
          <del key={i} className="diff">
            <span className="visually-hidden">[removed: </span>
            {part.text}
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}

/** Two version selects and a button: a GET form, so it works without JavaScript and the comparison has an address. */
export function CompareVersions({
  versions,
  comparison,
  current,
}: {
  versions: number[];
  comparison: { from: number; to: number; changes: Change[] } | null;
  current: number;
}) {
  const from = comparison?.from ?? Math.max(1, current - 1);
  const to = comparison?.to ?? current;
  return (
    <section className="panel" aria-labelledby="compare-title">
      <h2 id="compare-title">
        {comparison ? `Changes from version ${comparison.from} to version ${comparison.to}` : 'Compare two versions'}
      </h2>
      {versions.length > 1 ? (
        <Form method="get" className="row" preventScrollReset>
          <div className="field">
            <label htmlFor="compare-from">From version</label>
            <select id="compare-from" name="from" defaultValue={from}>
              {versions.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="compare-to">To version</label>
            <select id="compare-to" name="to" defaultValue={to}>
              {versions.map((v) => (
                <option key={v} value={v}>
                  {v}
                  {v === current ? ' (in use)' : ''}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button--secondary">
            Compare
          </button>
        </Form>
      ) : (
        <p className="muted">There is only one version so far.</p>
      )}
      {comparison ? (
        comparison.changes.length === 0 ? (
          <p data-testid="config-diff-summary">No differences.</p>
        ) : (
          <div data-testid="config-diff">
            <p className="small muted" data-testid="config-diff-summary">
              {comparison.changes.length} entr{comparison.changes.length === 1 ? 'y' : 'ies'} changed.
            </p>
            {comparison.changes.map((change) => (
              <section key={change.key} className="mou-diff__section" data-entry={change.key} data-status={change.status}>
                <h3 className="row">
                  <span>{change.title}</span>
                  <Tag tone={STATUS[change.status].tone}>{STATUS[change.status].label}</Tag>
                </h3>
                <dl className="facts">
                  {change.fields.map((f) => (
                    <Fragment key={f.label}>
                      <dt>{f.label}</dt>
                      <dd style={{ whiteSpace: 'pre-wrap' }}>
                        <Parts parts={f.parts} />
                      </dd>
                    </Fragment>
                  ))}
                </dl>
              </section>
            ))}
          </div>
        )
      ) : null}
    </section>
  );
}

/**
 * The frame of an editor form: the form-level message, the version it is based on,
 * the entries (children), the note for the history and the save button.
 */
export function EditorFrame<T extends Record<string, unknown>>({
  form,
  note,
  title,
  formError,
  stale,
  baseVersion,
  children,
}: {
  form: FormMetadata<T>;
  /** Set when a save was refused because another version was saved meanwhile. */
  stale?: { base: number; current: number } | null;
  note: FieldMetadata<string>;
  title: string;
  formError: string | null;
  baseVersion: number;
  children: ReactNode;
}) {
  const navigation = useNavigation();
  return (
    <Form key={form.key} method="post" {...getFormProps(form)} aria-labelledby="editor-title">
      <h2 id="editor-title">{title}</h2>
      {formError ? (
        <div className="alert alert--bad" role="alert" id={form.errorId}>
          {formError}
          {stale ? (
            <>
              {' '}
              <Link to={`?from=${stale.base}&to=${stale.current}#compare-title`}>See what changed in version {stale.current}</Link>.
            </>
          ) : null}
        </div>
      ) : null}
      {/* The version the changes are based on: a newer one saved meanwhile refuses the save. */}
      <input type="hidden" name="baseVersion" value={baseVersion} />
      {/* Enter in a field saves, rather than pressing an entry's "Remove". */}
      <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        Save
      </button>
      {children}
      <div className="panel">
        <div className="field">
          <label htmlFor={note.id}>What changed (for the version history)</label>
          <input {...getInputProps(note, { type: 'text' })} />
          <FieldError id={note.errorId} errors={note.errors} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
            Save as version {baseVersion + 1}
          </button>
        </div>
      </div>
    </Form>
  );
}

/** The head of a configuration page: its title and what it configures, beside the admin navigation. */
export function ConfigPageHead({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1>{title}</h1>
        <p>{children}</p>
      </div>
      <AdminNav />
    </div>
  );
}

/** The versions of a configuration document: its history, and the form to compare two of them. */
export function ConfigVersions({
  what,
  history,
  version,
  comparison,
}: {
  what: string;
  history: ConfigHistoryRow[];
  version: number;
  comparison: Parameters<typeof CompareVersions>[0]['comparison'];
}) {
  return (
    <>
      <ConfigHistory what={what} history={history} current={version} compareLink={changesInVersion} />
      <CompareVersions versions={history.map((h) => h.version)} comparison={comparison} current={version} />
    </>
  );
}
