// The difference between two MOU versions, word by word, per section and per clause.
// Changes are written out for screen readers too (ins/del alone are often not announced).
// The diff itself is computed by the loader (workflows/mou-diff.ts): the word-diff library
// stays on the server, and the browser only renders its result.
import type { ChangeStatus, DiffPart, MouDiffResult } from '../../../workflows/mou-diff';
import { Tag } from '../../components/forms';

const STATUS: Record<ChangeStatus, { label: string; tone: 'good' | 'warn' | 'bad' | 'neutral' }> = {
  same: { label: 'Unchanged', tone: 'neutral' },
  added: { label: 'Added', tone: 'good' },
  removed: { label: 'Removed', tone: 'bad' },
  changed: { label: 'Changed', tone: 'warn' },
};

function DiffText({ parts }: { parts: DiffPart[] }) {
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

export function MouDiff({
  diff: result,
  showUnchanged = false,
  headingLevel = 3,
}: {
  /** diffMou(before, after), from the loader. */
  diff: MouDiffResult;
  /** Show unchanged sections in full; by default they are only named. */
  showUnchanged?: boolean;
  headingLevel?: 2 | 3 | 4;
}) {
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  const unchanged = result.sections.filter((s) => s.status === 'same');
  const shown = showUnchanged ? result.sections : result.sections.filter((s) => s.status !== 'same');
  return (
    <div className="mou-diff" data-testid="mou-diff">
      <p className="small muted" data-testid="mou-diff-summary">
        {result.changedSections === 0
          ? 'No differences.'
          : `${result.changedSections} section${result.changedSections === 1 ? '' : 's'} changed: ${result.wordsAdded} word${result.wordsAdded === 1 ? '' : 's'} added, ${result.wordsRemoved} removed.`}
      </p>
      {shown.map((section) => (
        <section key={section.key} className="mou-diff__section" data-section={section.key} data-status={section.status}>
          <Heading className="row">
            <span>
              <DiffText parts={section.titleParts} />
            </span>
            <Tag tone={STATUS[section.status].tone}>{STATUS[section.status].label}</Tag>
          </Heading>
          {section.bodyParts.length > 0 ? (
            <p style={{ whiteSpace: 'pre-wrap' }}>
              <DiffText parts={section.bodyParts} />
            </p>
          ) : null}
          {section.clauses.length > 0 ? (
            <ol className="mou-diff__clauses">
              {section.clauses.map((clause) => (
                <li key={clause.id} data-clause={clause.id} data-status={clause.status}>
                  <DiffText parts={clause.parts} />{' '}
                  {clause.status !== 'same' ? <Tag tone={STATUS[clause.status].tone}>{STATUS[clause.status].label}</Tag> : null}
                  {clause.origin ? <span className="small muted"> (required by: {clause.origin.label})</span> : null}
                </li>
              ))}
            </ol>
          ) : null}
        </section>
      ))}
      {!showUnchanged && unchanged.length > 0 ? (
        <p className="small muted">Unchanged: {unchanged.map((s) => s.title).join(', ')}.</p>
      ) : null}
    </div>
  );
}
