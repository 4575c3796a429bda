// The dossier's vetting steps as recorded: values, risk, perception and the MOU.
import { Tag } from '../../../components/forms';
import { HeatMap, kindOrdinals } from '../../../components/heat-map';
import { bandWords } from '../../../../workflows/rules/risk-bands';
import type { BandName } from '../../../../workflows/types';
import { MouDiff } from '../../mou/mou-diff';
import { outcomeLabel, outcomeTone } from '../../../utils/labels';
import { RATING, ANSWER, type DossierData } from './parts';
import { AttachmentList } from '../../attachments/attachment-list';

/** Step 1 as recorded: each criterion, its rating and evidence. */
export function ValuesSection({ dossier }: { dossier: DossierData }) {
  return (
    <section className="panel" id="step-values" aria-labelledby="values-heading">
      <h2 id="values-heading">1. Values compatibility</h2>
      {dossier.values ? (
        <>
          <p>
            <Tag tone={outcomeTone(dossier.values.outcome)}>{outcomeLabel(dossier.values.outcome)}</Tag> {dossier.values.result.summary}{' '}
            <span className="small muted">(record #{dossier.values.seq})</span>
          </p>
          <div className="table-wrap">
            <table className="data data--stack">
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
                    <td data-label="Rating">
                      <Tag tone={RATING[r.rating]?.tone ?? 'neutral'}>{RATING[r.rating]?.text ?? r.rating}</Tag>
                    </td>
                    <td className="cell--wide" data-label="Evidence">
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
                      <AttachmentList proposalId={dossier.view.proposal.id} attachments={r.attachments} />
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
  );
}

/** Step 3 as recorded: the register and the heat map. */
export function RiskSection({ dossier }: { dossier: DossierData }) {
  const { view } = dossier;
  const ordinals = kindOrdinals(view.riskItems);
  return (
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
            <table className="data data--stack">
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
                    <td data-label="#">
                      {r.kind === 'risk' ? 'R' : 'B'}
                      {ordinals[i]}
                    </td>
                    <td className="cell--wide" data-label="Item">
                      <strong>
                        {r.kind === 'risk' ? 'Risk' : 'Benefit'} {ordinals[i]}
                      </strong>{' '}
                      ({r.category.replace(/_/g, ' ')}): {r.description}
                      <AttachmentList proposalId={view.proposal.id} attachments={dossier.risk?.files.find((f) => f.index === i)?.attachments} />
                    </td>
                    <td data-label="Score">
                      {r.likelihood} × {r.impact} = {r.score} ({bandWords(r.kind, r.band as BandName)})
                    </td>
                    <td className="cell--wide" data-label="Mitigation and residual">
                      {r.kind === 'risk' ? (
                        <>
                          {r.mitigation}
                          <div className="small">
                            Residual {r.residualLikelihood} × {r.residualImpact} = {r.residualScore}{' '}
                            {r.residualBand === 'critical' ? <Tag tone="bad">critical risk</Tag> : `(${bandWords('risk', r.residualBand as BandName)})`}
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
  );
}

/** The checklist's labels are questions: a question is followed by a space, anything else by a colon. */
const afterLabel = (label: string) => (label.trimEnd().endsWith('?') ? ' ' : ': ');

/** Step 4 as recorded, or why it was not needed. */
export function PerceptionSection({ dossier }: { dossier: DossierData }) {
  const { view } = dossier;
  const p = view.proposal;
  return (
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
                    <strong>{c.label}</strong>
                    {afterLabel(c.label)}
                    {c.clause}
                  </li>
                ))}
              </ol>
            </div>
          ) : null}
          <ul className="small" style={{ paddingLeft: '1.1rem' }}>
            {dossier.perception.answers.map((a) => (
              <li key={a.key}>
                {a.label}
                {afterLabel(a.label)}
                <Tag tone={ANSWER[a.answer]?.tone ?? 'warn'}>{ANSWER[a.answer]?.text ?? a.answer}</Tag>
                {a.note ? ` ${a.note}` : ''}
                <AttachmentList proposalId={p.id} attachments={a.attachments} />
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
  );
}

/** Step 5: the MOU as saved, and what changed. */
export function MouSection({ dossier }: { dossier: DossierData }) {
  return (
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
              {dossier.mou.diff ? <MouDiff diff={dossier.mou.diff} headingLevel={4} /> : null}
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
  );
}
