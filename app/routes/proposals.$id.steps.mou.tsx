import { getFormProps, getTextareaProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import type { ClauseOrigin } from '../../workflows/mou';
import { mouNotNeededSchema, mouEditorSchema, mouSaveSchema, mouSubmitSchema } from '../forms/mou.server';
import {
  applyEditorIntent,
  clauseOrigins,
  editorErrors,
  editorStateFromForm,
  editorToSave,
  generatedMouFor,
  initialEditorState,
  mouStepStatus,
  mouVersion,
  mouVersionList,
  newEditorKey,
  proposalRow,
  requiredMouClauses,
  saveMou,
  type EditorState,
} from '../services/mou.server';
import { proposalView } from '../services/proposal-view.server';
import { decide, DecisionError } from '../services/vetting.server';
import { can, isApproved, isAtMouStep, isBeforeStep, isInReview, isMouEditable } from '../../workflows/policy';
import { actingUser, requireProposal } from '../utils/auth.server';
import { redirectWithFlash } from '../utils/session.server';
import { formatDate, formatDateTime } from '../utils/labels';
import { FieldError, Tag } from '../components/forms';
import { MouDocument, OriginNote, RemovedConditions } from '../components/mou-document';

export const handle = { proposalHeader: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `MOU · ${data.proposal.reference} · Cosponsor` : 'MOU · Cosponsor' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.view');
  const viewer = actingUser(user);
  const view = proposalView(proposal.id, viewer)!;
  const canEdit = can(viewer, 'proposal.edit', proposal).ok && isMouEditable(proposal.state);
  const latest = mouVersion(proposal.id);
  const events = view.viewer?.events ?? [];
  const status = mouStepStatus(proposal.id);
  const beforeMou = isBeforeStep(proposal.state, 'mou');
  return json({
    proposal: {
      id: proposal.id,
      reference: proposal.reference,
      state: proposal.state,
      version: proposal.version,
      kind: proposal.kind,
      eventTitle: proposal.event_title,
      eventDate: proposal.event_date,
      approvedUntil: proposal.approved_until,
      partnerName: view.proposal.partner_name,
      chapterName: view.proposal.chapter_name,
    },
    mouRequired: view.context.mouRequired,
    canEdit,
    canNotNeeded: canEdit && isAtMouStep(proposal.state) && events.includes('MOU_NOT_NEEDED'),
    canSubmit: canEdit && isAtMouStep(proposal.state) && events.includes('SUBMIT_MOU') && latest !== undefined,
    editor: canEdit ? initialEditorState(proposal.id, proposal.version) : null,
    origins: clauseOrigins(proposal.id),
    latest: latest
      ? {
          version: latest.version,
          createdByName: latest.created_by_name,
          createdAt: latest.created_at,
          note: latest.note,
          sections: latest.sections,
          removed: latest.removed_conditions,
        }
      : null,
    versionCount: mouVersionList(proposal.id).length,
    preview: !latest && (beforeMou || isAtMouStep(proposal.state)) ? generatedMouFor(proposal.id) : null,
    status,
  });
}

type EditorReply = {
  form: 'editor';
  key: string;
  state: EditorState;
  errors: Record<string, string[]>;
  formError: string | null;
  compare: { from: number; to: number } | null;
};

const statusOf = (e: DecisionError) =>
  e.kind === 'stale' ? 409 : e.kind === 'forbidden' ? 403 : e.kind === 'not_found' ? 404 : e.kind === 'not_allowed' ? 409 : 400;
const newKey = () => newEditorKey();

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.edit');
  const actor = actingUser(user);
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  const here = `/proposals/${proposal.id}/steps/mou`;

  if (intent === 'not-needed') {
    const submission = parseWithZod(formData, { schema: mouNotNeededSchema });
    if (submission.status !== 'success') return json({ form: 'not-needed' as const, result: submission.reply() }, { status: 400 });
    const result = decide({
      proposalId: proposal.id,
      expectedVersion: submission.value.version,
      actor,
      command: { type: 'MOU_NOT_NEEDED', reason: submission.value.reason },
    });
    if (!result.ok) {
      return json(
        {
          form: 'not-needed' as const,
          result: submission.reply({ formErrors: [result.error.message], fieldErrors: { reason: result.error.fieldErrors.reason ?? [] } }),
        },
        { status: statusOf(result.error) },
      );
    }
    return redirectWithFlash(`/proposals/${proposal.id}`, {
      kind: 'success',
      message: 'Recorded: no MOU is needed, with your reason. The proposal is now with staff for review.',
    });
  }

  if (intent === 'submit') {
    const submission = parseWithZod(formData, { schema: mouSubmitSchema });
    if (submission.status !== 'success') return json({ form: 'submit' as const, result: submission.reply() }, { status: 400 });
    const latest = mouVersion(proposal.id);
    if (latest?.version !== submission.value.baseVersion) {
      return json(
        {
          form: 'submit' as const,
          result: submission.reply({
            formErrors: [`Version ${latest?.version} of the MOU was saved after you opened this page. Read it, then submit again.`],
          }),
        },
        { status: 409 },
      );
    }
    const result = decide({ proposalId: proposal.id, expectedVersion: submission.value.version, actor, command: { type: 'SUBMIT_MOU' } });
    if (!result.ok) {
      return json({ form: 'submit' as const, result: submission.reply({ formErrors: [result.error.message] }) }, { status: statusOf(result.error) });
    }
    return redirectWithFlash(`/proposals/${proposal.id}`, {
      kind: 'success',
      message: `MOU version ${latest.version} submitted. The proposal is now with staff for review.`,
    });
  }

  // The editor: add, remove or restore a clause (re-shown, nothing saved), or save a version.
  const lenient = parseWithZod(formData, { schema: mouEditorSchema });
  if (lenient.status !== 'success') {
    const reply: EditorReply = {
      form: 'editor',
      key: newKey(),
      state: initialEditorState(proposal.id, proposal.version),
      errors: {},
      formError: 'The form could not be read (it may come from an older page). It has been reloaded from the last saved version.',
      compare: null,
    };
    return json(reply, { status: 400 });
  }
  let state = editorStateFromForm(proposal.id, lenient.value);
  if (intent !== 'save') {
    const requiredIds = new Set(requiredMouClauses(proposal.id).map((r) => r.clause.id));
    state = applyEditorIntent(state, intent, requiredIds, () => newEditorKey().slice(0, 10));
    const reply: EditorReply = { form: 'editor', key: newKey(), state, errors: {}, formError: null, compare: null };
    return json(reply);
  }

  const strict = parseWithZod(formData, { schema: mouSaveSchema });
  if (strict.status !== 'success') {
    const reply: EditorReply = {
      form: 'editor',
      key: newKey(),
      state,
      errors: Object.fromEntries(Object.entries(strict.reply().error ?? {}).filter((e): e is [string, string[]] => Array.isArray(e[1]))),
      formError: 'Some clauses need attention: see the messages beside them. Nothing was saved.',
      compare: null,
    };
    return json(reply, { status: 400 });
  }

  try {
    const { sections, removedConditions } = editorToSave(proposal.id, state);
    const saved = saveMou({
      proposalId: proposal.id,
      actor,
      sections,
      removedConditions,
      note: state.note,
      baseVersion: state.baseVersion,
      expectedProposalVersion: state.version,
      confirmVoidApproval: state.confirmVoid,
    });
    return redirectWithFlash(here, {
      kind: 'success',
      message: saved.reopened
        ? `Version ${saved.version} of the MOU saved. The approval is void: the proposal is back with staff for review.`
        : `Version ${saved.version} of the MOU saved.`,
    });
  } catch (error) {
    if (!(error instanceof DecisionError)) throw error;
    const mapped = editorErrors(proposal.id, state, error.fieldErrors);
    let compare: EditorReply['compare'] = null;
    let next = mapped.state;
    if (error.kind === 'stale') {
      const latest = mouVersion(proposal.id)?.version ?? null;
      // Shown the message and the comparison, the lead may save on top of the newer version.
      if (latest && state.baseVersion && latest !== state.baseVersion) compare = { from: state.baseVersion, to: latest };
      const current = proposalRow(proposal.id)?.version ?? state.version;
      next = { ...next, baseVersion: latest, version: current };
    }
    const reply: EditorReply = { form: 'editor', key: newKey(), state: next, errors: mapped.errors, formError: error.message, compare };
    return json(reply, { status: statusOf(error) });
  }
}

