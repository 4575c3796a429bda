// The dossier's head: a refused decision, the event and the partner, and the partner's precedent.
// The event, partner and precedent are rendered on the server only (markup.server.tsx): plain links.
import { Tag } from '../../../components/forms';
import { formatDate, formatDateTime, outcomeLabel, outcomeTone, roleLabel, stateLabel, stateTone, stepLabel, publicPositionLabel } from '../../../utils/labels';
import { type DossierData, type Failure } from './parts';
import { PRECEDENT_FEW, PRECEDENT_MAX } from './precedent-limits';

/** Why the last decision was not saved; a stale one lists what was recorded meanwhile. */
export function DecisionFailure({ failure }: { failure?: Failure }) {
  return (
    <>
      {failure ? (
        <div className={`alert ${failure.status === 409 ? 'alert--warn' : 'alert--bad'}`} role="alert" data-testid="decision-failure">
          {failure.status === 409 && failure.changes.length > 0 ? (
            <>
              <h2>This proposal changed while you were deciding</h2>
              <p>{failure.formError}</p>
              <p>What was recorded after the version you saw:</p>
              <ul data-testid="changes-since">
                {failure.changes.map((c) => (
                  <li key={c.seq}>
                    #{c.seq} {stepLabel(c.step)}: <strong>{outcomeLabel(c.outcome)}</strong> by {c.actor_name} ({roleLabel(c.actor_role)}),{' '}
                    {formatDateTime(c.at)}
                    {c.from_state !== c.to_state ? ` (${stateLabel(c.from_state ?? '')} → ${stateLabel(c.to_state)})` : ''}
                    {c.rationale ? `: ${c.rationale}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{failure.formError}</p>
          )}
        </div>
      ) : null}
    </>
  );
}

/** The event and the partner, side by side. */
export function EventAndPartner({ dossier }: { dossier: DossierData }) {
  const { view } = dossier;
  const p = view.proposal;
  return (
    <div className="grid-2">
      <section className="panel" aria-labelledby="event-heading">
        <h2 id="event-heading">The event</h2>
        <dl className="facts">
          <dt>Date</dt>
          <dd>
            {formatDate(p.event_date)}{' '}
            {dossier.timing === 'past' ? <Tag tone="bad">Date passed</Tag> : dossier.timing === 'close' ? <Tag tone="warn">Within 14 days</Tag> : null}
          </dd>
          <dt>Place</dt>
          <dd>{p.event_place}</dd>
          <dt>Proposed by</dt>
          <dd>
            {p.proposer_name}, {p.chapter_name}
          </dd>
          <dt>Submitted</dt>
          <dd>{formatDateTime(p.submitted_at)}</dd>
          {p.approved_until ? (
            <>
              <dt>Approved until</dt>
              <dd>{formatDate(p.approved_until)}</dd>
            </>
          ) : null}
        </dl>
        <p style={{ marginTop: '0.75rem' }} dir="auto">
          {p.event_description}
        </p>
        {dossier.previous ? (
          <p className="alert alert--info" data-testid="previous-proposal">
            A new proposal for a partner vetted before: the previous one is{' '}
            <a href={`/review/${dossier.previous.id}`}>
              {dossier.previous.reference} “{dossier.previous.event_title}”
            </a>{' '}
            ({dossier.previous.chapter_name}, {stateLabel(dossier.previous.state)}
            {dossier.previous.approved_until ? `, approved until ${formatDate(dossier.previous.approved_until)}` : ''}).
          </p>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="partner-heading">
        <h2 id="partner-heading">
          Partner: <bdi>{view.partner.name}</bdi>
        </h2>
        <dl className="facts">
          <dt>Website</dt>
          <dd>{view.partner.website ? <a href={view.partner.website}>{view.partner.website}</a> : '—'}</dd>
          <dt>Country</dt>
          <dd>{view.partner.country || '—'}</dd>
          <dt>Public positions</dt>
          <dd>{view.partner.publicPositions.length ? view.partner.publicPositions.map(publicPositionLabel).join(', ') : 'None recorded'}</dd>
        </dl>
        <p style={{ marginTop: '0.75rem' }} dir="auto">
          {view.partner.description}
        </p>
      </section>
    </div>
  );
}

/** The other proposals with this partner, from any chapter, with their decisions: the newest few, or all on request. */
export function Precedent({ dossier }: { dossier: DossierData }) {
  const shown = dossier.partnerPrecedent.length;
  const total = dossier.partnerPrecedentCount;
  const id = dossier.view.proposal.id;
  return (
    <section className="panel" aria-labelledby="precedent-heading" data-testid="partner-precedent">
      <h2 id="precedent-heading">Precedent: this partner before</h2>
      {total > PRECEDENT_FEW ? (
        <p className="small" data-testid="precedent-more">
          {shown < total ? `The newest ${shown} of ${total} other proposals with this partner.` : `All ${total} other proposals with this partner.`}{' '}
          {dossier.partnerPrecedentAll ? (
            <a href={`/review/${id}#precedent-heading`}>
              Show the newest {PRECEDENT_FEW} only
            </a>
          ) : (
            <a href={`/review/${id}?precedent=all#precedent-heading`}>
              Show {total > shown && total <= PRECEDENT_MAX ? `all ${total}` : `the newest ${Math.min(total, PRECEDENT_MAX)}`}
            </a>
          )}
          {total > PRECEDENT_MAX ? (
            <>
              {' '}
              · <a href={`/partners/${dossier.view.partner.id}`}>every proposal on the partner’s page</a>
            </>
          ) : null}
        </p>
      ) : null}
      {dossier.partnerPrecedent.length === 0 ? (
        <p className="muted">No other proposal with this partner, from any chapter.</p>
      ) : (
        <ul className="cards">
          {dossier.partnerPrecedent.map((pp) => (
            <li key={pp.id} className="card">
              <div className="row">
                <a className="card__title" href={`/review/${pp.id}`}>
                  {pp.reference} “<bdi>{pp.eventTitle}</bdi>”
                </a>
                <Tag tone={stateTone(pp.state)}>{stateLabel(pp.state)}</Tag>
              </div>
              <div className="card__meta">
                <span>{pp.chapterName}</span>
                <span>{pp.campaignName}</span>
                <span>event {formatDate(pp.eventDate)}</span>
                <span>{pp.earlier ? 'earlier proposal' : 'later proposal'}</span>
              </div>
              {pp.decisions.length === 0 ? (
                <p className="small muted">No decision recorded yet.</p>
              ) : (
                <ul className="small" style={{ margin: 0, paddingLeft: '1.1rem' }}>
                  {pp.decisions.map((d) => (
                    <li key={d.seq}>
                      {stepLabel(d.step)}: <Tag tone={outcomeTone(d.outcome)}>{outcomeLabel(d.outcome)}</Tag> {d.actorName},{' '}
                      {formatDate(d.at)}
                      {d.rationale ? (
                        <>
                          : <span dir="auto">{d.rationale}</span>
                        </>
                      ) : null}
                      {d.conditions.length > 0 ? (
                        <ul>
                          {d.conditions.map((c, i) => (
                            <li key={i}>Condition: {c}</li>
                          ))}
                        </ul>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
