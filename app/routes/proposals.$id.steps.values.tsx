// Step 1: values compatibility. Every criterion of the active rubric, rated with evidence.
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { evaluateValues } from '../../workflows/rules/values';
import { Tag } from '../components/forms';
import { RadioGroup, StepShell, TextArea } from '../components/proposal-form';
import { formToObject, previewValuesInput, readValuesTyped, type ValuesTyped } from '../forms/steps';
import { valuesFormSchema, valuesInputOf } from '../forms/steps.server';
import { activeConfig } from '../../db/config';
import { stepAction, stepPage, type StepActionData } from '../services/proposals.server';
import { STALE_NOTE } from '../forms/steps';
import { actingUser, requireProposal } from '../utils/auth.server';
import { outcomeLabel, outcomeTone } from '../utils/labels';

export const handle = { proposalHeader: true };
export const meta: MetaFunction = () => [{ title: 'Values check · Cosponsor' }];

const RATINGS = [
  { value: 'meets', label: 'Meets' },
  { value: 'concern', label: 'Concern' },
  { value: 'not_met', label: 'Does not meet' },
  { value: 'unknown', label: 'Unknown' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id);
  const { docs, versions } = activeConfig();
  return json({ ...stepPage(actingUser(user), proposal, 'values'), criteria: docs.values_criteria.criteria, rubricVersion: versions.values_criteria });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.edit');
  const formData = await request.formData();
  const schema = valuesFormSchema(activeConfig().docs.values_criteria.criteria);
  const submission = parseWithZod(formData, { schema });
  return stepAction({ request, user: actingUser(user), proposal, step: 'values', formData, submission, inputOf: valuesInputOf });
}

export default function ValuesStep() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as StepActionData<'values'> | undefined;
  const navigation = useNavigation();
  const values: ValuesTyped = actionData?.values ?? page.initial.values;
  const [live, setLive] = useState<{ nonce: unknown; values: ValuesTyped } | null>(null);
  const nonce = actionData?.nonce ?? page.initial.savedAt ?? 'initial';
  const shown = live && live.nonce === nonce ? live.values : values;
  const keys = page.criteria.map((c) => c.key);
  const result = evaluateValues(page.criteria, previewValuesInput(shown));
  const errors = actionData?.errors;

  return (
    <StepShell
      title="Step 1 · Values compatibility"
      intro={
        <p>
          Rate the partner against each criterion of the rubric (version {page.rubricVersion}) and give your evidence. Use “unknown” when
          you could not establish it: staff will see it flagged. A required criterion that is not met makes the partner incompatible.
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
      onChange={(form) => setLive({ nonce, values: readValuesTyped(formToObject(form), keys) })}
      checkLabel="Check the outcome"
      submitLabel="Submit the values check"
      busy={navigation.state === 'submitting'}
      after={
        <section className="outcome-panel" id="outcome" tabIndex={-1} aria-live="polite" aria-labelledby="outcome-title">
          <h3 id="outcome-title">Outcome as it will be recorded</h3>
          <p>
            <Tag tone={outcomeTone(result.outcome)}>{outcomeLabel(result.outcome)}</Tag>
          </p>
          <p>{result.summary}</p>
        </section>
      }
    >
      {page.criteria.map((c, i) => {
        const v = values.ratings[c.key] ?? { rating: '', evidence: '', links: '' };
        const base = `ratings.${c.key}`;
        return (
          <fieldset key={c.key} className="criterion">
            <legend>
              {i + 1}. {c.label} {c.required ? <span className="tag tag--neutral">Required</span> : null}
            </legend>
            <p className="small muted">{c.description}</p>
            <RadioGroup name={`${base}.rating`} legend={<>Rating<span className="visually-hidden"> for {c.label}</span></>} required options={RATINGS} defaultValue={v.rating} errors={errors} />
            <TextArea name={`${base}.evidence`} label={<>Evidence<span className="visually-hidden"> for {c.label}</span></>} rows={3} defaultValue={v.evidence} errors={errors} hint="What you found, and where." />
            <TextArea name={`${base}.links`} label={<>Links<span className="visually-hidden"> for {c.label}</span></>} rows={2} defaultValue={v.links} errors={errors} hint="One per line, starting with https://" />
          </fieldset>
        );
      })}
    </StepShell>
  );
}
