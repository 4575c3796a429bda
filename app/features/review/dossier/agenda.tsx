// The dossier's agenda mapping, where staff classify the items left unknown.
import { Form } from '@remix-run/react';
import { ServerMarkup, type ServerHtml } from '../../../components/server-markup';
import { AgendaMap } from '../../../components/agenda-map';
import { Tag } from '../../../components/forms';
import { outcomeLabel, outcomeTone } from '../../../utils/labels';
import { STANCE, typed, Field, Refusal, type DossierPageData, type Failure } from './parts';

/** Step 2 as recorded, with a classification form for each unknown or conflicting item. */
export function AgendaSection({
  dossier,
  precedent,
  failure,
  busy,
}: {
  dossier: DossierPageData;
  /** The precedent of these items elsewhere, as HTML (agenda-precedent.tsx, rendered in the loader). */
  precedent: string | ServerHtml;
  failure?: Failure;
  busy: boolean;
}) {
  const { view } = dossier;
  const p = view.proposal;
  const conflicts = view.agendaItems.filter((i) => i.classification === 'conflicting');
  const unknown = view.agendaItems.filter((i) => i.classification === 'unknown');
  return (
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
                  <Field id={`${prefix}-classification`} label="Classification" required errors={mine?.fieldErrors.classification}>
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
                  <Field id={`${prefix}-rationale`} label="Rationale (optional)" limit={{ max: 5000 }} errors={mine?.fieldErrors.rationale}>
                    {(a) => <textarea {...a} name="rationale" maxLength={5000} defaultValue={v.rationale ?? ''} />}
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

      <ServerMarkup html={precedent} />
    </section>
  );
}
