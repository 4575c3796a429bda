// The editors of the configuration documents. Entries are added and removed with
// conform's list intents on plain submit buttons, so they work without JavaScript;
// the server validates and sends back every message beside its field, with what was typed.
import { getInputProps, getSelectProps, getTextareaProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react';
import { FieldError } from '../../components/forms';
import { EditorFrame } from './config-pages';

type EditorProps<T> = {
  defaultValue: T;
  lastResult: SubmissionResult<string[]> | null | undefined;
  baseVersion: number;
  formError: string | null;
  stale: { base: number; current: number } | null;
};

/** A labelled text input or textarea with its error; `of` completes the label for screen readers ("of criterion 2"). */
function TextField({ field, label, of, multiline, rows, hint }: { field: FieldMetadata<string>; label: string; of?: string; multiline?: boolean; rows?: number; hint?: string }) {
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

const KEY_HINT = 'Decision records refer to entries by key: lowercase letters, digits and underscores. Changing a key removes the entry and adds a new one.';

// ---- Values criteria ----

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

// ---- Perception checklist ----

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

// ---- Risk matrix ----

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

// ---- Positions catalog ----

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
