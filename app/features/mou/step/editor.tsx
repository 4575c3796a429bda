// The MOU editor: sections, their clauses (add, remove with a reason, restore), a note, and saving a version.
import { getFormProps, getTextareaProps, useForm, type FieldMetadata } from '../../../components/form-state';
import type { SerializeFrom } from '@remix-run/node';
import { Form, Link, useNavigation } from '@remix-run/react';
import type { ClauseOrigin } from '../../../../workflows/mou';
import { isApproved } from '../../../../workflows/policy';
// Types only: erased from the browser bundle.
import type { EditorState, MouStepPage } from '../mou.server';
import { formatDate } from '../../../utils/labels';
import { FieldError, Tag } from '../../../components/forms';
import { OriginNote } from '../mou-document';
import { LatestLine } from './read-only';

type MouStepData = SerializeFrom<MouStepPage>;

// ---- The editor ----

type ClauseFields = { id: string; text: string; removed: boolean; reason: string };
type SectionFields = { key: string; body: string; clauses: ClauseFields[] };
type EditorFields = {
  intent: string;
  version: number;
  baseVersion: number | null;
  note: string;
  confirmVoid: boolean;
  sections: SectionFields[];
};

export function Editor({
  data,
  state,
  errors,
  formError,
  compare,
}: {
  data: MouStepData;
  state: EditorState;
  errors: Record<string, string[]>;
  formError: string | null;
  compare: { from: number; to: number } | null;
}) {
  const navigation = useNavigation();
  const { proposal } = data;
  const approved = isApproved(proposal.state);
  const hasErrors = Object.keys(errors).length > 0 || formError !== null;
  const [form, fields] = useForm<EditorFields>({
    id: 'mou-editor',
    defaultValue: {
      version: state.version,
      baseVersion: state.baseVersion,
      note: state.note,
      confirmVoid: state.confirmVoid,
      sections: state.sections.map((s) => ({ key: s.key, body: s.body, clauses: s.clauses })),
    },
    lastResult: hasErrors ? { status: 'error', error: errors } : undefined,
    shouldValidate: 'onSubmit',
  });
  const sectionList = fields.sections.getFieldList();
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save';

  return (
    <Form key={form.key} method="post" {...getFormProps(form)} className="mou-editor" aria-labelledby="editor-title">
      <h3 id="editor-title">{state.baseVersion ? `Edit the MOU (from version ${state.baseVersion})` : 'The draft, written from the vetting'}</h3>
      {data.latest ? <LatestLine latest={data.latest} /> : (
        <p className="muted">
          Generated from the template and the vetting: every perception condition and risk mitigation is a clause. Nothing is saved until you save it.
        </p>
      )}
      {formError ? (
        <div className="alert alert--bad" role="alert" id={form.errorId} data-testid="mou-form-error">
          <p>{formError}</p>
          {compare ? (
            <p>
              <Link to={`/proposals/${proposal.id}/mou/versions?from=${compare.from}&to=${compare.to}`}>
                Compare version {compare.from} with version {compare.to}
              </Link>{' '}
              (opens the comparison; your text stays here). Saving again puts your text on top of version {compare.to}.
            </p>
          ) : null}
        </div>
      ) : null}
      {approved ? (
        <div className="alert alert--warn" data-testid="void-warning">
          <h4 style={{ marginTop: 0 }}>Editing this MOU voids the approval</h4>
          <p>
            This proposal is approved{proposal.approvedUntil ? ` until ${formatDate(proposal.approvedUntil)}` : ''}. If you save a change to its MOU,
            the approval ends at once and the proposal goes back to staff for review, with a record in the decision log. Until staff approve
            again, the partnership is not approved.
          </p>
        </div>
      ) : null}

      <input type="hidden" name={fields.version.name} value={state.version} />
      <input type="hidden" name={fields.baseVersion.name} value={state.baseVersion ?? ''} />

      {sectionList.map((sectionMeta, i) => {
        const section = state.sections[i]!;
        const sf = sectionMeta.getFieldset();
        const clauseList = sf.clauses.getFieldList();
        return (
          <fieldset key={sectionMeta.key} className="panel mou-editor__section" data-section={section.key}>
            <legend>
              <strong>
                {i + 1}. {section.title}
              </strong>
            </legend>
            <input type="hidden" name={sf.key.name} value={section.key} />
            <div className="field">
              <label htmlFor={sf.body.id}>Text of “{section.title}”</label>
              <textarea {...getTextareaProps(sf.body)} dir="auto" rows={Math.min(12, Math.max(3, Math.ceil(section.body.length / 90)))} />
              <FieldError id={sf.body.errorId} errors={sf.body.errors} />
            </div>
            {clauseList.length > 0 ? (
              <ol className="mou-editor__clauses" style={{ listStyle: 'none', paddingLeft: '1rem', borderLeft: '3px solid var(--line)' }}>
                {clauseList.map((clauseMeta, j) => (
                  <ClauseEditor
                    key={clauseMeta.key}
                    meta={clauseMeta}
                    clause={section.clauses[j]!}
                    number={`${i + 1}.${j + 1}`}
                    sectionIndex={i}
                    clauseIndex={j}
                    proposalId={proposal.id}
                    origin={data.origins[section.clauses[j]!.id] ?? null}
                  />
                ))}
              </ol>
            ) : null}
            <button type="submit" name="intent" value={`add:${i}`} className="button button--secondary button--small" formNoValidate>
              Add a clause to “{section.title}”
            </button>
          </fieldset>
        );
      })}

      <div className="panel">
        <div className="field">
          <label htmlFor={fields.note.id}>Note on this version (optional)</label>
          <span className="hint" id={`${fields.note.id}-hint`}>
            What changed and why, for staff and the version list.
          </span>
          <textarea
            {...getTextareaProps(fields.note)}
            dir="auto"
            rows={2}
            aria-describedby={[`${fields.note.id}-hint`, fields.note.errors ? fields.note.errorId : null].filter(Boolean).join(' ')}
          />
          <FieldError id={fields.note.errorId} errors={fields.note.errors} />
        </div>
        {approved ? (
          <div className="field">
            <label className="choices">
              <input
                type="checkbox"
                name={fields.confirmVoid.name}
                id={fields.confirmVoid.id}
                defaultChecked={state.confirmVoid}
                required
                aria-invalid={fields.confirmVoid.errors ? true : undefined}
                aria-describedby={fields.confirmVoid.errors ? fields.confirmVoid.errorId : undefined}
              />
              I understand that saving voids the approval and returns the proposal to staff for review.
            </label>
            <FieldError id={fields.confirmVoid.errorId} errors={fields.confirmVoid.errors} />
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" name="intent" value="save" className={approved ? 'button button--danger' : 'button'} disabled={saving}>
            {saving ? 'Saving…' : approved ? 'Save and return to review' : state.baseVersion ? 'Save as a new version' : 'Save the first version'}
          </button>
          <span className="small muted">Each save is a new version; earlier versions are kept.</span>
        </div>
      </div>
    </Form>
  );
}

const CLAUSE_STYLE = { marginBottom: '1.25rem' };

function ClauseEditor({
  meta,
  clause,
  number,
  sectionIndex,
  clauseIndex,
  proposalId,
  origin,
}: {
  meta: FieldMetadata<ClauseFields>;
  clause: ClauseFields;
  number: string;
  sectionIndex: number;
  clauseIndex: number;
  proposalId: number;
  origin: ClauseOrigin | null;
}) {
  const f = meta.getFieldset();
  const originId = `${f.text.id}-origin`;
  if (clause.removed) {
    return (
      <li className="mou-editor__clause mou-editor__clause--removed" data-clause={clause.id} data-removed="true" style={CLAUSE_STYLE}>
        <input type="hidden" name={f.id.name} value={clause.id} />
        <input type="hidden" name={f.text.name} value={clause.text} />
        <input type="hidden" name={f.removed.name} value="on" />
        <p>
          <Tag tone="bad">Removed</Tag> Clause {number}: <del className="diff">{clause.text}</del>
        </p>
        {origin ? <OriginNote proposalId={proposalId} origin={origin} id={originId} /> : null}
        <div className="field">
          <label htmlFor={f.reason.id}>Why is clause {number} removed? (staff will read this)</label>
          <textarea {...getTextareaProps(f.reason)} dir="auto" rows={2} />
          <FieldError id={f.reason.errorId} errors={f.reason.errors} />
        </div>
        <button
          type="submit"
          name="intent"
          value={`restore:${sectionIndex}:${clauseIndex}`}
          className="button button--secondary button--small"
          formNoValidate
        >
          Keep clause {number}
        </button>
      </li>
    );
  }
  const describedBy = [origin ? originId : null, f.text.errors ? f.text.errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <li className="mou-editor__clause" data-clause={clause.id} style={CLAUSE_STYLE}>
      <input type="hidden" name={f.id.name} value={clause.id} />
      <div className="field">
        <label htmlFor={f.text.id}>
          Clause {number}
          {origin ? ' (required)' : ''}
        </label>
        <textarea {...getTextareaProps(f.text)} dir="auto" rows={Math.min(8, Math.max(2, Math.ceil(clause.text.length / 90)))} aria-describedby={describedBy} />
        {origin ? <OriginNote proposalId={proposalId} origin={origin} id={originId} /> : null}
        <FieldError id={f.text.errorId} errors={f.text.errors} />
      </div>
      <button
        type="submit"
        name="intent"
        value={`remove:${sectionIndex}:${clauseIndex}`}
        className="button button--secondary button--small"
        formNoValidate
      >
        Remove clause {number}
      </button>
    </li>
  );
}
