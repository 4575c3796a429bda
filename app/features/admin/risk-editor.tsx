// The risk matrix editor; what the editors share is in config-editor-fields.tsx.
import { getInputProps, useForm, type FieldMetadata } from '../../components/form-state';
import { FieldError } from '../../components/forms';
import { EditorFrame } from './config-pages';
import { TextField, type EditorProps } from './config-editor-fields';


export type RiskMatrixValue = {
  note: string;
  bands: { name: string; min: number; max: number }[];
  closeMarginPercent: number;
  likelihoodLabels: string[];
  impactLabels: string[];
  categories: string[];
};

const BAND_LABEL: Record<string, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

function ScaleLabels({ list, title }: { list: FieldMetadata<string[]>; title: string }) {
  return (
    <fieldset className="panel">
      <legend>
        <strong>{title}</strong>
      </legend>
      <FieldError id={list.errorId} errors={list.errors} />
      <div className="row">
        {list.getFieldList().map((f, i) => (
          <TextField key={f.key ?? `new-${i}`} field={f} label={`Level ${i + 1}`} of={`of ${title.toLowerCase()}`} />
        ))}
      </div>
    </fieldset>
  );
}

export function RiskMatrixEditor({ defaultValue, lastResult, baseVersion, formError, stale }: EditorProps<RiskMatrixValue>) {
  const [form, fields] = useForm({ id: 'risk-matrix', defaultValue, lastResult, shouldValidate: 'onSubmit' });
  const bands = fields.bands.getFieldList();
  const categories = fields.categories.getFieldList();
  return (
    <EditorFrame form={form} note={fields.note} title="Edit the matrix" formError={formError} stale={stale} baseVersion={baseVersion}>
      <fieldset className="panel">
        <legend>
          <strong>Bands</strong>
        </legend>
        <p className="small muted">
          A score is likelihood × impact, from 1 to 25. The bands must cover every score once, in order: each starts right after the one
          before ends.
        </p>
        <FieldError id={fields.bands.errorId} errors={fields.bands.errors} />
        {bands.map((meta, i) => {
          const f = meta.getFieldset();
          const name = String(f.name.initialValue ?? '');
          const label = BAND_LABEL[name] ?? name;
          return (
            <div key={meta.key ?? `band-${i}`} className="row" data-band={name}>
              <input type="hidden" name={f.name.name} value={name} />
              <div className="field">
                <label htmlFor={f.min.id}>{label} from</label>
                <input {...getInputProps(f.min, { type: 'number' })} min={1} max={25} step={1} />
                <FieldError id={f.min.errorId} errors={f.min.errors} />
              </div>
              <div className="field">
                <label htmlFor={f.max.id}>{label} to</label>
                <input {...getInputProps(f.max, { type: 'number' })} min={1} max={25} step={1} />
                <FieldError id={f.max.errorId} errors={f.max.errors} />
              </div>
            </div>
          );
        })}
      </fieldset>
      <div className="panel">
        <div className="field">
          <label htmlFor={fields.closeMarginPercent.id}>Close margin (percent)</label>
          <span className="hint" id={`${fields.closeMarginPercent.id}-hint`}>
            Benefits and residual risks within this percentage of the larger sum are “close”: staff must accept the risk.
          </span>
          <input
            {...getInputProps(fields.closeMarginPercent, { type: 'number', ariaDescribedBy: `${fields.closeMarginPercent.id}-hint` })}
            min={0}
            max={100}
            step="any"
          />
          <FieldError id={fields.closeMarginPercent.errorId} errors={fields.closeMarginPercent.errors} />
        </div>
      </div>
      <ScaleLabels list={fields.likelihoodLabels} title="Likelihood levels" />
      <ScaleLabels list={fields.impactLabels} title="Impact levels" />
      <fieldset className="panel">
        <legend>
          <strong>Categories</strong>
        </legend>
        <p className="small muted">Leads choose one for each risk and benefit. Lowercase letters, digits and underscores.</p>
        <FieldError id={fields.categories.errorId} errors={fields.categories.errors} />
        {categories.map((f, i) => (
          <div key={f.key ?? `new-${i}`} className="row">
            <TextField field={f} label={`Category ${i + 1}`} />
            <button {...form.remove.getButtonProps({ name: fields.categories.name, index: i })} className="button button--secondary button--small">
              Remove category {i + 1}
            </button>
          </div>
        ))}
        <p>
          <button {...form.insert.getButtonProps({ name: fields.categories.name, defaultValue: '' })} className="button button--secondary">
            Add a category
          </button>
        </p>
      </fieldset>
    </EditorFrame>
  );
}
