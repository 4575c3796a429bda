// Form controls of the proposal and step pages: every control labelled, its error
// beside it (aria-invalid + aria-describedby), radio groups in a fieldset with a legend.
// Uncontrolled (defaultValue), so every form works the same with JavaScript off.
import { Form, useBlocker } from '@remix-run/react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { formatDateTime } from '../../utils/labels';
import { FieldError, USER_TEXT_DIRECTION } from '../../components/forms';
import { CharacterLimit, characterLimitId } from '../../components/character-limit';

export type Errors = Record<string, string[] | null | undefined> | undefined | null;

/** A DOM id from a field name: items[2].text -> f-items-2-text. */
export const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/-+$/, '')}`;

function describedBy(name: string, errors: Errors, hintId?: string, limitId?: string) {
  const ids = [hintId, limitId, errors?.[name]?.length ? `${fieldId(name)}-error` : undefined].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export type Common = {
  name: string;
  label: ReactNode;
  errors: Errors;
  hint?: ReactNode;
  className?: string;
  required?: boolean;
  /** The most characters the form's schema accepts: shown before submitting, with a live count. */
  limit?: number;
};

/** The ARIA wiring every labelled control shares. */
function controlProps(name: string, errors: Errors, required: boolean | undefined, hintId: string | undefined, limit?: number) {
  return {
    id: fieldId(name),
    name,
    'aria-invalid': Boolean(errors?.[name]?.length) || undefined,
    'aria-describedby': describedBy(name, errors, hintId, limit ? characterLimitId(fieldId(name)) : undefined),
    'aria-required': required || undefined,
    ...USER_TEXT_DIRECTION,
    maxLength: limit,
  };
}

/** Label, hint, the control, and its error: one layout for every labelled field. */
export function LabelledField({
  name,
  label,
  errors,
  hint,
  className,
  required,
  limit,
  children,
}: Common & { children: (control: ReturnType<typeof controlProps>) => ReactNode }) {
  const id = fieldId(name);
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="req" aria-hidden="true"> *</span> : null}
      </label>
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {children(controlProps(name, errors, required, hintId, limit))}
      {limit ? <CharacterLimit fieldId={id} max={limit} /> : null}
      <FieldError id={`${id}-error`} errors={errors?.[name] ?? undefined} />
    </div>
  );
}

export function TextArea({ defaultValue, rows = 3, ...common }: Common & { defaultValue?: string; rows?: number }) {
  return <LabelledField {...common}>{(control) => <textarea {...control} rows={rows} defaultValue={defaultValue} />}</LabelledField>;
}

export type Option = { value: string; label: string };
export type OptionGroup = { label: string; options: Option[] };

export function SelectField({
  defaultValue,
  options,
  groups,
  placeholder = 'Choose…',
  ...common
}: Common & { defaultValue?: string; options?: Option[]; groups?: OptionGroup[]; placeholder?: string }) {
  return (
    <LabelledField {...common}>
      {(control) => (
        <select {...control} defaultValue={defaultValue ?? ''}>
          <option value="">{placeholder}</option>
          {options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          {groups?.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      )}
    </LabelledField>
  );
}

export function RadioGroup({
  name,
  legend,
  errors,
  hint,
  className,
  required,
  defaultValue,
  options,
}: Omit<Common, 'label'> & { legend: ReactNode; defaultValue?: string; options: (Option & { hint?: string })[] }) {
  const id = fieldId(name);
  const hintId = hint ? `${id}-hint` : undefined;
  const invalid = Boolean(errors?.[name]?.length);
  return (
    <fieldset
      className={`field radio-group ${invalid ? 'is-invalid' : ''} ${className ?? ''}`}
      aria-describedby={describedBy(name, errors, hintId)}
      aria-invalid={invalid || undefined}
      id={id}
      role="radiogroup"
      aria-required={required || undefined}
    >
      <legend>
        {legend}
        {required ? <span className="req" aria-hidden="true"> *</span> : null}
      </legend>
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      <div className="choices">
        {options.map((o) => (
          <label key={o.value} className={`choice choice--${o.value}`}>
            <input type="radio" name={name} value={o.value} defaultChecked={defaultValue === o.value} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      <FieldError id={`${id}-error`} errors={errors?.[name] ?? undefined} />
    </fieldset>
  );
}

/**
 * Shown at the top of a form whose submit found the proposal changed by someone else. Here,
 * beside the alerts that show it, so the step pages' form readers (step-forms.ts) share
 * one browser file with step-form.tsx instead of one of their own.
 */
// The same person in another tab is as likely as someone else: the note names both.
export const STALE_NOTE =
  'This proposal was changed after you opened this page, by someone else or by you in another tab. Your input is kept below: check the proposal, then submit again.';

/** The alerts at the top of a step form: stale input, the form-level error, and a list of fields to fix. */
export function FormAlerts({ stale, formError, errors, staleNote }: { stale?: boolean; formError?: string | null; errors: Errors; staleNote?: string }) {
  const count = errors ? Object.values(errors).filter((v) => v && v.length).length : 0;
  if (!stale && !formError && count === 0) return null;
  return (
    <div className={`alert ${stale ? 'alert--warn' : 'alert--bad'}`} role="alert" id="form-alert" tabIndex={-1}>
      {stale ? (
        <>
          <h2>This proposal changed while you were working</h2>
          <p>{staleNote}</p>
        </>
      ) : (
        <h2>{count > 0 ? `${count} ${count === 1 ? 'field needs' : 'fields need'} attention` : 'Not submitted'}</h2>
      )}
      {formError ? <p>{formError}</p> : null}
      {count > 0 ? (
        <ul className="error-list">
          {Object.entries(errors ?? {})
            .filter(([, v]) => v && v.length)
            .map(([k, v]) => (
              <li key={k}>
                <a href={`#${fieldId(k)}`}>{v!.join(' ')}</a>
              </li>
            ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The frame of every step page: intro, where the values came from, alerts, the form and its buttons. */
