// The editors of the configuration documents. Entries are added and removed with
// conform's list intents (form-state.ts renders them) on plain submit buttons, so they work without JavaScript;
// the server validates and sends back every message beside its field, with what was typed.
// What the editors share; each editor is a module of its own, so a page ships only its own.
import { getInputProps, getTextareaProps, type FieldMetadata, type SubmissionResult } from '../../components/form-state';
import { FieldError } from '../../components/forms';

export type EditorProps<T> = {
  defaultValue: T;
  lastResult: SubmissionResult<string[]> | null | undefined;
  baseVersion: number;
  formError: string | null;
  stale: { base: number; current: number } | null;
};

/** A labelled text input or textarea with its error; `of` completes the label for screen readers ("of criterion 2"). */
export function TextField({ field, label, of, multiline, rows, hint }: { field: FieldMetadata<string>; label: string; of?: string; multiline?: boolean; rows?: number; hint?: string }) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={field.id}>
        {label}
        {of ? <span className="visually-hidden"> {of}</span> : null}
      </label>
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {multiline ? (
        <textarea {...getTextareaProps(field, { ariaDescribedBy: hintId })} rows={rows ?? 3} />
      ) : (
        <input {...getInputProps(field, { type: 'text', ariaDescribedBy: hintId })} />
      )}
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  );
}

export const KEY_HINT = 'Decision records refer to entries by key: lowercase letters, digits and underscores. Changing a key removes the entry and adds a new one.';