// ---------------------------------------------------------------------------

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function MouStep() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { proposal } = data;
  const editorReply = actionData && actionData.form === 'editor' ? (actionData as unknown as EditorReply) : null;
  const editorState = editorReply?.state ?? data.editor;
  const isCoListing = proposal.kind === 'co_listing';
  const notNeeded = data.canNotNeeded ? (
    <NotNeededForm
      proposalId={proposal.id}
      version={proposal.version}
      prominent={isCoListing}
      lastResult={actionData && actionData.form === 'not-needed' ? actionData.result : undefined}
    />
  ) : null;

  return (
    <section className="mou-step" aria-labelledby="mou-step-title">
      <div className="page-head">
        <div>
          <h2 id="mou-step-title">Step 5: Memorandum of understanding</h2>
          <p>
            {proposal.reference} · the agreement with {proposal.partnerName}: expectations, communication, conditions and mitigations.
          </p>
        </div>
        {data.versionCount > 0 ? (
          <nav aria-label="MOU documents" className="row no-print">
            <Link to={`/proposals/${proposal.id}/mou/versions`} className="button button--secondary button--small">
              Versions and changes ({data.versionCount})
            </Link>
            <a href={`/proposals/${proposal.id}/mou.docx`} className="button button--secondary button--small" download>
              Download .docx
            </a>
            <Link to={`/proposals/${proposal.id}/mou/print`} className="button button--secondary button--small">
              Print version
            </Link>
          </nav>
        ) : null}
      </div>

      {data.mouRequired && isAtMouStep(proposal.state) ? (
        <p className="alert alert--info">Staff require an MOU for this proposal, so “MOU not needed” is not available.</p>
      ) : null}

      {data.status.notNeededReason && !isAtMouStep(proposal.state) ? (
        <section className="alert alert--info" aria-labelledby="not-needed-title">
          <h3 id="not-needed-title">No MOU needed</h3>
          <p>{data.status.notNeededReason}</p>
        </section>
      ) : null}

      {isCoListing ? notNeeded : null}

      {data.canEdit && editorState ? (
        <Editor
          key={editorReply?.key ?? `v${editorState.baseVersion ?? 0}-p${editorState.version}`}
          data={data}
          state={editorState}
          errors={editorReply?.errors ?? {}}
          formError={editorReply?.formError ?? null}
          compare={editorReply?.compare ?? null}
        />
      ) : (
        <ReadOnly data={data} />
      )}

      {data.canSubmit && data.latest ? (
        <SubmitForm
          proposalId={proposal.id}
          version={proposal.version}
          mouVersion={data.latest.version}
          lastResult={actionData && actionData.form === 'submit' ? actionData.result : undefined}
        />
      ) : null}

      {!isCoListing ? notNeeded : null}
    </section>
  );
}

