// What the four rated step pages (values, agenda, risk, perception) share around
// their own fields: the draft/answer/live-preview state that feeds StepShell, and
// the head of the outcome panel. The action side is stepFormAction in step-action.server.ts.
import { useForm } from '@conform-to/react';
import { useNavigation } from '@remix-run/react';
import type { ReactNode } from 'react';
import { Tag } from '../../components/forms';
import { STALE_NOTE } from './step-forms';
// A type only: erased from the browser bundle.
import type { StepActionData } from './step-action.server';
import { outcomeLabel, outcomeTone } from '../../utils/labels';

const READ_ONLY_REASON = 'This step is read-only here: it is not the proposal’s current step, or you cannot edit this proposal.';

/** The part of stepPage() (proposals.server.ts) the form needs, as the loader sends it. */
type StepPageData<V> = {
  version: number;
  editable: boolean;
  initial: { source: 'draft' | 'submission' | 'empty'; savedAt: string | null; values: V };
};

/** The action's answer to a save, a row edit or a refused submit. */
type StepReply<V> = Omit<StepActionData, 'values'> & { values: V };

/** The id of the step form, which conform follows. */
const STEP_FORM_ID = 'step-form';

/**
 * The values to render (the action's answer, else the loaded draft or submission), the
 * values to preview (conform's live value of the form: what is typed since, read back
 * into the step's text shape) and the StepShell props that follow from them.
 */
export function useStepForm<V>(page: StepPageData<V>, actionData: StepReply<V> | undefined, read: (data: Record<string, unknown>) => V) {
  const navigation = useNavigation();
  const values: V = actionData?.values ?? page.initial.values;
  const nonce = actionData?.nonce ?? page.initial.savedAt ?? 'initial';
  // The server validates (the schemas stay server-side); each answer's lastResult
  // resets conform's value to what was sent, as the re-mounted form shows it.
  const [form] = useForm({
    id: STEP_FORM_ID,
    // The text shape of the step (strings, nested): conform's own.
    defaultValue: values as Record<string, string>,
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
  });
  const shown = form.value ? read(form.value) : values;
  const errors = actionData?.errors;
  const shell = {
    formId: form.id,
    editable: page.editable,
    readOnlyReason: READ_ONLY_REASON,
    version: page.version,
    source: page.initial.source,
    savedAt: page.initial.savedAt,
    notice: actionData?.notice,
    stale: actionData?.stale,
    staleNote: STALE_NOTE,
    formError: actionData?.formError,
    errors,
    nonce,
    focus: actionData?.focus,
    busy: navigation.state === 'submitting',
  };
  return { values, shown, errors, shell };
}

/** The live outcome panel: its heading and outcome tag, then what the step adds. */
export function OutcomePanel({ outcome, children }: { outcome: string; children?: ReactNode }) {
  return (
    <section className="outcome-panel" id="outcome" tabIndex={-1} aria-live="polite" aria-labelledby="outcome-title">
      <h3 id="outcome-title">Outcome as it will be recorded</h3>
      <p>
        <Tag tone={outcomeTone(outcome)}>{outcomeLabel(outcome)}</Tag>
      </p>
      {children}
    </section>
  );
}

// conform's list intents, sent by plain submit buttons so rows are added and removed
// without JavaScript; parseWithZod applies them to the submitted rows on the server.
const INTENT_FIELD = '__intent__';

/** The props of a button that appends `defaultValue` as a new row. */
export function insertRowButton(defaultValue: Record<string, unknown>) {
  return { type: 'submit' as const, name: INTENT_FIELD, value: JSON.stringify({ type: 'insert', payload: { name: 'items', defaultValue } }) };
}

/** A row's own "remove" button, on an editable step. */
export function RemoveItemButton({ editable, index }: { editable: boolean; index: number }) {
  if (!editable) return null;
  return (
    <button
      type="submit"
      name={INTENT_FIELD}
      value={JSON.stringify({ type: 'remove', payload: { name: 'items', index } })}
      className="button button--secondary button--small"
    >
      Remove item {index + 1}
    </button>
  );
}

/** The error about the list of rows as a whole (at least one row, at least one risk…). */
export function ItemsError({ errors }: { errors: Record<string, string[]> | undefined }) {
  if (!errors?.items) return null;
  return (
    <p className="field-error" id="f-items-error">
      {errors.items.join(' ')}
    </p>
  );
}
