// The MOU template editor: sections with title and body, added and removed with
// conform's list intents (plain submit buttons, so no JavaScript is needed), a note,
// and saving a new version.
import { getFormProps, getInputProps, getTextareaProps, useForm } from '../../components/form-state';
import { Form, useNavigation } from '@remix-run/react';
import { FieldError } from '../../components/forms';

/** Sections the drafting relies on: conditions and mitigations receive the required clauses. */
export const FIXED_SECTIONS: ReadonlySet<string> = new Set(['conditions', 'mitigations', 'signatures']);

export type TemplateSection = { key: string; title: string; body: string };
export type TemplateState = { baseVersion: number; note: string; sections: TemplateSection[] };

export function TemplateForm({ state, errors, formError }: { state: TemplateState; errors: Record<string, string[]>; formError: string | null }) {
  const navigation = useNavigation();
  const [form, fields] = useForm<{ baseVersion: number; note: string; sections: TemplateSection[] }>({
    id: 'mou-template',
    defaultValue: { baseVersion: state.baseVersion, note: state.note, sections: state.sections },
    lastResult: Object.keys(errors).length || formError ? { status: 'error', error: errors } : undefined,
    shouldValidate: 'onSubmit',
  });
  const sections = fields.sections.getFieldList();
  const keys = sections.map((meta) => meta.getFieldset().key.value ?? '');
  // A new section goes before the signatures, under the first free key.
  let n = 1;
  while (keys.includes(`section_${n}`)) n += 1;
  const signatures = keys.indexOf('signatures');
  return (
    <Form key={form.key} method="post" {...getFormProps(form)} aria-labelledby="template-title">
      <h2 id="template-title">Edit the template</h2>
      {formError ? (
        <div className="alert alert--bad" role="alert" id={form.errorId}>
          {formError}
        </div>
      ) : null}
      <input type="hidden" name={fields.baseVersion.name} value={state.baseVersion} />
      {/* Enter in a title field saves, rather than pressing a section's "remove". */}
      <button type="submit" name="intent" value="save" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        Save
      </button>
      {sections.map((meta, i) => {
        const f = meta.getFieldset();
        const key = f.key.value ?? '';
        const title = f.title.initialValue ?? '';
        const body = f.body.initialValue ?? '';
        return (
          <fieldset key={meta.key} className="panel" data-section={key}>
            <legend>
              <strong>
                Section {i + 1}
                {title ? `: ${title}` : ''}
              </strong>
            </legend>
            <input {...getInputProps(f.key, { type: 'hidden' })} />
            <div className="field">
              <label htmlFor={f.title.id}>Title</label>
              <input {...getInputProps(f.title, { type: 'text' })} dir="auto" />
              <FieldError id={f.title.errorId} errors={f.title.errors} />
            </div>
            <div className="field">
              <label htmlFor={f.body.id}>Text</label>
              <textarea {...getTextareaProps(f.body)} dir="auto" rows={Math.min(10, Math.max(3, Math.ceil(body.length / 90)))} />
              <FieldError id={f.body.errorId} errors={f.body.errors} />
            </div>
            {FIXED_SECTIONS.has(key) ? (
              <p className="small muted">This section is kept in every MOU.</p>
            ) : (
              <button type="submit" {...form.remove.getButtonProps({ name: fields.sections.name, index: i })} className="button button--secondary button--small">
                Remove section {i + 1}
              </button>
            )}
          </fieldset>
        );
      })}
      <p>
        <button
          type="submit"
          {...form.insert.getButtonProps({
            name: fields.sections.name,
            index: signatures >= 0 ? signatures : undefined,
            defaultValue: { key: `section_${n}`, title: '', body: '' },
          })}
          className="button button--secondary"
        >
          Add a section
        </button>
      </p>
      <div className="panel">
        <div className="field">
          <label htmlFor={fields.note.id}>What changed (for the version history)</label>
          <input {...getInputProps(fields.note, { type: 'text' })} dir="auto" />
          <FieldError id={fields.note.errorId} errors={fields.note.errors} />
        </div>
        <div className="form-actions">
          <button type="submit" name="intent" value="save" className="button" disabled={navigation.state === 'submitting'}>
            Save as version {state.baseVersion + 1}
          </button>
        </div>
      </div>
    </Form>
  );
}
