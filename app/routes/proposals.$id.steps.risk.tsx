// Step 3: risk scoring. A register of risks and benefits, likelihood x impact, with
// mitigations and residual values; a live heat map and the outcome's arithmetic.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
// Only the pure risk rules reach the browser (no zod, no workflow machine).
import { bandWords, previewRisk } from '../../workflows/rules/risk';
import { HeatMap } from '../components/heat-map';
import { SelectField, StepShell, TextArea } from '../features/vetting/proposal-form';
import { insertRowButton, ItemsError, OutcomePanel, RemoveItemButton, useStepForm } from '../features/vetting/step-form';
import { emptyRiskItem, previewRiskInput, readRiskTyped, type RiskTyped } from '../features/vetting/step-typed-risk';
import type { StepActionData } from '../features/vetting/step-action.server';
import { riskStepAction, riskStepLoader } from '../features/vetting/risk-step.server';
import { RequiredNote } from '../components/forms';
import { ServerMarkup } from '../components/server-markup';

export const handle = { proposalHeader: true };
export const meta: MetaFunction = () => [{ title: 'Risk scoring · Cosponsor' }];

export async function loader(args: LoaderFunctionArgs) {
  return riskStepLoader(args);
}

export async function action(args: ActionFunctionArgs) {
  return riskStepAction(args);
}

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');