export function StepShell({
  title,
  intro,
  editable,
  readOnlyReason,
  version,
  source,
  savedAt,
  notice,
  stale,
  staleNote,
  formError,
  acceptsFiles,
  errors,
  nonce,
  focus,
  formId,
  children,
  after,
  checkLabel,
  submitLabel,
  busy,
}: {
  title: string;
  intro: ReactNode;
  editable: boolean;
  readOnlyReason: string;
  version: number;
  source: 'draft' | 'submission' | 'empty';
  savedAt: string | null;
  notice?: string | null;
  stale?: boolean;
  staleNote: string;
  formError?: string | null;
  /** The form carries evidence files (sent as multipart/form-data). */
  acceptsFiles?: boolean;
  errors: Errors;
  nonce: number | string;
  focus?: string | null;
  /** The id conform follows the form by. */
  formId?: string;
  children: ReactNode;
  after?: ReactNode;
  checkLabel?: string;
  submitLabel: string;
  busy: boolean;
}) {
  const { dirty, markEdited, markSubmitting, blocker } = useUnsavedGuard(editable ? `${source}|${savedAt ?? ''}` : null);
  useEffect(() => {
    if (!focus) return;
    const el = document.getElementById(focus);
    if (el) {
      el.focus();
      el.scrollIntoView({ block: 'center' });
    }
  }, [focus, nonce]);
  return (
    <section className="panel step-page" aria-labelledby="step-title">
      <h2 id="step-title">{title}</h2>
      <div className="step-intro">{intro}</div>
      {!editable ? <p className="alert alert--info">{readOnlyReason}</p> : null}
      {editable && source !== 'empty' && savedAt ? (
        <p className="small muted source-note">
          {source === 'draft' ? `Continuing your draft saved ${formatDateTime(savedAt)}.` : `Prefilled from the last submission (${formatDateTime(savedAt)}).`}
        </p>
      ) : null}
      {notice ? (
        <p className="alert alert--info" role="status">
          {notice}
        </p>
      ) : null}
      <FormAlerts stale={stale} staleNote={staleNote} formError={formError} errors={errors} />
      {blocker.state === 'blocked' ? <LeaveDialog onStay={() => blocker.reset()} onLeave={() => blocker.proceed()} /> : null}
      {dirty ? (
        <p className="small muted unsaved-note" role="status">
          You have changes that are not saved yet.
        </p>
      ) : null}
      <Form
        method="post"
        encType={acceptsFiles ? 'multipart/form-data' : undefined}
        noValidate
        key={nonce}
        className="step-form"
        onSubmit={markSubmitting}
        id={formId}
        onChange={markEdited}
      >
        <input type="hidden" name="version" value={version} />
        {/* The draft this page shows ('' for none): a save never replaces a newer one unseen (step-action.server.ts). */}
        <input type="hidden" name="draftSeen" value={source === 'draft' ? (savedAt ?? '') : ''} />
        {/* Enter in a text field presses the first submit button: make that "save draft", not a row's "remove". */}
        {editable ? (
          <button type="submit" name="intent" value="save-draft" className="visually-hidden" tabIndex={-1} aria-hidden="true">
            Save draft
          </button>
        ) : null}
        <fieldset disabled={!editable} className="bare">
          <legend className="visually-hidden">{title}</legend>
          {children}
        </fieldset>
        {after}
        {editable ? (
          <div className="form-actions step-actions">
            <button type="submit" name="intent" value="submit" className="button" disabled={busy}>
              {submitLabel}
            </button>
            {checkLabel ? (
              <button type="submit" name="intent" value="check" className="button button--secondary" disabled={busy}>
                {checkLabel}
              </button>
            ) : null}
            <button type="submit" name="intent" value="save-draft" className="button button--secondary" disabled={busy}>
              Save draft
            </button>
          </div>
        ) : null}
      </Form>
    </section>
  );
}

