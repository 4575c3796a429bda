// What the four rated step pages (values, agenda, risk, perception) share around
// their own fields: the draft/answer/live-preview state that feeds StepShell, and
// the head of the outcome panel. The action side is stepFormAction in step-action.server.ts.
import { useNavigation } from '@remix-run/react';
import { useEffect, useState, type ReactNode } from 'react';
import { Tag } from '../../components/forms';
import { STALE_NOTE } from './proposal-form';
// A type only: erased from the browser bundle.
import type { StepActionData } from './step-action.server';
import { outcomeLabel, outcomeTone } from '../../utils/labels';

/** The part of stepPage() (proposals.server.ts) the form needs, as the loader sends it. */
type StepPageData<V> = {
  version: number;
  editable: boolean;
  /** Why the step cannot be changed now, when it cannot. */
  readOnlyReason: string | null;
  initial: { source: 'draft' | 'submission' | 'empty'; savedAt: string | null; values: V };
};

/** The action's answer to a save, a row edit or a refused submit. */
type StepReply<V> = Omit<StepActionData, 'values'> & { values: V };

/** The id of the step form, whose typed values the live preview follows. */
const STEP_FORM_ID = 'step-form';

/**
 * The values to render (the action's answer, else the loaded draft or submission), the
 * values to preview (what is typed since, read back into the step's text shape) and the
 * StepShell props that follow from them.
 */
export function useStepForm<V>(page: StepPageData<V>, actionData: StepReply<V> | undefined, read: (data: Record<string, unknown>) => V) {
  const navigation = useNavigation();
  const values: V = actionData?.values ?? page.initial.values;
  const nonce = String(actionData?.nonce ?? page.initial.savedAt ?? 'initial');
  const typed = useTypedValues(STEP_FORM_ID, nonce);
  const shown = typed ? read(typed) : values;
  const errors = actionData?.errors;
  const shell = {
    formId: STEP_FORM_ID,
    editable: page.editable,
    readOnlyReason: page.readOnlyReason ?? '',
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

/**
 * The form's values as typed, read from the form itself on every input or change
 * (undefined until the first one). The server validates; this only feeds the preview, so
 * no form library ships to the browser for it. Each answer from the server (a new nonce)
 * re-mounts the form, and the preview starts again from what that answer rendered.
 */
function useTypedValues(formId: string, nonce: string): Record<string, unknown> | undefined {
  const [typed, setTyped] = useState<{ nonce: string; value: Record<string, unknown> }>();
  useEffect(() => {
    const form = document.getElementById(formId);
    if (!(form instanceof HTMLFormElement)) return;
    const update = () => setTyped({ nonce, value: formValue(new FormData(form)) });
    form.addEventListener('input', update);
    form.addEventListener('change', update);
    return () => {
      form.removeEventListener('input', update);
      form.removeEventListener('change', update);
    };
  }, [formId, nonce]);
  return typed?.nonce === nonce ? typed.value : undefined;
}

/**
 * Form data as the nested object its field names describe, the naming the server's
 * parseWithZod reads: `items[0].kind`, `ratings.respect.rating`. A name given more than
 * once becomes a list. Files and the row intents are left out.
 */
export function formValue(data: FormData): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of data) {
    if (typeof value !== 'string' || name === INTENT_FIELD) continue;
    const keys = [...name.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]!));
    if (keys.length === 0 || keys.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype')) continue;
    let node: Record<string | number, unknown> = root;
    keys.forEach((key, i) => {
      if (i === keys.length - 1) {
        const before = node[key];
        node[key] = before === undefined ? value : ([] as unknown[]).concat(before, value);
        return;
      }
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = typeof keys[i + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    });
  }
  return root;
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
