// The dossier's agenda mapping, where staff classify the items left unknown.
import { Form, Link } from '@remix-run/react';
import { AgendaMap, ClassificationTag } from '../../../components/agenda-map';
import { Tag } from '../../../components/forms';
import { outcomeLabel, outcomeTone } from '../../../utils/labels';
import { STANCE, typed, Field, Refusal, type DossierPageData, type Failure } from './parts';

/** Step 2 as recorded, with a classification form for each unknown or conflicting item. */
export function AgendaSection({ dossier, failure, busy }: { dossier: DossierPageData; failure?: Failure; busy: boolean }) {
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

      <h3>Precedent: the same agenda items or positions elsewhere</h3>
      {dossier.agendaPrecedent.length === 0 ? (
        <p className="muted">No decided proposal from any chapter carried these items or positions.</p>
      ) : (
        // One entry per earlier proposal, so its decision and rationale are said once, with every item it shares.
        <ul className="stack" style={{ paddingLeft: '1.1rem' }} data-testid="agenda-precedent">
          {precedentByProposal(dossier.agendaPrecedent).map((g) => (
            <li key={g.proposalId} data-precedent-proposal={g.proposalId}>
              <Link to={`/review/${g.proposalId}`}>
                {g.reference} “<bdi>{g.eventTitle}</bdi>”
              </Link>{' '}
              ({g.chapterName}, <bdi>{g.partnerName}</bdi>)
              {g.decisionOutcome ? (
                <>
                  {' '}
                  · decision: <Tag tone={outcomeTone(g.decisionOutcome)}>{outcomeLabel(g.decisionOutcome)}</Tag>
                  {g.decisionRationale ? <span dir="auto"> {g.decisionRationale}</span> : null}
                </>
              ) : null}
              <ul className="small">
                {g.items.map((m) => (
                  <li key={`${m.ourItemId}-${m.theirItemId}`}>
                    <strong dir="auto">“{m.ourText}”</strong>: <ClassificationTag classification={m.classification} />
                    {m.staffClassified ? ' (classified by staff)' : ''} there, same {m.matchedBy.join(' and ')}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type PrecedentGroup = {
  proposalId: number;
  reference: string;
  eventTitle: string;
  chapterName: string;
  partnerName: string;
  decisionOutcome: string | null;
  decisionRationale: string | null;
  items: { ourItemId: number; ourText: string; theirItemId: number; classification: string; staffClassified: boolean; matchedBy: string[] }[];
};

/** The per-item precedent regrouped by the earlier proposal it comes from, in order of first appearance. */
function precedentByProposal(precedent: DossierPageData['agendaPrecedent']): PrecedentGroup[] {
  const groups = new Map<number, PrecedentGroup>();
  for (const ap of precedent) {
    for (const m of ap.matches) {
      let g = groups.get(m.proposal_id);
      if (!g) {
        g = {
          proposalId: m.proposal_id,
          reference: m.reference,
          eventTitle: m.event_title,
          chapterName: m.chapter_name,
          partnerName: m.partner_name,
          decisionOutcome: m.decision_outcome,
          decisionRationale: m.decision_rationale,
          items: [],
        };
        groups.set(m.proposal_id, g);
      }
      g.items.push({ ourItemId: ap.itemId, ourText: ap.text, theirItemId: m.item_id, classification: m.classification, staffClassified: Boolean(m.staff_classified), matchedBy: m.matchedBy });
    }
  }
  return [...groups.values()];
}
