import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { AgendaMap, ClassificationTag } from '../components/agenda-map';
import { FieldError, Tag } from '../components/forms';
import { HeatMap } from '../components/heat-map';
import { MouDiff } from '../components/mou-diff';
import { Stepper } from '../components/stepper';
import { Timeline } from '../components/timeline';
import { formValues } from '../forms/review.server';
import { todayUtc } from '../services/expiry.server';
import { refreshScreeningBeforeDecision, reviewDossier, submitReviewForm, type ReviewActionResult } from '../services/review.server';
import { actingUser, notFound, requirePermission, requireProposal } from '../utils/auth.server';
import {
  formatDate,
  formatDateTime,
  kindLabel,
  outcomeLabel,
  outcomeTone,
  roleLabel,
  stateLabel,
  stateTone,
  stepLabel,
} from '../utils/labels';
import { redirectWithFlash } from '../utils/session.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Review ${data.dossier.view.proposal.reference} · Cosponsor` : 'Review · Cosponsor' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'review.queue');
  const today = todayUtc();
  const { proposal } = await requireProposal(request, params.id);
  // Reading the dossier writes nothing: screening runs on a schedule (server.ts) and before a decision (the action).
  const dossier = reviewDossier(proposal.id, actingUser(user), today);
  if (!dossier) notFound('This proposal');
  return json({ dossier });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'review.queue');
  const { proposal } = await requireProposal(request, params.id);
  // Screen again before acting when the last check is old (bounded by the timeout; never blocks deciding):
  // new hits then need an acknowledgement before the decision goes through.
  await refreshScreeningBeforeDecision(proposal);
  const formData = await request.formData();
  const values = formValues(formData);
  const result = submitReviewForm(proposal.id, actingUser(user), formData, values, todayUtc());
  if (!result.ok) return json(result, { status: result.status });
  const final = result.intent === 'approve' || result.intent === 'reject' || result.intent === 'request_changes';
  return redirectWithFlash(final ? '/review' : `/review/${proposal.id}`, { kind: 'success', message: result.message });
}

type Failure = Extract<ReviewActionResult, { ok: false }>;

const RATING: Record<string, { text: string; tone: 'good' | 'warn' | 'bad' | 'neutral' }> = {
  meets: { text: 'Meets', tone: 'good' },
  concern: { text: 'Concern', tone: 'warn' },
  not_met: { text: 'Does not meet', tone: 'bad' },
  unknown: { text: 'Unknown', tone: 'neutral' },
};
const ANSWER: Record<string, { text: string; tone: 'good' | 'warn' | 'bad' }> = {
  met: { text: 'Met', tone: 'good' },
  condition: { text: 'Met with a condition', tone: 'warn' },
  cannot_meet: { text: 'Cannot be met', tone: 'bad' },
};
const STANCE: Record<string, string> = { calls_for: 'Calls for', no_position: 'No position', opposes: 'Opposes' };

/** What the person typed into this form before it had to be shown again. */
function typed(failure: Failure | undefined, intent: string, itemId?: number) {
  if (!failure || failure.intent !== intent) return null;
  if (itemId !== undefined && failure.values.itemId !== String(itemId)) return null;
  return failure;
}

