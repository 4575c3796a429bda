// The MOU as it stands, for those who may not edit it now: the latest version, or the draft the vetting produces.
import type { SerializeFrom } from '@remix-run/node';
// Types only: erased from the browser bundle.
import type { MouStepPage } from '../mou.server';
import { isAtMouStep, isInReview } from '../../../../workflows/policy';
import { formatDateTime } from '../../../utils/labels';
import { MouDocument, RemovedConditions } from '../mou-document';

type MouStepData = SerializeFrom<MouStepPage>;

export function LatestLine({ latest }: { latest: NonNullable<MouStepData['latest']> }) {
  return (
    <p className="small muted" data-testid="mou-latest">
      Version {latest.version}, saved by {latest.createdByName} on{' '}
      <time dateTime={latest.createdAt}>{formatDateTime(latest.createdAt)}</time>
      {latest.note ? <> · “{latest.note}”</> : null}
    </p>
  );
}

export function ReadOnly({ data }: { data: MouStepData }) {
  const { proposal } = data;
  if (data.latest) {
    return (
      <section className="panel" aria-labelledby="mou-title">
        <h3 id="mou-title">The MOU</h3>
        <LatestLine latest={data.latest} />
        {isInReview(proposal.state) ? (
          <p className="muted">Staff are reviewing this proposal; the MOU can change again if they send it back or after approval.</p>
        ) : null}
        <RemovedConditions removed={data.latest.removed} headingLevel={4} />
        <MouDocument proposalId={proposal.id} sections={data.latest.sections} headingLevel={4} />
      </section>
    );
  }
  if (data.preview) {
    return (
      <section className="panel" aria-labelledby="mou-title">
        <h3 id="mou-title">Preview of the draft</h3>
        <p className="muted">
          {isAtMouStep(proposal.state)
            ? 'No version is saved yet. This is the draft generated from the vetting; the chapter lead edits and saves it.'
            : 'The MOU step opens after the earlier steps. This is the draft the vetting so far would produce; it changes as the steps are completed.'}
        </p>
        <MouDocument proposalId={proposal.id} sections={data.preview} headingLevel={4} />
      </section>
    );
  }
  return (
    <section className="panel">
      <p className="muted">No MOU was drafted for this proposal.</p>
    </section>
  );
}
