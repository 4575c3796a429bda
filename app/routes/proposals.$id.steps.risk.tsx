// Step 3: risk scoring. A register of risks and benefits, likelihood x impact, with
// mitigations and residual values; a live heat map and the outcome's arithmetic.
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
// Only the pure risk rules reach the browser (no zod, no workflow machine).
import { evaluateRisk } from '../../workflows/rules/risk';
import { activeConfig } from '../../db/config';
import { Tag } from '../components/forms';
import { HeatMap } from '../components/heat-map';
import { SelectField, StepShell, TextArea } from '../components/proposal-form';
import { emptyRiskItem, formToObject, previewRiskInput, readRiskTyped, type RiskTyped } from '../forms/steps';
import { riskFormSchema, riskInputOf } from '../forms/steps.server';
import { stepAction, stepPage, type StepActionData } from '../services/proposals.server';
import { STALE_NOTE } from '../forms/steps';
import { actingUser, requireProposal } from '../utils/auth.server';
import { outcomeLabel, outcomeTone } from '../utils/labels';

export const handle = { proposalHeader: true };
export const meta: MetaFunction = () => [{ title: 'Risk scoring · Cosponsor' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id);
  const { docs, versions } = activeConfig();
  return json({ ...stepPage(actingUser(user), proposal, 'risk'), matrix: docs.risk_matrix, matrixVersion: versions.risk_matrix });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.edit');
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: riskFormSchema });
  return stepAction({
    request,
    user: actingUser(user),
    proposal,
    step: 'risk',
    formData,
    submission,
    inputOf: riskInputOf,
    editRows: (values, intent) => {
      if (intent === 'add-risk' || intent === 'add-benefit') {
        const kind = intent === 'add-risk' ? 'risk' : 'benefit';
        const items = [...values.items, emptyRiskItem(kind)];
        return { values: { items }, notice: `A ${kind} was added (item ${items.length}).`, focus: `f-items-${items.length - 1}-category` };
      }
      const m = /^remove-item-(\d+)$/.exec(intent);
      if (m) {
        const n = Number(m[1]);
        return { values: { items: values.items.filter((_, i) => i !== n) }, notice: `Item ${n + 1} removed.`, focus: 'add-risk' };
      }
      return null;
    },
  });
}

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');