export default function RiskStep() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as (StepActionData<'risk'> & { files?: string[] }) | undefined;
  const { values, shown, errors, shell } = useStepForm<RiskTyped>(page, actionData, (data) => readRiskTyped(data));
  const m = page.matrix;
  // The items' file fields, rendered by the server for the values shown (an answer without values keeps the loaded ones).
  const files = actionData?.values ? (actionData.files ?? []) : page.files;
  const input = previewRiskInput(shown);
  const result = previewRisk(input.items, m);
  const scale = (labels: readonly string[]) => labels.map((l, i) => ({ value: String(i + 1), label: `${i + 1} · ${l}` }));
  const categories = m.categories.map((c) => ({ value: c, label: title(c) }));
  const heat = input.items
    .map((it, i) => ({ it, i }))
    .filter(({ it }) => Number.isInteger(it.likelihood) && Number.isInteger(it.impact))
    .map(({ it, i }) => ({
      label: it.description || `${it.kind} ${i + 1}`,
      kind: it.kind,
      likelihood: it.likelihood,
      impact: it.impact,
      residualLikelihood: it.residualLikelihood != null && Number.isInteger(it.residualLikelihood) ? it.residualLikelihood : null,
      residualImpact: it.residualImpact != null && Number.isInteger(it.residualImpact) ? it.residualImpact : null,
    }));
  const listProblems = result.problems.filter((p) => p.index === null);

  return (
    <StepShell
      title="Step 3 · Risk scoring"
      intro={
        <>
          <p>
            Weigh the benefits against the risks, each by how likely it is and how great its impact would be (score = likelihood ×
            impact, 1–25; matrix version {page.matrixVersion}). Give every risk a mitigation and its likelihood and impact after
            mitigation. At least one risk and one benefit.
          </p>
          <RequiredNote />
        </>
      }
      {...shell}
      acceptsFiles
      checkLabel="Update the outcome"
      submitLabel="Submit the risk assessment"
      after={
        <OutcomePanel outcome={result.determined ? result.outcome : 'undetermined'}>
          <p className="arithmetic" data-testid="risk-arithmetic">
            {result.summary}
          </p>
          <p className="small muted" data-testid="risk-rule">
            The sum of the benefits is weighed against the sum of the risks after mitigation. When the two sums differ by no more than{' '}
            {m.closeMarginPercent}% of the larger one, they are too close to call: staff must then accept the risk, as they must for any
            risk still critical after mitigation.
          </p>
          {listProblems.length > 0 ? (
            <ul className="small muted">
              {listProblems.map((p) => (
                <li key={p.message}>{p.message}</li>
              ))}
            </ul>
          ) : null}
          <HeatMap items={heat} likelihoodLabels={m.likelihoodLabels} impactLabels={m.impactLabels} bands={m.bands} />
        </OutcomePanel>
      }
    >
      <ItemsError errors={errors} />
      <ol className="item-rows">
        {values.items.map((item, i) => {
          const base = `items[${i}]`;
          const risk = item.kind !== 'benefit';
          const kindWord = risk ? 'Risk' : 'Benefit';
          const scored = result.items[i];
          const ordinal = values.items.slice(0, i + 1).filter((x) => (x.kind !== 'benefit') === risk).length;
          return (
            // id: the anchor an MOU mitigation clause links to (its 0-based place in the register).
            <li key={i} id={`item-${i}`} className={`item-row risk-row risk-row--${risk ? 'risk' : 'benefit'}`}>
              <fieldset className="bare">
                <legend className="item-row__legend">
                  <span className={`dot dot--${risk ? 'risk' : 'benefit'}`} aria-hidden="true">
                    {risk ? 'R' : 'B'}
                    {ordinal}
                  </span>{' '}
                  {kindWord} {ordinal} <span className="muted small">({risk ? 'R' : 'B'}{ordinal} on the heat map)</span>
                </legend>
                <input type="hidden" name={`${base}.kind`} value={risk ? 'risk' : 'benefit'} />
                <div className="grid-3">
                  <SelectField name={`${base}.category`} label={<>Category<span className="visually-hidden"> of item {i + 1}</span></>} required options={categories} defaultValue={item.category} errors={errors} />
                  <SelectField name={`${base}.likelihood`} label={<>Likelihood<span className="visually-hidden"> of item {i + 1}</span></>} required options={scale(m.likelihoodLabels)} defaultValue={item.likelihood} errors={errors} />
                  <SelectField name={`${base}.impact`} label={<>Impact<span className="visually-hidden"> of item {i + 1}</span></>} required options={scale(m.impactLabels)} defaultValue={item.impact} errors={errors} />
                </div>
                <TextArea name={`${base}.description`} limit={1000} label={<>Description<span className="visually-hidden"> of item {i + 1}</span></>} required rows={2} defaultValue={item.description} errors={errors} />
                {risk ? (
                  <>
                    <TextArea name={`${base}.mitigation`} limit={2000} label={<>Mitigation<span className="visually-hidden"> of item {i + 1}</span></>} required rows={2} defaultValue={item.mitigation} errors={errors} />
                    <div className="grid-3">
                      <SelectField name={`${base}.residualLikelihood`} label={<>Likelihood after mitigation<span className="visually-hidden"> (item {i + 1})</span></>} required options={scale(m.likelihoodLabels)} defaultValue={item.residualLikelihood} errors={errors} />
                      <SelectField name={`${base}.residualImpact`} label={<>Impact after mitigation<span className="visually-hidden"> (item {i + 1})</span></>} required options={scale(m.impactLabels)} defaultValue={item.residualImpact} errors={errors} />
                    </div>
                  </>
                ) : null}
                <p className="small score-line" aria-live="off">
                  {scored && scored.score > 0 ? (
                    <>
                      Score {scored.likelihood} × {scored.impact} = <strong>{scored.score}</strong> ({bandWords(risk ? 'risk' : 'benefit', scored.band)})
                      {risk && scored.residualScore != null ? (
                        <>
                          {' '}
                          · after mitigation <strong>{scored.residualScore}</strong> ({scored.residualBand ? bandWords('risk', scored.residualBand) : ''})
                        </>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">Choose a likelihood and an impact to see the score.</span>
                  )}
                </p>
                <ServerMarkup html={files[i] ?? ''} />
                <RemoveItemButton editable={page.editable} index={i} />
              </fieldset>
            </li>
          );
        })}
      </ol>
      {page.editable ? (
        <div className="row">
          <button {...insertRowButton(emptyRiskItem('risk'))} id="add-risk" className="button button--secondary">
            <span aria-hidden="true">+ </span>Add a risk
          </button>
          <button {...insertRowButton(emptyRiskItem('benefit'))} className="button button--secondary">
            <span aria-hidden="true">+ </span>Add a benefit
          </button>
        </div>
      ) : null}
    </StepShell>
  );
}
