// The MOU as read (not edited): numbered sections and clauses, each required
// clause with a link to what required it.
import { Link } from '@remix-run/react';
import type { ClauseOrigin, MouSection } from '../../../workflows/mou';

/** Where a clause's origin is recorded: the checklist item, the risk, or the approval. */
export function originHref(proposalId: number, origin: ClauseOrigin): string {
  if (origin.kind === 'perception') return `/proposals/${proposalId}/steps/perception#item-${encodeURIComponent(origin.ref)}`;
  if (origin.kind === 'risk') return `/proposals/${proposalId}/steps/risk#item-${encodeURIComponent(origin.ref)}`;
  return `/proposals/${proposalId}#record-${encodeURIComponent(origin.ref)}`;
}

const ORIGIN_KIND: Record<ClauseOrigin['kind'], string> = {
  perception: 'Perception checklist',
  risk: 'Risk mitigation',
  approval: 'Approval condition',
};

export function OriginNote({ proposalId, origin, id }: { proposalId: number; origin: ClauseOrigin; id?: string }) {
  return (
    <span className="small muted mou-origin" id={id} data-origin={origin.kind}>
      Required by {ORIGIN_KIND[origin.kind].toLowerCase()}:{' '}
      <Link to={originHref(proposalId, origin)}>{origin.label}</Link>
    </span>
  );
}

/** Paragraphs of a section body (blank lines separate them). */
export function BodyText({ text }: { text: string }) {
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim());
  return (
    <>
      {paragraphs.map((p, i) => (
        <p key={i} style={{ whiteSpace: 'pre-wrap' }}>
          {p}
        </p>
      ))}
    </>
  );
}

export function MouDocument({
  proposalId,
  sections,
  showOrigins = true,
  headingLevel = 2,
}: {
  proposalId: number;
  sections: MouSection[];
  showOrigins?: boolean;
  headingLevel?: 2 | 3 | 4;
}) {
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  return (
    <div className="mou-document" data-testid="mou-document">
      {sections.map((section, i) => (
        <section key={section.key} data-section={section.key} aria-labelledby={`mou-s-${section.key}`}>
          <Heading id={`mou-s-${section.key}`}>
            {i + 1}. {section.title}
          </Heading>
          <BodyText text={section.body} />
          {section.clauses.length > 0 ? (
            <ol>
              {section.clauses.map((clause) => (
                <li key={clause.id} data-clause={clause.id}>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{clause.text}</span>
                  {showOrigins && clause.origin ? (
                    <>
                      <br />
                      <OriginNote proposalId={proposalId} origin={clause.origin} />
                    </>
                  ) : null}
                </li>
              ))}
            </ol>
          ) : null}
        </section>
      ))}
    </div>
  );
}

export type RemovedConditionView = { clauseId: string; text: string; reason: string };

/** Required clauses taken out of the MOU, with the reason given: staff read these. */
export function RemovedConditions({ removed, headingLevel = 3 }: { removed: RemovedConditionView[]; headingLevel?: 2 | 3 | 4 }) {
  if (removed.length === 0) return null;
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  return (
    <div className="alert alert--warn" data-testid="mou-removed-conditions">
      <Heading>Required clauses removed ({removed.length})</Heading>
      <ul>
        {removed.map((r) => (
          <li key={r.clauseId} data-clause={r.clauseId}>
            <del className="diff">{r.text}</del>
            <br />
            <strong>Reason given:</strong> {r.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