export default function RiskStep() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as StepActionData<'risk'> | undefined;
  const navigation = useNavigation();
  const values: RiskTyped = actionData?.values ?? page.initial.values;
  const nonce = actionData?.nonce ?? page.initial.savedAt ?? 'initial';
  const [live, setLive] = useState<{ nonce: unknown; values: RiskTyped } | null>(null);
  const shown = live && live.nonce === nonce ? live.values : values;
  const errors = actionData?.errors;
  const m = page.matrix;
  const input = previewRiskInput(shown);
  const result = evaluateRisk(input.items, m);
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
        <p>
          Weigh the benefits against the risks, each by how likely it is and how great its impact would be (score = likelihood ×
          impact, 1–25; matrix version {page.matrixVersion}). Give every risk a mitigation and its likelihood and impact after
          mitigation. At least one risk and one benefit.
        </p>
      }
      editable={page.editable}
      readOnlyReason="This step is read-only here: it is not the proposal’s current step, or you cannot edit this proposal."
      version={page.version}
      source={page.initial.source}
      savedAt={page.initial.savedAt}
      notice={actionData?.notice}
      stale={actionData?.stale}
      staleNote={STALE_NOTE}
      formError={actionData?.formError}
      errors={errors}
      nonce={nonce}
      focus={actionData?.focus}
      onChange={(form) => setLive({ nonce, values: readRiskTyped(formToObject(form)) })}
      checkLabel="Update the outcome"
      submitLabel="Submit the risk assessment"
      busy={navigation.state === 'submitting'}
      after={
        <section className="outcome-panel" id="outcome" tabIndex={-1} aria-live="polite" aria-labelledby="outcome-title">
          <h3 id="outcome-title">Outcome as it will be recorded</h3>
          <p>
            <Tag tone={outcomeTone(result.outcome)}>{outcomeLabel(result.outcome)}</Tag>
          </p>
          <p className="arithmetic" data-testid="risk-arithmetic">
            {result.arithmetic}
          </p>
          {listProblems.length > 0 ? (
            <ul className="small muted">
              {listProblems.map((p) => (
                <li key={p.message}>{p.message}</li>
              ))}
            </ul>
          ) : null}
          <HeatMap items={heat} likelihoodLabels={m.likelihoodLabels} impactLabels={m.impactLabels} bands={m.bands} />
        </section>
      }
    >
      {errors?.items ? (
        <p className="field-error" id="f-items-error">
          {errors.items.join(' ')}
        </p>
      ) : null}
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
                    {i + 1}
                  </span>{' '}
                  {kindWord} {ordinal} <span className="muted small">(item {i + 1} on the heat map)</span>
                </legend>
                <input type="hidden" name={`${base}.kind`} value={risk ? 'risk' : 'benefit'} />
                <div className="grid-3">
                  <SelectField name={`${base}.category`} label={<>Category<span className="visually-hidden"> of item {i + 1}</span></>} required options={categories} defaultValue={item.category} errors={errors} />
                  <SelectField name={`${base}.likelihood`} label={<>Likelihood<span className="visually-hidden"> of item {i + 1}</span></>} required options={scale(m.likelihoodLabels)} defaultValue={item.likelihood} errors={errors} />
                  <SelectField name={`${base}.impact`} label={<>Impact<span className="visually-hidden"> of item {i + 1}</span></>} required options={scale(m.impactLabels)} defaultValue={item.impact} errors={errors} />
                </div>
                <TextArea name={`${base}.description`} label={<>Description<span className="visually-hidden"> of item {i + 1}</span></>} required rows={2} defaultValue={item.description} errors={errors} />
                {risk ? (
                  <>
                    <TextArea name={`${base}.mitigation`} label={<>Mitigation<span className="visually-hidden"> of item {i + 1}</span></>} required rows={2} defaultValue={item.mitigation} errors={errors} />
                    <div className="grid-3">
                      <SelectField name={`${base}.residualLikelihood`} label={<>Likelihood after mitigation<span className="visually-hidden"> (item {i + 1})</span></>} required options={scale(m.likelihoodLabels)} defaultValue={item.residualLikelihood} errors={errors} />
                      <SelectField name={`${base}.residualImpact`} label={<>Impact after mitigation<span className="visually-hidden"> (item {i + 1})</span></>} required options={scale(m.impactLabels)} defaultValue={item.residualImpact} errors={errors} />
                    </div>
                  </>
                ) : null}
                <p className="small score-line" aria-live="off">
                  {scored && scored.score > 0 ? (
                    <>
                      Score {scored.likelihood} × {scored.impact} = <strong>{scored.score}</strong> ({scored.band})
                      {risk && scored.residualScore != null ? (
                        <>
                          {' '}
                          · after mitigation <strong>{scored.residualScore}</strong> ({scored.residualBand})
                        </>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">Choose a likelihood and an impact to see the score.</span>
                  )}
                </p>
                {page.editable ? (
                  <button type="submit" name="intent" value={`remove-item-${i}`} className="button button--secondary button--small">
                    Remove item {i + 1}
                  </button>
                ) : null}
              </fieldset>
            </li>
          );
        })}
      </ol>
      {page.editable ? (
        <div className="row">
          <button type="submit" name="intent" value="add-risk" id="add-risk" className="button button--secondary">
            <span aria-hidden="true">+ </span>Add a risk
          </button>
          <button type="submit" name="intent" value="add-benefit" className="button button--secondary">
            <span aria-hidden="true">+ </span>Add a benefit
          </button>
        </div>
      ) : null}
    </StepShell>
  );
}
