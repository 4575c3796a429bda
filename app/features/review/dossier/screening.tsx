// The dossier's designation screening (the latest answer, its hits, a failed check) and its decision record.
import { Tag } from '../../../components/forms';
import { Timeline } from '../../../components/timeline';
import { formatDateTime } from '../../../utils/labels';
import type { DossierData } from './parts';
import { HitFacts } from './screening-hit';

/** The designation screening staff weigh before deciding, then the proposal's decision record. */
export function ScreeningSection({ dossier }: { dossier: DossierData }) {
  const { view } = dossier;
  // The screening staff weigh: the latest, or the last answer the service gave when the latest check failed.
  const weighed = dossier.screeningLastAnswer ?? dossier.screening;
  const allHits = weighed?.status === 'hits' ? weighed.hits : [];
  // New hits only: those judged "not a true match" are kept on the screening page, shown on demand.
  const judged = new Set(dossier.screeningJudged);
  const hits = allHits.filter((h) => !judged.has(h.entityId));
  const judgedCount = allHits.length - hits.length;
  const screeningProblem = dossier.screening?.status === 'error' ? dossier.screening.error : null;
  return (
    <>
      <section className="panel" aria-labelledby="screening-heading" data-testid="screening">
        <h2 id="screening-heading">Designation and sanctions screening</h2>
        {screeningProblem ? (
          <p className="alert alert--warn" data-testid="screening-unavailable">
            <strong>Screening unavailable: </strong>
            {screeningProblem} You can still decide{dossier.screeningLastAnswer ? '; the last answer the service gave is shown below' : ''}.
          </p>
        ) : null}
        {!weighed || (weighed.status === 'error' && !screeningProblem) ? (
          <p className="muted">
            {dossier.screeningOn
              ? 'This partner was not screened for this proposal.'
              : 'This partner was not screened for this proposal: screening is turned off (an administrator can set SCREENING_URL).'}
          </p>
        ) : weighed.status === 'error' ? null : (
          <>
            <p>
              {weighed.status === 'hits' && hits.length === 0 ? (
                <Tag tone="neutral">Only hits judged not a true match</Tag>
              ) : (
                <Tag tone={weighed.status === 'hits' ? 'bad' : weighed.status === 'clear' ? 'good' : 'neutral'}>
                  {weighed.status === 'hits' ? 'Listed entities found' : weighed.status === 'clear' ? 'No listing found' : 'Screening off'}
                </Tag>
              )}{' '}
              checked {formatDateTime(weighed.checkedAt)} ({weighed.stage === 'decision' ? 'before the decision' : 'when the proposal was created'})
              {weighed.source ? ` against ${weighed.source}` : ''}.
            </p>
            {weighed.status === 'off' && weighed.error ? <p className="small">{weighed.error}</p> : null}
            {allHits.length > 0 ? (
              <p className="small" data-testid="screening-memory-link">
                {judgedCount > 0 ? `${judgedCount} of ${allHits.length} hits judged not a true match. ` : null}
                <a href={`/review/${view.proposal.id}/screening`}>
                  {hits.length > 0 ? 'Judge the hits, or see those judged' : 'See the hits judged not a true match'}
                </a>
              </p>
            ) : null}
            {hits.length > 0 ? (
              <>
                <p className="alert alert--info" data-testid="screening-note">
                  <strong>A hit is information, not a verdict.</strong> Nothing about this proposal changes because of it, and it is not a
                  reason to reject by itself. Read who listed the group, when and on what basis, weigh it with the vetting, and say how you
                  weighed it when you decide: your reasoning is kept in the decision record.
                </p>
                <ul className="cards">
                  {hits.map((h) => (
                    <li key={h.entityId} className="card" data-testid="screening-hit">
                      <span className="card__title">{h.caption}</span>
                      <HitFacts hit={h} />
                    </li>
                  ))}
                </ul>
                {dossier.screeningContext.map((c) => (
                  <div key={c.list} className="card" data-testid="screening-context">
                    <h3 className="small">The organization’s own position on this list</h3>
                    <p className="small">
                      <strong>{c.list}: </strong>
                      {c.note}
                    </p>
                  </div>
                ))}
              </>
            ) : null}
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Decision record</h2>
        <Timeline records={view.records} />
      </section>
    </>
  );
}