function LatestLine({ latest }: { latest: NonNullable<LoaderData['latest']> }) {
  return (
    <p className="small muted" data-testid="mou-latest">
      Version {latest.version}, saved by {latest.createdByName} on{' '}
      <time dateTime={latest.createdAt}>{formatDateTime(latest.createdAt)}</time>
      {latest.note ? <> · “{latest.note}”</> : null}
    </p>
  );
}

function ReadOnly({ data }: { data: LoaderData }) {
  const { proposal } = data;
  if (data.latest) {
    return (
      <section className="panel" aria-labelledby="mou-title">
        <h3 id="mou-title">The MOU</h3>
        <LatestLine latest={data.latest} />
        {isInReview(proposal.state) ? (
          <p className="muted">Staff are reviewing this proposal; the MOU can change again if they send it back or after approval.</p>
        ) : null}
        <RemovedConditions removed={data.latest.removed} headingLevel={4} />
        <MouDocument proposalId={proposal.id} sections={data.latest.sections} headingLevel={4} />
      </section>
    );
  }
  if (data.preview) {
    return (
      <section className="panel" aria-labelledby="mou-title">
        <h3 id="mou-title">Preview of the draft</h3>
        <p className="muted">
          {isAtMouStep(proposal.state)
            ? 'No version is saved yet. This is the draft generated from the vetting; the chapter lead edits and saves it.'
            : 'The MOU step opens after the earlier steps. This is the draft the vetting so far would produce; it changes as the steps are completed.'}
        </p>
        <MouDocument proposalId={proposal.id} sections={data.preview} headingLevel={4} />
      </section>
    );
  }
  return (
    <section className="panel">
      <p className="muted">No MOU was drafted for this proposal.</p>
    </section>
  );
}

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

