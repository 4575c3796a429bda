// The values criteria editor; what the editors share is in config-editor-fields.tsx.
import { getInputProps, useForm } from '../../components/form-state';
import { FieldError } from '../../components/forms';
import { EditorFrame } from './config-pages';
import { KEY_HINT, TextField, type EditorProps } from './config-editor-fields';


export type CriterionValue = { key: string; label: string; description: string; required: boolean };

export function ValuesCriteriaEditor({ defaultValue, lastResult, baseVersion, formError, stale }: EditorProps<{ note: string; criteria: CriterionValue[] }>) {
  const [form, fields] = useForm({ id: 'values-criteria', defaultValue, lastResult, shouldValidate: 'onSubmit' });
  const criteria = fields.criteria.getFieldList();
  return (
    <EditorFrame form={form} note={fields.note} title="Edit the criteria" formError={formError} stale={stale} baseVersion={baseVersion}>
      <FieldError id={fields.criteria.errorId} errors={fields.criteria.errors} />
      {criteria.map((meta, i) => {
        const f = meta.getFieldset();
        const of = `of criterion ${i + 1}`;
        return (
          <fieldset key={meta.key ?? `new-${i}`} className="panel">
            <legend>
              <strong>
                Criterion {i + 1}
                {f.label.initialValue ? `: ${String(f.label.initialValue)}` : ''}
              </strong>
            </legend>
            <TextField field={f.key} label="Key" of={of} hint={i === 0 ? KEY_HINT : undefined} />
            <TextField field={f.label} label="Name" of={of} />
            <TextField field={f.description} label="Description" of={of} multiline rows={4} />
            <div className="field">
              <label className="row">
                <input {...getInputProps(f.required, { type: 'checkbox' })} />
                Required: rated “does not meet”, it makes the partner incompatible
                <span className="visually-hidden"> ({`criterion ${i + 1}`})</span>
              </label>
              <FieldError id={f.required.errorId} errors={f.required.errors} />
            </div>
            <button {...form.remove.getButtonProps({ name: fields.criteria.name, index: i })} className="button button--secondary button--small">
              Remove criterion {i + 1}
            </button>
          </fieldset>
        );
      })}
      <p>
        <button
          {...form.insert.getButtonProps({ name: fields.criteria.name, defaultValue: { key: '', label: '', description: '', required: false } })}
          className="button button--secondary"
        >
          Add a criterion
        </button>
      </p>
    </EditorFrame>
  );
}
