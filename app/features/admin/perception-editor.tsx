// The perception checklist editor; what the editors share is in config-editor-fields.tsx.
import { useForm } from '../../components/form-state';
import { FieldError } from '../../components/forms';
import { EditorFrame } from './config-pages';
import { KEY_HINT, TextField, type EditorProps } from './config-editor-fields';


export type PerceptionItemValue = { key: string; label: string; condition: string };

export function PerceptionChecklistEditor({
  defaultValue,
  lastResult,
  baseVersion,
  formError,
  stale,
  placeholders,
}: EditorProps<{ note: string; movement: string; items: PerceptionItemValue[] }> & { placeholders: string[] }) {
  const [form, fields] = useForm({ id: 'perception-checklist', defaultValue, lastResult, shouldValidate: 'onSubmit' });
  const items = fields.items.getFieldList();
  return (
    <EditorFrame form={form} note={fields.note} title="Edit the checklist" formError={formError} stale={stale} baseVersion={baseVersion}>
      <div className="panel">
        <TextField field={fields.movement} label="Movement the checklist is about" />
      </div>
      <p className="small muted">
        Conditions become MOU clauses and may use {placeholders.map((p) => `{{${p}}}`).join(', ')}.
      </p>
      <FieldError id={fields.items.errorId} errors={fields.items.errors} />
      {items.map((meta, i) => {
        const f = meta.getFieldset();
        const of = `of item ${i + 1}`;
        return (
          <fieldset key={meta.key ?? `new-${i}`} className="panel">
            <legend>
              <strong>Item {i + 1}</strong>
            </legend>
            <TextField field={f.key} label="Key" of={of} hint={i === 0 ? KEY_HINT : undefined} />
            <TextField field={f.label} label="Question" of={of} multiline rows={2} />
            <TextField field={f.condition} label="Condition (MOU clause)" of={of} multiline rows={3} />
            <button {...form.remove.getButtonProps({ name: fields.items.name, index: i })} className="button button--secondary button--small">
              Remove item {i + 1}
            </button>
          </fieldset>
        );
      })}
      <p>
        <button
          {...form.insert.getButtonProps({ name: fields.items.name, defaultValue: { key: '', label: '', condition: '' } })}
          className="button button--secondary"
        >
          Add an item
        </button>
      </p>
    </EditorFrame>
  );
}