function Editor({
  data,
  state,
  errors,
  formError,
  compare,
}: {
  data: LoaderData;
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
    <Form method="post" {...getFormProps(form)} className="mou-editor" aria-labelledby="editor-title">
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
              <textarea {...getTextareaProps(sf.body)} rows={Math.min(12, Math.max(3, Math.ceil(section.body.length / 90)))} />
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
          <textarea {...getTextareaProps(fields.note)} rows={2} aria-describedby={`${fields.note.id}-hint`} />
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
          <textarea {...getTextareaProps(f.reason)} rows={2} />
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
        <textarea {...getTextareaProps(f.text)} rows={Math.min(8, Math.max(2, Math.ceil(clause.text.length / 90)))} aria-describedby={describedBy} />
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

// ---- MOU not needed, and submitting ----

function NotNeededForm({
  proposalId,
  version,
  prominent,
  lastResult,
}: {
  proposalId: number;
  version: number;
  prominent: boolean;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm<{ reason: string; version: number; intent: string }>({ id: 'mou-not-needed', lastResult, shouldValidate: 'onSubmit' });
  const content = (
    <Form method="post" {...getFormProps(form)} action={`/proposals/${proposalId}/steps/mou`}>
      {form.errors ? (
        <div className="alert alert--bad" role="alert" id={form.errorId}>
          {form.errors.join(' ')}
        </div>
      ) : null}
      <input type="hidden" name="version" value={version} />
      <div className="field">
        <label htmlFor={fields.reason.id}>Why is no MOU needed?</label>
        <span className="hint" id={`${fields.reason.id}-hint`}>
          For example: a one-off listing of the organization as co-sponsor, with no shared speakers, materials, funds or logo use. Staff can
          still require an MOU.
        </span>
        <textarea
          {...getTextareaProps(fields.reason)}
          rows={3}
          aria-describedby={[`${fields.reason.id}-hint`, fields.reason.errors ? fields.reason.errorId : null].filter(Boolean).join(' ')}
        />
        <FieldError id={fields.reason.errorId} errors={fields.reason.errors} />
      </div>
      <button type="submit" name="intent" value="not-needed" className="button button--secondary">
        Record “MOU not needed” and send to staff
      </button>
    </Form>
  );
  if (prominent) {
    return (
      <section className="panel" aria-labelledby="not-needed-title" data-testid="mou-not-needed">
        <h3 id="not-needed-title">A small one-off co-listing may not need an MOU</h3>
        <p>
          This proposal is a co-listing. If the organization is only listed as a co-sponsor of a one-off event, you may record that no MOU is
          needed, with your reason, instead of drafting one.
        </p>
        {content}
      </section>
    );
  }
  return (
    <details className="panel" data-testid="mou-not-needed" open={Boolean(lastResult)}>
      <summary>This collaboration needs no MOU?</summary>
      <p className="small muted">Allowed for any kind of co-sponsorship, with a reason; staff can still require an MOU.</p>
      {content}
    </details>
  );
}

function SubmitForm({
  proposalId,
  version,
  mouVersion,
  lastResult,
}: {
  proposalId: number;
  version: number;
  mouVersion: number;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form] = useForm<{ version: number; baseVersion: number; intent: string }>({ id: 'mou-submit', lastResult, shouldValidate: 'onSubmit' });
  return (
    <section className="panel" aria-labelledby="submit-title">
      <h3 id="submit-title">Submit the MOU to staff</h3>
      <Form method="post" {...getFormProps(form)} action={`/proposals/${proposalId}/steps/mou`}>
        {form.errors ? (
          <div className="alert alert--bad" role="alert" id={form.errorId}>
            {form.errors.join(' ')}
          </div>
        ) : null}
        <input type="hidden" name="version" value={version} />
        <input type="hidden" name="baseVersion" value={mouVersion} />
        <p>
          Submits version {mouVersion} as saved, and sends the proposal to staff for review. Save your edits above first.
        </p>
        <button type="submit" name="intent" value="submit" className="button button--good">
          Submit MOU version {mouVersion} to staff
        </button>
      </Form>
    </section>
  );
}
