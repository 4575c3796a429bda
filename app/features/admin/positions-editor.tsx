// The positions catalog editor; what the editors share is in config-editor-fields.tsx.
import { getSelectProps, useForm } from '../../components/form-state';
import { FieldError } from '../../components/forms';
import { EditorFrame } from './config-pages';
import { KEY_HINT, TextField, type EditorProps } from './config-editor-fields';


export type PositionValue = {
  key: string;
  statement: string;
  stance: string;
  campaignKey: string;
  perceptionSensitive: string;
  keywords: string;
  sources: string;
};

const STANCE_OPTIONS = [
  { value: 'calls_for', label: 'The organization calls for this' },
  { value: 'no_position', label: 'The organization takes no position' },
  { value: 'opposes', label: 'The organization opposes this' },
];

export function PositionsEditor({
  defaultValue,
  lastResult,
  baseVersion,
  formError,
  stale,
  campaigns,
}: EditorProps<{ note: string; positions: PositionValue[] }> & { campaigns: { key: string; name: string }[] }) {
  const [form, fields] = useForm({ id: 'positions', defaultValue, lastResult, shouldValidate: 'onSubmit' });
  const positions = fields.positions.getFieldList();
  return (
    <EditorFrame form={form} note={fields.note} title="Edit the catalog" formError={formError} stale={stale} baseVersion={baseVersion}>
      <FieldError id={fields.positions.errorId} errors={fields.positions.errors} />
      {positions.map((meta, i) => {
        const f = meta.getFieldset();
        const of = `of position ${i + 1}`;
        return (
          <fieldset key={meta.key ?? `new-${i}`} className="panel">
            <legend>
              <strong>
                Position {i + 1}
                {f.key.initialValue ? `: ${String(f.key.initialValue)}` : ''}
              </strong>
            </legend>
            <TextField field={f.key} label="Key" of={of} hint={i === 0 ? KEY_HINT : undefined} />
            <TextField field={f.statement} label="Statement" of={of} multiline rows={2} />
            <div className="row">
              <div className="field">
                <label htmlFor={f.stance.id}>
                  Stance<span className="visually-hidden"> {of}</span>
                </label>
                <select {...getSelectProps(f.stance)}>
                  {STANCE_OPTIONS.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
                <FieldError id={f.stance.errorId} errors={f.stance.errors} />
              </div>
              <div className="field">
                <label htmlFor={f.campaignKey.id}>
                  Campaign<span className="visually-hidden"> {of}</span>
                </label>
                <select {...getSelectProps(f.campaignKey)}>
                  <option value="">Organization-wide (no campaign)</option>
                  {campaigns.map((c) => (
                    <option key={c.key} value={c.key}>
                      {c.name}
                    </option>
                  ))}
                </select>
                <FieldError id={f.campaignKey.errorId} errors={f.campaignKey.errors} />
              </div>
              <TextField field={f.perceptionSensitive} label="Perception-sensitive movement (e.g. BDS)" of={of} />
            </div>
            <TextField field={f.keywords} label="Keywords, one a line" of={of} multiline rows={3} />
            <TextField field={f.sources} label="Sources, one a line: document, colon, quote" of={of} multiline rows={2} />
            <button {...form.remove.getButtonProps({ name: fields.positions.name, index: i })} className="button button--secondary button--small">
              Remove position {i + 1}
            </button>
          </fieldset>
        );
      })}
      <p>
        <button
          {...form.insert.getButtonProps({
            name: fields.positions.name,
            defaultValue: { key: '', statement: '', stance: 'calls_for', campaignKey: '', perceptionSensitive: '', keywords: '', sources: '' },
          })}
          className="button button--secondary"
        >
          Add a position
        </button>
      </p>
    </EditorFrame>
  );
}
