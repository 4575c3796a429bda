// The decision forms: approve, reject, request changes, override a step's outcome.
import { Form } from '@remix-run/react';
import { formatDate, outcomeLabel, stepLabel } from '../../../utils/labels';
import { typed, Field, Refusal, type DossierPageData, type Failure } from './parts';

// The limits the review forms' schemas enforce (review-forms.server.ts), shown before submitting.
const TEXT_MAX = 5000;
const RATIONALE_MIN = 10;
const ACK_MIN = 10;
const ACK_HINT = 'Required because screening found possible matches for this partner: say how you weighed them.';

/** The staff decision forms, each with what was typed kept after a refusal. */
export function DecisionSection({ dossier, failure, busy }: { dossier: DossierPageData; failure?: Failure; busy: boolean }) {
  const { view } = dossier;
  const p = view.proposal;
  // The screening staff weigh: the latest, or the last answer the service gave when the latest check failed.
  const weighed = dossier.screeningLastAnswer ?? dossier.screening;
  // Hits judged "not a true match" need no acknowledgement (the rule in screening.server.ts).
  const hits = weighed?.status === 'hits' ? weighed.hits.filter((h) => !dossier.screeningJudged.includes(h.entityId)) : [];
  const approve = typed(failure, 'approve');
  const reject = typed(failure, 'reject');
  const changes = typed(failure, 'request_changes');
  const override = typed(failure, 'override');
  return (
    <section className="panel" id="decision" aria-labelledby="decision-heading" data-testid="decision">
      <h2 id="decision-heading">Decision</h2>
      <p className="small muted">
        You are deciding on the proposal as this page shows it. If someone else records a decision or changes it first, yours is not
        saved: you will see what changed, with your text kept.
      </p>
      <Refusal id="decide-refusal" control={dossier.controls.decide} />
      {dossier.timing === 'past' ? (
        <p className="alert alert--warn" data-testid="event-passed">
          <strong>The event date has passed</strong> ({formatDate(p.event_date)}). Check with the chapter whether the event took place or
          moved before deciding; an approval needs an end date from today on.
        </p>
      ) : null}
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
              hint="One condition per line: at most 30, each up to 1,000 characters."
              errors={approve?.fieldErrors.conditions ?? Object.entries(approve?.fieldErrors ?? {}).find(([k]) => k.startsWith('conditions.') || k.startsWith('conditions['))?.[1]}
            >
              {(a) => <textarea {...a} name="conditions" rows={4} defaultValue={approve?.values.conditions ?? ''} />}
            </Field>
            <Field
              id="approve-end"
              label={dossier.endDate.default === null ? 'Approved until (required)' : 'Approved until'}
              hint={
                dossier.endDate.default === null
                  ? `The event date (${formatDate(p.event_date)}) has passed: choose until when the approval lasts, from today to ${formatDate(dossier.endDate.max)} at most.`
                  : `Defaults to the event date; at most 12 months, until ${formatDate(dossier.endDate.max)}.`
              }
              errors={approve?.fieldErrors.endDate}
            >
              {(a) => (
                <input
                  {...a}
                  type="date"
                  name="endDate"
                  required={dossier.endDate.default === null}
                  min={dossier.endDate.min}
                  max={dossier.endDate.max}
                  defaultValue={approve?.values.endDate ?? dossier.endDate.default ?? ''}
                />
              )}
            </Field>
            <Field id="approve-rationale" label="Rationale (optional)" limit={{ max: TEXT_MAX }} errors={approve?.fieldErrors.rationale}>
              {(a) => <textarea {...a} name="rationale" maxLength={TEXT_MAX} defaultValue={approve?.values.rationale ?? ''} />}
            </Field>
            {hits.length > 0 ? (
              <Field
                id="approve-ack"
                label="How you weighed the screening hits"
                required
                hint={ACK_HINT}
                limit={{ min: ACK_MIN, max: TEXT_MAX }}
                errors={approve?.fieldErrors.screeningAcknowledgement}
              >
                {(a) => (
                  <textarea {...a} name="screeningAcknowledgement" required minLength={ACK_MIN} maxLength={TEXT_MAX} defaultValue={approve?.values.screeningAcknowledgement ?? ''} />
                )}
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
              <Field id="reject-rationale" label="Rationale" required limit={{ min: RATIONALE_MIN, max: TEXT_MAX }} errors={reject?.fieldErrors.rationale}>
                {(a) => <textarea {...a} name="rationale" required minLength={RATIONALE_MIN} maxLength={TEXT_MAX} defaultValue={reject?.values.rationale ?? ''} />}
              </Field>
              {hits.length > 0 ? (
                <Field
                id="reject-ack"
                label="How you weighed the screening hits"
                required
                hint={ACK_HINT}
                limit={{ min: ACK_MIN, max: TEXT_MAX }}
                errors={reject?.fieldErrors.screeningAcknowledgement}
              >
                {(a) => (
                  <textarea {...a} name="screeningAcknowledgement" required minLength={ACK_MIN} maxLength={TEXT_MAX} defaultValue={reject?.values.screeningAcknowledgement ?? ''} />
                )}
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
              <Field id="changes-rationale" label="What needs to change" required limit={{ min: RATIONALE_MIN, max: TEXT_MAX }} errors={changes?.fieldErrors.rationale}>
                {(a) => <textarea {...a} name="rationale" required minLength={RATIONALE_MIN} maxLength={TEXT_MAX} defaultValue={changes?.values.rationale ?? ''} />}
              </Field>
              <div className="field">
                <label className="choice">
                  <input type="checkbox" name="requireMou" defaultChecked={changes?.values.requireMou === 'on'} />{' '}
                  Require an MOU: the lead can no longer record “MOU not needed”
                </label>
              </div>
              {hits.length > 0 ? (
                <Field
                id="changes-ack"
                label="How you weighed the screening hits"
                required
                hint={ACK_HINT}
                limit={{ min: ACK_MIN, max: TEXT_MAX }}
                errors={changes?.fieldErrors.screeningAcknowledgement}
              >
                {(a) => (
                  <textarea {...a} name="screeningAcknowledgement" required minLength={ACK_MIN} maxLength={TEXT_MAX} defaultValue={changes?.values.screeningAcknowledgement ?? ''} />
                )}
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
            <Field id="override-rationale" label="Rationale" required limit={{ min: RATIONALE_MIN, max: TEXT_MAX }} errors={override?.fieldErrors.rationale}>
                {(a) => <textarea {...a} name="rationale" required minLength={RATIONALE_MIN} maxLength={TEXT_MAX} defaultValue={override?.values.rationale ?? ''} />}
            </Field>
            <button type="submit" className="button button--secondary" disabled={busy}>
              Record the override
            </button>
          </fieldset>
        </Form>
      </details>
    </section>
  );
}
