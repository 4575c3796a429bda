// Step 4: BDS-perception review, only when the agenda mapping or the partner profile calls for it.
// Each checklist item is met, made a condition (it becomes an MOU clause) or cannot be met.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { previewPerception } from '../../workflows/rules/perception';
import { RadioGroup, StepShell, TextArea } from '../features/vetting/proposal-form';
import { OutcomePanel, useStepForm } from '../features/vetting/step-form';
import { previewPerceptionInput, readPerceptionTyped, type PerceptionTyped } from '../features/vetting/step-typed-perception';
import type { StepActionData } from '../features/vetting/step-action.server';
import { perceptionStepAction, perceptionStepLoader } from '../features/vetting/perception-step.server';
import { RequiredNote } from '../components/forms';
import { isAtPerceptionStep } from '../../workflows/policy';
import { ServerMarkup } from '../components/server-markup';
import { AttachmentsField } from '../features/attachments/attachments-field';

export const handle = { proposalHeader: true };
export const meta: MetaFunction = () => [{ title: 'Perception review · Cosponsor' }];

const ANSWERS = [
  { value: 'met', label: 'Met' },
  { value: 'condition', label: 'Will be a condition' },
  { value: 'cannot_meet', label: 'Cannot be met' },
];

export async function loader(args: LoaderFunctionArgs) {
  return perceptionStepLoader(args);
}

export async function action(args: ActionFunctionArgs) {
  return perceptionStepAction(args);
}

export default function PerceptionStep() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as StepActionData<'perception'> | undefined;
  const keys = page.checklist.items.map((i) => i.key);
  const { values, shown, errors, shell } = useStepForm<PerceptionTyped>(page, actionData, (data) => readPerceptionTyped(data, keys));

  if (!page.required && !isAtPerceptionStep(page.state)) {
    return (
      <>
      <section className="panel step-page" aria-labelledby="step-title">
        <h2 id="step-title">Step 4 · BDS-perception review</h2>
        {/* A reply to the form another tab still showed: its reason would be lost with the form. */}
        {actionData?.formError ? (
          <p className="alert alert--bad" role="alert">
            {actionData.formError}
          </p>
        ) : null}
        <p className="alert alert--info not-applicable">
          <strong>Not applicable{page.agendaDone ? '' : ' so far'}.</strong> {page.notRequiredRule}.
        </p>
        <p className="muted small">
          The review is required when an agenda item maps to a position tied to a perception-sensitive movement on which the
          organization takes no position (BDS), or when the partner publicly supports that movement.
        </p>
        <Link to={`/proposals/${page.proposalId}`}>Back to the proposal</Link>
      </section>
      {page.partnerAnswers ? <ServerMarkup html={page.partnerAnswers} /> : null}
      </>
    );
  }

  const result = previewPerception(page.checklist, previewPerceptionInput(shown));

  return (
    <>
    <StepShell
      title="Step 4 · BDS-perception review"
      intro={
        <>
          <p>
            The organization takes no position on BDS. Make sure the event does not create the perception that it is involved in the
            BDS movement (checklist version {page.checklistVersion}). Each item answered “will be a condition” becomes a clause of the
            MOU.
          </p>
          {page.reasons.length > 0 ? (
            <div className="small">
              <strong>Why this review is required:</strong>
              <ul>
                {page.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <RequiredNote />
        </>
      }
      {...shell}
      acceptsFiles
      checkLabel="Check the outcome"
      submitLabel="Submit the perception review"
      after={
        <OutcomePanel outcome={result.determined ? result.outcome : 'undetermined'}>
          <p>{result.summary}</p>
          <h4>Conditions for the MOU</h4>
          {result.conditions.length === 0 ? (
            <p className="muted small">None.</p>
          ) : (
            <ol className="conditions">
              {result.conditions.map((c) => (
                <li key={c.itemKey}>{c.clause}</li>
              ))}
            </ol>
          )}
        </OutcomePanel>
      }
    >
      {page.checklist.items.map((item, i) => {
        const v = values.answers[item.key] ?? { answer: '', note: '', attachments: [] };
        const base = `answers.${item.key}`;
        return (
          // The id is the anchor an MOU clause's provenance link points to.
          <fieldset key={item.key} id={`item-${item.key}`} className="criterion">
            <legend>
              {i + 1}. {item.label}
            </legend>
            <RadioGroup
              name={`${base}.answer`}
              legend={<>Answer<span className="visually-hidden"> for item {i + 1}</span></>}
              required
              options={ANSWERS}
              defaultValue={v.answer}
              errors={errors}
            />
            <p className="small muted">If made a condition: “{item.condition}”</p>
            <TextArea name={`${base}.note`} limit={2000} label={<>Note<span className="visually-hidden"> for item {i + 1}</span></>} rows={2} defaultValue={v.note} errors={errors} />
            <AttachmentsField base={base} of={<>for item {i + 1}</>} proposalId={page.proposalId} attachments={v.attachments} errors={errors} editable={page.editable} limitLabel={page.uploadLimit} />
          </fieldset>
        );
      })}
    </StepShell>
      {page.partnerAnswers ? <ServerMarkup html={page.partnerAnswers} /> : null}
    </>
  );
}
