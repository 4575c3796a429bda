// Step 4: BDS-perception review, only when the agenda mapping or the partner profile calls for it.
// Each checklist item is met, made a condition (it becomes an MOU clause) or cannot be met.
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { evaluatePerception } from '../../workflows/rules/perception';
import { SKIP_RULES, type PersistedVetting } from '../../workflows/machine';
import { activeConfig } from '../../db/config';
import { Tag } from '../components/forms';
import { RadioGroup, StepShell, TextArea } from '../components/proposal-form';
import { formToObject, previewPerceptionInput, readPerceptionTyped, type PerceptionTyped } from '../forms/steps';
import { perceptionFormSchema, perceptionInputOf } from '../forms/steps.server';
import { stepAction, stepPage, type StepActionData } from '../services/proposals.server';
import { STALE_NOTE } from '../forms/steps';
import { actingUser, requireProposal } from '../utils/auth.server';
import { outcomeLabel, outcomeTone } from '../utils/labels';

export const handle = { proposalHeader: true };
export const meta: MetaFunction = () => [{ title: 'Perception review · Cosponsor' }];

const ANSWERS = [
  { value: 'met', label: 'Met' },
  { value: 'condition', label: 'Will be a condition' },
  { value: 'cannot_meet', label: 'Cannot be met' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id);
  const { docs, versions } = activeConfig();
  const context = (JSON.parse(proposal.workflow) as PersistedVetting).context;
  return json({
    ...stepPage(actingUser(user), proposal, 'perception'),
    checklist: docs.perception_checklist,
    checklistVersion: versions.perception_checklist,
    required: context.perceptionRequired,
    reasons: context.perceptionReasons,
    notRequiredRule: SKIP_RULES.perceptionNotRequired,
    agendaDone: !['draft', 'values', 'agenda'].includes(proposal.state),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.edit');
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: perceptionFormSchema(activeConfig().docs.perception_checklist) });
  return stepAction({ request, user: actingUser(user), proposal, step: 'perception', formData, submission, inputOf: perceptionInputOf });
}

export default function PerceptionStep() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as StepActionData<'perception'> | undefined;
  const navigation = useNavigation();
  const values: PerceptionTyped = actionData?.values ?? page.initial.values;
  const nonce = actionData?.nonce ?? page.initial.savedAt ?? 'initial';
  const [live, setLive] = useState<{ nonce: unknown; values: PerceptionTyped } | null>(null);
  const shown = live && live.nonce === nonce ? live.values : values;
  const errors = actionData?.errors;
  const keys = page.checklist.items.map((i) => i.key);

  if (!page.required && page.state !== 'perception') {
    return (
      <section className="panel step-page" aria-labelledby="step-title">
        <h2 id="step-title">Step 4 · BDS-perception review</h2>
        <p className="alert alert--info not-applicable">
          <strong>Not applicable{page.agendaDone ? '' : ' so far'}.</strong> {page.notRequiredRule}.
        </p>
        <p className="muted small">
          The review is required when an agenda item maps to a position tied to a perception-sensitive movement on which the
          organization takes no position (BDS), or when the partner publicly supports that movement.
        </p>
        <Link to={`/proposals/${page.proposalId}`}>Back to the proposal</Link>
      </section>
    );
  }

  const result = evaluatePerception(page.checklist, previewPerceptionInput(shown));

  return (
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
        </>
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
      onChange={(form) => setLive({ nonce, values: readPerceptionTyped(formToObject(form), keys) })}
      checkLabel="Check the outcome"
      submitLabel="Submit the perception review"
      busy={navigation.state === 'submitting'}
      after={
        <section className="outcome-panel" id="outcome" tabIndex={-1} aria-live="polite" aria-labelledby="outcome-title">
          <h3 id="outcome-title">Outcome as it will be recorded</h3>
          <p>
            <Tag tone={outcomeTone(result.outcome)}>{outcomeLabel(result.outcome)}</Tag>
          </p>
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
        </section>
      }
    >
      {page.checklist.items.map((item, i) => {
        const v = values.answers[item.key] ?? { answer: '', note: '' };
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
            <TextArea name={`${base}.note`} label={<>Note<span className="visually-hidden"> for item {i + 1}</span></>} rows={2} defaultValue={v.note} errors={errors} />
          </fieldset>
        );
      })}
    </StepShell>
  );
}