function Field({
  id,
  label,
  hint,
  errors,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  errors?: string[];
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => React.ReactNode;
}) {
  const described = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children({ id, ...(errors?.length ? { 'aria-invalid': true as const } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

function Refusal({ id, control }: { id: string; control: { ok: true } | { ok: false; reason: string } }) {
  if (control.ok) return null;
  return (
    <p className="alert alert--warn" id={id} data-testid="decision-refusal">
      <strong>You cannot decide here: </strong>
      {control.reason}
    </p>
  );
}

export default function Dossier() {
  const { dossier } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as Failure | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const { view } = dossier;
  const p = view.proposal;
  // The screening staff weigh: the latest, or the last answer the service gave when the latest check failed.
  const weighed = dossier.screeningLastAnswer ?? dossier.screening;
  const hits = weighed?.status === 'hits' ? weighed.hits : [];
  const screeningProblem = dossier.screening?.status === 'error' ? dossier.screening.error : null;
  const conflicts = view.agendaItems.filter((i) => i.classification === 'conflicting');
  const unknown = view.agendaItems.filter((i) => i.classification === 'unknown');
  const steps = view.steps.map((s) => ({ ...s, href: `#step-${s.step}` }));
  const approve = typed(failure, 'approve');
  const reject = typed(failure, 'reject');
  const changes = typed(failure, 'request_changes');
  const override = typed(failure, 'override');

  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link to="/review">← Review queue</Link>
          </p>
          <h1>{p.event_title}</h1>
          <p>
            {p.reference} · {kindLabel(p.kind)} with <strong>{view.partner.name}</strong> · {p.chapter_name} · {p.campaign_name}
          </p>
        </div>
        <div className="row">
          <Tag tone={stateTone(p.state)}>{stateLabel(p.state)}</Tag>
          {p.recommend_reject ? <Tag tone="bad">Recommend reject</Tag> : null}
          <a className="button button--secondary" href="#decision">
            Go to the decision
          </a>
        </div>
      </div>

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

      <Stepper steps={steps} />

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
          <p style={{ marginTop: '0.75rem' }}>{p.event_description}</p>
          {dossier.previous ? (
            <p className="alert alert--info" data-testid="previous-proposal">
              A new proposal for a partner vetted before: the previous one is{' '}
              <Link to={`/review/${dossier.previous.id}`}>
                {dossier.previous.reference} “{dossier.previous.event_title}”
              </Link>{' '}
              ({dossier.previous.chapter_name}, {stateLabel(dossier.previous.state)}
              {dossier.previous.approved_until ? `, approved until ${formatDate(dossier.previous.approved_until)}` : ''}).
            </p>
          ) : null}
        </section>

        <section className="panel" aria-labelledby="partner-heading">
          <h2 id="partner-heading">Partner: {view.partner.name}</h2>
          <dl className="facts">
            <dt>Website</dt>
            <dd>{view.partner.website ? <a href={view.partner.website}>{view.partner.website}</a> : '—'}</dd>
            <dt>Country</dt>
            <dd>{view.partner.country || '—'}</dd>
            <dt>Public positions</dt>
            <dd>{view.partner.publicPositions.length ? view.partner.publicPositions.join(', ') : 'None recorded'}</dd>
          </dl>
          <p style={{ marginTop: '0.75rem' }}>{view.partner.description}</p>
        </section>
      </div>

      <section className="panel" aria-labelledby="precedent-heading" data-testid="partner-precedent">
        <h2 id="precedent-heading">Precedent: this partner before</h2>
        {dossier.partnerPrecedent.length === 0 ? (
          <p className="muted">No other proposal with this partner, from any chapter.</p>
        ) : (
          <ul className="cards">
            {dossier.partnerPrecedent.map((pp) => (
              <li key={pp.id} className="card">
                <div className="row">
                  <Link className="card__title" to={`/review/${pp.id}`}>
                    {pp.reference} “{pp.eventTitle}”
                  </Link>
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
                        {d.rationale ? <>: {d.rationale}</> : null}
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

      <section className="panel" id="step-values" aria-labelledby="values-heading">
        <h2 id="values-heading">1. Values compatibility</h2>
        {dossier.values ? (
          <>
            <p>
              <Tag tone={outcomeTone(dossier.values.outcome)}>{outcomeLabel(dossier.values.outcome)}</Tag> {dossier.values.result.summary}{' '}
              <span className="small muted">(record #{dossier.values.seq})</span>
            </p>
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">Values criteria, ratings and evidence</caption>
                <thead>
                  <tr>
                    <th scope="col">Criterion</th>
                    <th scope="col">Rating</th>
                    <th scope="col">Evidence</th>
                  </tr>
                </thead>
                <tbody>
                  {dossier.values.ratings.map((r) => (
                    <tr key={r.key}>
                      <th scope="row">{r.label}</th>
                      <td>
                        <Tag tone={RATING[r.rating]?.tone ?? 'neutral'}>{RATING[r.rating]?.text ?? r.rating}</Tag>
                      </td>
                      <td>
                        {r.evidence || <span className="muted">No evidence given.</span>}
                        {r.links.length > 0 ? (
                          <ul className="small" style={{ margin: '0.25rem 0 0', paddingLeft: '1.1rem' }}>
                            {r.links.map((l) => (
                              <li key={l}>
                                <a href={l}>{l}</a>
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p className="muted">Not submitted.</p>
        )}
      </section>

      <section className="panel" id="step-agenda" aria-labelledby="agenda-heading">
        <h2 id="agenda-heading">2. Agenda mapping</h2>
        {dossier.agendaOutcome ? (
          <p>
            <Tag tone={outcomeTone(dossier.agendaOutcome.outcome)}>{outcomeLabel(dossier.agendaOutcome.outcome)}</Tag>{' '}
            <span className="small muted">(record #{dossier.agendaOutcome.seq})</span>
          </p>
        ) : null}
        {conflicts.length > 0 ? (
          <div className="alert alert--bad" data-testid="agenda-conflicts">
            <h3>Conflicting items</h3>
            <ul>
              {conflicts.map((i) => (
                <li key={i.id}>{i.text}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {unknown.length > 0 ? (
          <div className="alert alert--warn" data-testid="agenda-unknown">
            <h3>Items not yet mapped: staff classify them below</h3>
            <ul>
              {unknown.map((i) => (
                <li key={i.id}>{i.text}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <AgendaMap items={view.agendaItems} />

        {unknown.length > 0 ? (
          <div>
            <h3>Classify unknown items</h3>
            <Refusal id="classify-refusal" control={dossier.controls.classify} />
            {unknown.map((item) => {
              const mine = typed(failure, 'classify', item.id);
              const prefix = `classify-${item.id}`;
              const v = mine?.values ?? {};
              return (
                <Form method="post" key={item.id} className="card" aria-label={`Classify “${item.text}”`} data-testid={`classify-${item.id}`}>
                  <fieldset
                    disabled={!dossier.controls.classify.ok}
                    aria-describedby={dossier.controls.classify.ok ? undefined : 'classify-refusal'}
                    style={{ border: 0, padding: 0, margin: 0 }}
                  >
                    <legend className="card__title">“{item.text}”</legend>
                    <input type="hidden" name="intent" value="classify" />
                    <input type="hidden" name="itemId" value={item.id} />
                    <input type="hidden" name="version" value={p.version} />
                    <Field id={`${prefix}-classification`} label="Classification" errors={mine?.fieldErrors.classification}>
                      {(a) => (
                        <select {...a} name="classification" defaultValue={v.classification ?? ''} required>
                          <option value="">Choose…</option>
                          <option value="aligned">Aligned: the organization calls for it</option>
                          <option value="compatible">Compatible: within the mandate</option>
                          <option value="no_position">No position: must not appear to endorse</option>
                          <option value="conflicting">Conflicting: opposed or outside the mandate</option>
                        </select>
                      )}
                    </Field>
                    <Field
                      id={`${prefix}-position`}
                      label="Position in the catalog"
                      hint={`Catalog version ${dossier.positionsVersion}.`}
                      errors={mine?.fieldErrors.positionKey}
                    >
                      {(a) => (
                        <select {...a} name="positionKey" defaultValue={v.positionKey ?? ''}>
                          <option value="">None</option>
                          {(['calls_for', 'no_position', 'opposes'] as const).map((stance) => (
                            <optgroup key={stance} label={STANCE[stance]}>
                              {dossier.positions
                                .filter((pos) => pos.stance === stance)
                                .map((pos) => (
                                  <option key={pos.key} value={pos.key}>
                                    {pos.statement}
                                  </option>
                                ))}
                            </optgroup>
                          ))}
                        </select>
                      )}
                    </Field>
                    <details open={Boolean(v.newPositionStatement)}>
                      <summary>Or add a new position to the catalog</summary>
                      <Field
                        id={`${prefix}-new-statement`}
                        label="Statement of the new position"
                        hint="Saved as a new version of the positions catalog; the item is classified against it."
                        errors={mine?.fieldErrors.newPositionStatement}
                      >
                        {(a) => <input {...a} type="text" name="newPositionStatement" defaultValue={v.newPositionStatement ?? ''} />}
                      </Field>
                      <Field id={`${prefix}-new-stance`} label="The organization…" errors={mine?.fieldErrors.newPositionStance}>
                        {(a) => (
                          <select {...a} name="newPositionStance" defaultValue={v.newPositionStance ?? ''}>
                            <option value="">Choose…</option>
                            <option value="calls_for">calls for it</option>
                            <option value="no_position">takes no position on it</option>
                            <option value="opposes">opposes it</option>
                          </select>
                        )}
                      </Field>
                      <Field id={`${prefix}-new-campaign`} label="Campaign">
                        {(a) => (
                          <select {...a} name="newPositionCampaign" defaultValue={v.newPositionCampaign ?? ''}>
                            <option value="">Organization-wide</option>
                            {dossier.campaigns.map((c) => (
                              <option key={c.key} value={c.key}>
                                {c.name}
                              </option>
                            ))}
                          </select>
                        )}
                      </Field>
                    </details>
                    <Field id={`${prefix}-rationale`} label="Rationale (optional)" errors={mine?.fieldErrors.rationale}>
                      {(a) => <textarea {...a} name="rationale" defaultValue={v.rationale ?? ''} />}
                    </Field>
                    <button type="submit" className="button button--secondary" disabled={busy}>
                      Classify this item
                    </button>
                  </fieldset>
                </Form>
              );
            })}
          </div>
        ) : null}

        <h3>Precedent: the same agenda items or positions elsewhere</h3>
        {dossier.agendaPrecedent.length === 0 ? (
          <p className="muted">No decided proposal from any chapter carried these items or positions.</p>
        ) : (
          <ul className="stack" style={{ paddingLeft: '1.1rem' }} data-testid="agenda-precedent">
            {dossier.agendaPrecedent.map((ap) => (
              <li key={ap.itemId}>
                <strong>“{ap.text}”</strong>
                <ul className="small">
                  {ap.matches.map((m) => (
                    <li key={m.item_id}>
                      <ClassificationTag classification={m.classification} />
                      {m.staff_classified ? ' (classified by staff)' : ''} in{' '}
                      <Link to={`/review/${m.proposal_id}`}>
                        {m.reference} “{m.event_title}”
                      </Link>{' '}
                      ({m.chapter_name}, {m.partner_name}; same {m.matchedBy.join(' and ')})
                      {m.decision_outcome ? (
                        <>
                          {' '}
                          · decision: <Tag tone={outcomeTone(m.decision_outcome)}>{outcomeLabel(m.decision_outcome)}</Tag>
                          {m.decision_rationale ? ` ${m.decision_rationale}` : ''}
                        </>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" id="step-risk" aria-labelledby="risk-heading">
        <h2 id="risk-heading">3. Risks and benefits</h2>
        {dossier.risk ? (
          <p>
            <Tag tone={outcomeTone(dossier.risk.outcome)}>{outcomeLabel(dossier.risk.outcome)}</Tag> {dossier.risk.arithmetic}{' '}
            <span className="small muted">(record #{dossier.risk.seq})</span>
          </p>
        ) : (
          <p className="muted">Not submitted.</p>
        )}
        {view.riskItems.length > 0 ? (
          <>
            <HeatMap
              items={view.riskItems}
              likelihoodLabels={view.riskMatrix.likelihoodLabels}
              impactLabels={view.riskMatrix.impactLabels}
              bands={view.riskMatrix.bands}
            />
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">Risk register</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Item</th>
                    <th scope="col">Score</th>
                    <th scope="col">Mitigation and residual</th>
                  </tr>
                </thead>
                <tbody>
                  {view.riskItems.map((r, i) => (
                    <tr key={r.id}>
                      <td>
                        {r.kind === 'risk' ? 'R' : 'B'}
                        {i + 1}
                      </td>
                      <td>
                        <strong>{r.kind === 'risk' ? 'Risk' : 'Benefit'}</strong> ({r.category.replace(/_/g, ' ')}): {r.description}
                      </td>
                      <td>
                        {r.likelihood} × {r.impact} = {r.score} ({r.band})
                      </td>
                      <td>
                        {r.kind === 'risk' ? (
                          <>
                            {r.mitigation}
                            <div className="small">
                              Residual {r.residualLikelihood} × {r.residualImpact} = {r.residualScore}{' '}
                              {r.residualBand === 'critical' ? <Tag tone="bad">critical</Tag> : `(${r.residualBand})`}
                            </div>
                          </>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </section>

      <section className="panel" id="step-perception" aria-labelledby="perception-heading">
        <h2 id="perception-heading">4. BDS-perception review</h2>
        {dossier.perception ? (
          <>
            <p>
              <Tag tone={outcomeTone(dossier.perception.outcome)}>{outcomeLabel(dossier.perception.outcome)}</Tag>{' '}
              <span className="small muted">(record #{dossier.perception.seq})</span>
            </p>
            {dossier.perception.conditions.length > 0 ? (
              <div className="alert alert--warn" data-testid="perception-conditions">
                <h3>Perception conditions (each is an MOU clause)</h3>
                <ol>
                  {dossier.perception.conditions.map((c) => (
                    <li key={c.itemKey}>
                      <strong>{c.label}</strong>: {c.clause}
                    </li>
                  ))}
                </ol>
              </div>
            ) : null}
            <ul className="small" style={{ paddingLeft: '1.1rem' }}>
              {dossier.perception.answers.map((a) => (
                <li key={a.key}>
                  {a.label}: <Tag tone={ANSWER[a.answer]?.tone ?? 'warn'}>{ANSWER[a.answer]?.text ?? a.answer}</Tag>
                  {a.note ? ` ${a.note}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="muted">
            {p.perception_required ? 'Required, not submitted yet.' : 'Not required for this proposal (recorded as not applicable).'}
          </p>
        )}
      </section>

      <section className="panel" id="step-mou" aria-labelledby="mou-heading" data-testid="mou-section">
        <h2 id="mou-heading">5. Memorandum of understanding</h2>
        {dossier.mouStep?.data.notNeeded ? (
          <p>
            <Tag tone="neutral">MOU not needed</Tag> {dossier.mouStep.data.notNeeded}
          </p>
        ) : null}
        {dossier.mou.latestVersion === null ? (
          <p className="muted">No MOU has been drafted.</p>
        ) : (
          <>
            {dossier.mou.seenVersion === null ? (
              <p>You are reading this MOU for the first time (version {dossier.mou.latestVersion}).</p>
            ) : dossier.mou.seenVersion === dossier.mou.latestVersion ? (
              <p>No changes since you last read it (version {dossier.mou.latestVersion}).</p>
            ) : (
              <>
                <p>
                  <strong>
                    Changed since you last read version {dossier.mou.seenVersion}: now version {dossier.mou.latestVersion}.
                  </strong>
                </p>
                <MouDiff before={dossier.mou.before} after={dossier.mou.after} headingLevel={4} />
              </>
            )}
            <details open={dossier.mou.seenVersion === null}>
              <summary>Version {dossier.mou.latestVersion} in full</summary>
              {dossier.mou.after.map((s) => (
                <section key={s.key}>
                  <h3>{s.title}</h3>
                  {s.body ? <p style={{ whiteSpace: 'pre-wrap' }}>{s.body}</p> : null}
                  {s.clauses.length > 0 ? (
                    <ol>
                      {s.clauses.map((c) => (
                        <li key={c.id}>
                          {c.text}
                          {c.origin ? <span className="small muted"> (required by: {c.origin.label})</span> : null}
                        </li>
                      ))}
                    </ol>
                  ) : null}
                </section>
              ))}
            </details>
          </>
        )}
      </section>

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
              <Tag tone={weighed.status === 'hits' ? 'bad' : weighed.status === 'clear' ? 'good' : 'neutral'}>
                {weighed.status === 'hits' ? 'Listed entities found' : weighed.status === 'clear' ? 'No listing found' : 'Screening off'}
              </Tag>{' '}
              checked {formatDateTime(weighed.checkedAt)} ({weighed.stage === 'decision' ? 'before the decision' : 'when the proposal was created'})
              {weighed.source ? ` against ${weighed.source}` : ''}.
            </p>
            {weighed.status === 'off' && weighed.error ? <p className="small">{weighed.error}</p> : null}
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
                      <ul className="small screening-hit__facts">
                        <li>List: {h.lists.join(', ')}</li>
                        <li>Authority: {h.authority ?? 'not given'}</li>
                        {h.program ? <li>Program: {h.program}</li> : null}
                        <li>Listed: {h.listedOn ? formatDate(h.listedOn) : 'date not given'}</li>
                        <li>
                          Match score {h.score} (at or above the service’s match threshold)
                          {h.explanations.length > 0 ? <span className="muted"> · {h.explanations.join('; ')}</span> : null}
                        </li>
                        <li>
                          Entity id: <code>{h.entityId}</code>
                        </li>
                        {h.countries.length > 0 ? <li>Countries: {h.countries.map((c) => c.toUpperCase()).join(', ')}</li> : null}
                        {h.topics.length > 0 ? <li>Topics: {h.topics.join(', ')}</li> : null}
                      </ul>
                      {h.sourceUrl && /^https?:\/\//.test(h.sourceUrl) ? (
                        <a className="small" href={h.sourceUrl} rel="noopener noreferrer nofollow">
                          Source of the listing
                        </a>
                      ) : null}
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

      <section className="panel" id="decision" aria-labelledby="decision-heading" data-testid="decision">
        <h2 id="decision-heading">Decision</h2>
        <p className="small muted">
          You are deciding on version {p.version} of this proposal. If someone else records a decision first, yours is not saved: you
          will see what changed, with your text kept.
        </p>
        <Refusal id="decide-refusal" control={dossier.controls.decide} />
        <div className="grid-2">
          <Form method="post" className="card" aria-labelledby="approve-heading" data-testid="approve-form">
            <fieldset
              disabled={!dossier.controls.decide.ok}
              aria-describedby={dossier.controls.decide.ok ? undefined : 'decide-refusal'}
              style={{ border: 0, padding: 0, margin: 0 }}
            >
              <h3 id="approve-heading">Approve</h3>
              <input type="hidden" name="intent" value="approve" />
              <input type="hidden" name="version" value={p.version} />
              <Field
                id="approve-conditions"
                label="Conditions (optional)"
                hint="One condition per line."
                errors={approve?.fieldErrors.conditions ?? Object.entries(approve?.fieldErrors ?? {}).find(([k]) => k.startsWith('conditions.'))?.[1]}
              >
                {(a) => <textarea {...a} name="conditions" rows={4} defaultValue={approve?.values.conditions ?? ''} />}
              </Field>
              <Field
                id="approve-end"
                label="Approved until"
                hint={`Defaults to the event date; at most 12 months, until ${formatDate(dossier.endDate.max)}.`}
                errors={approve?.fieldErrors.endDate}
              >
                {(a) => (
                  <input
                    {...a}
                    type="date"
                    name="endDate"
                    min={dossier.endDate.min}
                    max={dossier.endDate.max}
                    defaultValue={approve?.values.endDate ?? dossier.endDate.default}
                  />
                )}
              </Field>
              <Field id="approve-rationale" label="Rationale (optional)" errors={approve?.fieldErrors.rationale}>
                {(a) => <textarea {...a} name="rationale" defaultValue={approve?.values.rationale ?? ''} />}
              </Field>
              {hits.length > 0 ? (
                <Field
                  id="approve-ack"
                  label="How you weighed the screening hits"
                  errors={approve?.fieldErrors.screeningAcknowledgement}
                >
                  {(a) => <textarea {...a} name="screeningAcknowledgement" defaultValue={approve?.values.screeningAcknowledgement ?? ''} />}
                </Field>
              ) : null}
              <button type="submit" className="button button--good" disabled={busy}>
                Approve
              </button>
            </fieldset>
          </Form>

          <div className="stack">
            <Form method="post" className="card" aria-labelledby="reject-heading" data-testid="reject-form">
              <fieldset
                disabled={!dossier.controls.decide.ok}
                aria-describedby={dossier.controls.decide.ok ? undefined : 'decide-refusal'}
                style={{ border: 0, padding: 0, margin: 0 }}
              >
                <h3 id="reject-heading">Reject</h3>
                <input type="hidden" name="intent" value="reject" />
                <input type="hidden" name="version" value={p.version} />
                <Field id="reject-rationale" label="Rationale (required)" errors={reject?.fieldErrors.rationale}>
                  {(a) => <textarea {...a} name="rationale" required minLength={10} defaultValue={reject?.values.rationale ?? ''} />}
                </Field>
                {hits.length > 0 ? (
                  <Field id="reject-ack" label="How you weighed the screening hits" errors={reject?.fieldErrors.screeningAcknowledgement}>
                    {(a) => <textarea {...a} name="screeningAcknowledgement" defaultValue={reject?.values.screeningAcknowledgement ?? ''} />}
                  </Field>
                ) : null}
                <button type="submit" className="button button--danger" disabled={busy}>
                  Reject
                </button>
              </fieldset>
            </Form>

            <Form method="post" className="card" aria-labelledby="changes-heading" data-testid="changes-form">
              <fieldset
                disabled={!dossier.controls.decide.ok}
                aria-describedby={dossier.controls.decide.ok ? undefined : 'decide-refusal'}
                style={{ border: 0, padding: 0, margin: 0 }}
              >
                <h3 id="changes-heading">Request changes</h3>
                <input type="hidden" name="intent" value="request_changes" />
                <input type="hidden" name="version" value={p.version} />
                <Field id="changes-step" label="Return to the step" errors={changes?.fieldErrors.step}>
                  {(a) => (
                    <select {...a} name="step" required defaultValue={changes?.values.step ?? ''}>
                      <option value="">Choose…</option>
                      {dossier.returnSteps.map((s) => (
                        <option key={s} value={s}>
                          {stepLabel(s)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id="changes-rationale" label="What needs to change (required)" errors={changes?.fieldErrors.rationale}>
                  {(a) => <textarea {...a} name="rationale" required minLength={10} defaultValue={changes?.values.rationale ?? ''} />}
                </Field>
                <div className="field">
                  <label className="choice">
                    <input type="checkbox" name="requireMou" defaultChecked={changes?.values.requireMou === 'on'} />{' '}
                    Require an MOU: the lead can no longer record “MOU not needed”
                  </label>
                </div>
                {hits.length > 0 ? (
                  <Field id="changes-ack" label="How you weighed the screening hits" errors={changes?.fieldErrors.screeningAcknowledgement}>
                    {(a) => <textarea {...a} name="screeningAcknowledgement" defaultValue={changes?.values.screeningAcknowledgement ?? ''} />}
                  </Field>
                ) : null}
                <button type="submit" className="button button--secondary" disabled={busy}>
                  Request changes
                </button>
              </fieldset>
            </Form>
          </div>
        </div>

        <details className="card" style={{ marginTop: '1rem' }} open={Boolean(override)}>
          <summary>Override a step’s outcome</summary>
          <Refusal id="override-refusal" control={dossier.controls.override} />
          <Form method="post" aria-label="Override a step’s outcome" data-testid="override-form">
            <fieldset
              disabled={!dossier.controls.override.ok}
              aria-describedby={dossier.controls.override.ok ? undefined : 'override-refusal'}
              style={{ border: 0, padding: 0, margin: 0 }}
            >
              <input type="hidden" name="intent" value="override" />
              <input type="hidden" name="version" value={p.version} />
              <p className="small">The override is its own record; the step’s submitted record stays as it was.</p>
              <Field id="override-target" label="Step and new outcome" errors={override?.fieldErrors.target ?? override?.fieldErrors.outcome}>
                {(a) => (
                  <select {...a} name="target" required defaultValue={override?.values.target ?? ''}>
                    <option value="">Choose…</option>
                    {(['values', 'agenda', 'risk', 'perception'] as const).map((step) => {
                      const targets = dossier.overrideTargets.filter((t) => t.step === step);
                      return targets.length === 0 ? null : (
                        <optgroup key={step} label={stepLabel(step)}>
                          {targets.map((t) => (
                            <option key={t.outcome} value={`${t.step}:${t.outcome}`}>
                              {outcomeLabel(t.outcome)}
                              {t.current ? ' (current)' : ''}
                            </option>
                          ))}
                        </optgroup>
                      );
                    })}
                  </select>
                )}
              </Field>
              <Field id="override-rationale" label="Rationale (required)" errors={override?.fieldErrors.rationale}>
                {(a) => <textarea {...a} name="rationale" required minLength={10} defaultValue={override?.values.rationale ?? ''} />}
              </Field>
              <button type="submit" className="button button--secondary" disabled={busy}>
                Record the override
              </button>
            </fieldset>
          </Form>
        </details>
      </section>
    </>
  );
}
