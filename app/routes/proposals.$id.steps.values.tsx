// Step 1: values compatibility. Every criterion of the active rubric, rated with evidence.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { previewValues } from '../../workflows/rules/values';
import { RadioGroup, StepShell, TextArea } from '../features/vetting/proposal-form';
import { OutcomePanel, useStepForm } from '../features/vetting/step-form';
import { previewValuesInput, readValuesTyped, type ValuesTyped } from '../features/vetting/step-typed-values';
import type { StepActionData } from '../features/vetting/step-action.server';
import { valuesStepAction, valuesStepLoader } from '../features/vetting/values-step.server';
import { RequiredNote } from '../components/forms';
import { ServerMarkup } from '../components/server-markup';
import { AttachmentsField } from '../features/attachments/attachments-field';

export const handle = { proposalHeader: true, partnerPrecedent: true };
export const meta: MetaFunction = () => [{ title: 'Values check · Cosponsor' }];

const RATINGS = [
  { value: 'meets', label: 'Meets' },
  { value: 'concern', label: 'Concern' },
  { value: 'not_met', label: 'Does not meet' },
  { value: 'unknown', label: 'Unknown' },
];

export async function loader(args: LoaderFunctionArgs) {
  return valuesStepLoader(args);
}

export async function action(args: ActionFunctionArgs) {
  return valuesStepAction(args);
}

export default function ValuesStep() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as StepActionData<'values'> | undefined;
  const keys = page.criteria.map((c) => c.key);
  const { values, shown, errors, shell } = useStepForm<ValuesTyped>(page, actionData, (data) => readValuesTyped(data, keys));
  const result = previewValues(page.criteria, previewValuesInput(shown));

  return (
    <>
    <StepShell
      title="Step 1 · Values compatibility"
      intro={
        <>
          <p>
            Rate the partner against each criterion of the rubric (version {page.rubricVersion}) and give your evidence. Use “unknown” when
            you could not establish it: staff will see it flagged. A required criterion that is not met makes the partner incompatible.
          </p>
          <RequiredNote />
        </>
      }
      {...shell}
      acceptsFiles
      checkLabel="Check the outcome"
      submitLabel="Submit the values check"
      after={
        <OutcomePanel outcome={result.determined ? result.outcome : 'undetermined'}>
          <p>{result.summary}</p>
        </OutcomePanel>
      }
    >
      {page.criteria.map((c, i) => {
        const v = values.ratings[c.key] ?? { rating: '', evidence: '', links: '', attachments: [] };
        const base = `ratings.${c.key}`;
        return (
          <fieldset key={c.key} className="criterion">
            <legend>
              {i + 1}. {c.label} {c.required ? <span className="tag tag--neutral">Required</span> : null}
            </legend>
            <p className="small muted">{c.description}</p>
            <RadioGroup name={`${base}.rating`} legend={<>Rating<span className="visually-hidden"> for {c.label}</span></>} required options={RATINGS} defaultValue={v.rating} errors={errors} />
            <TextArea name={`${base}.evidence`} limit={5000} label={<>Evidence<span className="visually-hidden"> for {c.label}</span></>} rows={3} defaultValue={v.evidence} errors={errors} hint="What you found, and where." />
            <TextArea name={`${base}.links`} label={<>Links<span className="visually-hidden"> for {c.label}</span></>} rows={2} defaultValue={v.links} errors={errors} hint="One per line, starting with https://" />
            <AttachmentsField base={base} of={<>for {c.label}</>} proposalId={page.proposalId} attachments={v.attachments} errors={errors} editable={page.editable} limitLabel={page.uploadLimit} />
          </fieldset>
        );
      })}
    </StepShell>
      {page.partnerAnswers ? <ServerMarkup html={page.partnerAnswers} /> : null}
    </>
  );
}