/**
 * Whether the lead typed since the form's last save (`savedMarker` changes with every
 * save; null: nothing to guard), and a warning before that work is left behind:
 * the browser's own prompt on unload, a dialog for links inside the app.
 */
function useUnsavedGuard(savedMarker: string | null) {
  const [editedSince, setEditedSince] = useState<string | null>(null);
  const dirty = savedMarker !== null && editedSince === savedMarker;
  const guard = useRef({ dirty, submitting: false });
  useEffect(() => {
    guard.current.dirty = dirty;
    // A new answer (a save, or a refusal that kept the input) ends the submission.
    guard.current.submitting = false;
  }, [dirty, savedMarker, editedSince]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      if (guard.current.submitting) return;
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      guard.current.dirty && !guard.current.submitting && currentLocation.pathname !== nextLocation.pathname,
  );
  return {
    dirty,
    blocker,
    markEdited: () => setEditedSince(savedMarker),
    // The form's own buttons post the work: they are not "leaving".
    markSubmitting: () => {
      guard.current.submitting = true;
    },
  };
}

function LeaveDialog({ onStay, onLeave }: { onStay: () => void; onLeave: () => void }) {
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => stay.current?.focus(), []);
  return (
    <div className="alert alert--warn leave-dialog" role="alertdialog" aria-modal="true" aria-labelledby="leave-title" aria-describedby="leave-text">
      <p id="leave-title">
        <strong>Leave this step without saving?</strong>
      </p>
      <p id="leave-text">Your changes since the last save will be lost. Stay to save a draft or submit.</p>
      <div className="row">
        <button type="button" ref={stay} className="button" onClick={onStay}>
          Stay on this page
        </button>
        <button type="button" className="button button--secondary" onClick={onLeave}>
          Leave without saving
        </button>
      </div>
    </div>
  );
}
