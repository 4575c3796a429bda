// The POST of a rated step page (values, agenda, risk, perception): the proposal as
// the user may edit it, the form parsed with the step's schema, then the step's
// services (save draft, row edits, submit) and the reply or redirect.
import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { json, type ActionFunctionArgs } from '@remix-run/node';
import type { z } from 'zod';
import { isAtStep, isInReview } from '../../../workflows/policy';
import type { Proposal } from '../../../db/schema';
import type { ActingUser } from '../../../workflows/policy';
import { draftSavedAt, readTyped, saveDraft, submitStep, type FormStep, type StepTypedValues } from './proposals.server';
import { actingUser, requireProposal } from '../../utils/auth.server';
import { statusOf } from '../../utils/errors.server';
import { formatDateTime, outcomeLabel, stateLabel, stepLabel } from '../../utils/labels';
import { redirectWithFlash } from '../../utils/session.server';
import { MAX_AGENDA_ITEMS, MAX_RISK_ITEMS } from './step-forms.server';
import { formKey } from './step-forms';
import { attachmentProblems, readStepForm } from '../attachments/attachments.server';
import { positiveWholeNumber } from '../../utils/whole-number';

export type StepActionData<S extends FormStep = FormStep> = {
  values: StepTypedValues[S];
  errors: Record<string, string[]>;
  formError: string | null;
  stale: boolean;
  notice: string | null;
  /** Changes on every answer, so the (uncontrolled) form re-mounts with these values. */
  nonce: number;
  focus: string | null;
  /** The answer as conform's lastResult: its value becomes what the form holds. */
  result: SubmissionResult;
};

function draftTooLong(step: FormStep, values: StepTypedValues[FormStep]): string | null {
  const items = 'items' in values ? values.items.length : 0;
  if (step === 'agenda' && items > MAX_AGENDA_ITEMS) return `At most ${MAX_AGENDA_ITEMS} agenda items.`;
  if (step === 'risk' && items > MAX_RISK_ITEMS) return `At most ${MAX_RISK_ITEMS} items.`;
  return null;
}

type Parsed<V> = { status: 'success'; value: V } | { status: 'error' | undefined; error: Record<string, string[] | null> | null | undefined };

type EditRows<S extends FormStep> = (
  values: StepTypedValues[S],
  intent: string,
  payload: Record<string, unknown>,
) => { values: StepTypedValues[S]; notice: string; focus: string | null } | null;

/** A row added or removed by one of conform's list intents (the row's index after the edit, or the removed one). */
type RowEdit = { type: 'insert' | 'remove'; index: number };
type Render<S extends FormStep> = (
  values: StepTypedValues[S],
  errors: Record<string, string[]>,
  context: { user: ActingUser; proposal: Proposal },
) => Record<string, unknown>;

type RowNotice<S extends FormStep> = (edit: RowEdit, values: StepTypedValues[S]) => { notice: string; focus: string | null };

/** conform's insert/remove intent on the `items` list, if that is what was sent. */
function rowEditOf(intent: unknown, payload: Record<string, unknown>): RowEdit | null {
  if (!intent || typeof intent !== 'object' || !('type' in intent) || !('payload' in intent)) return null;
  const { type } = intent;
  const listPayload = intent.payload as { name?: unknown; index?: unknown };
  if ((type !== 'insert' && type !== 'remove') || listPayload.name !== 'items') return null;
  if (type === 'remove') return { type, index: Number(listPayload.index) };
  // conform has already inserted it: at the index given, else at the end.
  const items = Array.isArray(payload.items) ? payload.items : [];
  return { type, index: typeof listPayload.index === 'number' ? listPayload.index : items.length - 1 };
}

/** conform's remove intent on an item's list of files (`ratings.x.attachments`, `items[2].attachments`). */
function isAttachmentRemoval(intent: unknown): boolean {
  if (!intent || typeof intent !== 'object' || !('type' in intent) || !('payload' in intent)) return false;
  const name = (intent.payload as { name?: unknown }).name;
  return intent.type === 'remove' && typeof name === 'string' && name.endsWith('.attachments');
}

/**
 * One step form's POST. Rows are added and removed with conform's list intents
 * (plain submit buttons, so no JavaScript is needed); `intent` is save-draft | check |
 * search-* | submit. Row edits and checks re-render with the typed values (and save
 * a draft); a submit runs the decision service; any refusal re-renders with
 * everything typed kept.
 */
async function stepAction<S extends FormStep, V>(args: {
  request: Request;
  user: ActingUser;
  proposal: Proposal;
  step: S;
  submission: Parsed<V> & { payload: Record<string, unknown> };
  editRows?: EditRows<S>;
  rowEdit: RowEdit | null;
  rowNotice?: RowNotice<S>;
  /** Fields the page echoes back with every reply (e.g. the agenda's catalog search). */
  echo?: Record<string, unknown>;
  /** Files sent with the form: refusals by file field, and how many were attached. */
  uploads?: { errors: Record<string, string[]>; status: number | null; attached: number; removed: boolean; fileInTextField: boolean };
  /** Parts of the page rendered on the server from each reply's values and messages. */
  render?: Render<S>;
}): Promise<Response> {
  const { request, user, proposal, step, submission } = args;
  const { payload } = submission;
  const { rowEdit } = args;
  const intent = rowEdit ? 'edit-rows' : typeof payload.intent === 'string' ? payload.intent : 'submit';
  let values = readTyped(step, payload);
  const reply = (data: Partial<StepActionData<S>>, status = 200) =>
    json(
      {
        ...args.echo,
        ...args.render?.(values, data.errors ?? {}, { user, proposal }),
        ...({
          values,
          errors: {},
          formError: null,
          stale: false,
          notice: null,
          focus: null,
          nonce: Date.now(),
          result: { initialValue: values as unknown as SubmissionResult['initialValue'] },
          ...data,
        } satisfies StepActionData<S>),
      },
      { status },
    );

  // The version the page was read at, in digits. Any other spelling (or none) is no version a
  // page writes: a form that could not be read, not a change by someone else.
  const version = typeof payload.version === 'string' ? positiveWholeNumber(payload.version) : null;
  const uploads = args.uploads ?? { errors: {}, status: null, attached: 0, removed: false, fileInTextField: false };
  const editsRows = rowEdit !== null || intent.startsWith('search-') || uploads.removed || intent === 'attach';
  if (intent === 'submit') {
    if (version === null) {
      return reply(
        {
          formError:
            'This form could not be read: the version of the proposal it was opened at is missing or not a number. Nothing was submitted. Your input is kept below: submit it again from here, or reload the page.',
          focus: 'form-alert',
        },
        400,
      );
    }
    // A submit against an older version is stale, whatever the proposal's state is now.
    if (version !== proposal.version) return reply({ stale: true, focus: 'form-alert' }, 409);
  }
  if (proposal.state !== step && (intent === 'submit' || intent === 'save-draft' || editsRows)) {
    return reply(
      { formError: `This step is not open: the proposal is now at “${stateLabel(proposal.state)}”. Your input is shown below but was not saved.` },
      409,
    );
  }
  // Every answer but a submit saves the form as the step's draft: a draft saved after this page
  // was opened (another tab, another lead of the chapter) is never replaced unseen. The refusal's
  // page shows that draft's time, so saving again from it replaces the draft knowingly.
  const seenDraft = payload.draftSeen;
  const storedDraft = intent === 'submit' || typeof seenDraft !== 'string' ? null : draftSavedAt(proposal.id, step);
  if (storedDraft !== null && storedDraft !== seenDraft) {
    return reply(
      {
        formError: `This step’s draft was saved after you opened this page (${formatDateTime(storedDraft)}). Your input is shown below but was not saved: save again to replace that draft with it, or reload the page to see that draft.`,
        focus: 'form-alert',
      },
      409,
    );
  }
  // A refused file: nothing saved; the page answers beside the file field with everything else kept
  // (files attached in the same post are already rows of the form, so they are kept too).
  if (Object.keys(uploads.errors).length > 0) {
    return reply(
      {
        errors: uploads.errors,
        formError: uploads.fileInTextField
          ? 'A file was sent where the form takes text (see the message beside it); nothing was saved. Everything else you entered is kept below.'
          : 'A file was not attached (see the message beside it); nothing was saved. Everything else you entered is kept below: choose a file again to attach one.',
        focus: 'form-alert',
      },
      uploads.status ?? 400,
    );
  }
  if (uploads.removed) {
    saveDraft(proposal.id, step, values, user);
    return reply({ notice: 'The file was removed from the list (it stays stored for any record that cites it). Draft saved.' });
  }
  if (intent === 'attach') {
    if (uploads.attached === 0) return reply({ formError: 'Choose a file to attach first (the “Choose file” button beside the item).', focus: 'form-alert' }, 400);
    saveDraft(proposal.id, step, values, user);
    const files = uploads.attached === 1 ? 'The file was attached' : `${uploads.attached} files were attached`;
    return reply({ notice: `${files}: check its effective date. Draft saved.` });
  }
  // A draft is stored only if the form could take it back: never more rows than the form allows.
  const tooLong = draftTooLong(step, values);
  if (tooLong && (intent === 'save-draft' || rowEdit?.type === 'insert')) return reply({ formError: `${tooLong} Nothing was saved.`, focus: 'form-alert' }, 400);
  if (intent === 'save-draft') {
    saveDraft(proposal.id, step, values, user);
    return redirectWithFlash(new URL(request.url).pathname, { kind: 'success', message: 'Draft saved. You can come back to it later.' });
  }
  if (intent === 'check') {
    // Checking the outcome keeps the work: it is saved as the draft whenever the step is open.
    if (proposal.state !== step || tooLong) return reply({ notice: 'Outcome updated from your answers (not yet submitted).', focus: 'outcome' });
    saveDraft(proposal.id, step, values, user);
    return reply({ notice: 'Outcome updated from your answers (not yet submitted). Draft saved.', focus: 'outcome' });
  }
  if (rowEdit && args.rowNotice) {
    // conform has already applied the edit to what was sent.
    saveDraft(proposal.id, step, values, user);
    const { notice, focus } = args.rowNotice(rowEdit, values);
    return reply({ notice: `${notice} Draft saved.`, focus });
  }
  const edited = args.editRows?.(values, intent, payload);
  const editedTooLong = edited ? draftTooLong(step, edited.values) : null;
  if (editedTooLong) return reply({ formError: `${editedTooLong} Remove a row first.`, focus: 'form-alert' }, 400);
  if (edited) {
    values = edited.values;
    saveDraft(proposal.id, step, values, user);
    return reply({ notice: `${edited.notice} Draft saved.`, focus: edited.focus });
  }
  if (intent !== 'submit') return reply({ formError: 'Unknown action.' }, 400);

  if (submission.status !== 'success') {
    const errors = Object.fromEntries(Object.entries(submission.error ?? {}).filter(([, v]) => v && v.length)) as Record<string, string[]>;
    return reply({ errors, formError: 'Nothing was submitted: fix the fields marked below.', focus: 'form-alert' }, 400);
  }
  // The file rows came back through the form: each must still be the stored file it claims to be.
  const fileProblems = await attachmentProblems(submission.value, (path, index) => `${formKey(path.join('.'))}.attachments[${index}]`);
  if (Object.keys(fileProblems).length > 0) {
    return reply({ errors: fileProblems, formError: 'Nothing was submitted: a listed file is not in the file store as listed.', focus: 'form-alert' }, 400);
  }
  // The version the page was read at: a submit gets here only when it was sent and is this one.
  const result = submitStep(proposal.id, proposal.version, user, step, submission.value);
  if (!result.ok) {
    if (result.kind === 'stale') return reply({ stale: true, focus: 'form-alert' }, 409);
    return reply(
      { errors: result.fieldErrors, formError: result.message, focus: 'form-alert' },
      statusOf(result),
    );
  }
  const next = isAtStep(result.state) ? `/proposals/${proposal.id}/steps/${result.state}` : `/proposals/${proposal.id}`;
  const then = isAtStep(result.state)
    ? ` Next: ${stepLabel(result.state)}.`
    : isInReview(result.state)
      ? ' The proposal is now with staff.'
      : '';
  return redirectWithFlash(next, { kind: 'success', message: `${stepLabel(step)} submitted: ${outcomeLabel(result.outcome)}.${then}` });
}


export async function stepFormAction<S extends FormStep, Schema extends z.ZodType>(
  { request, params }: ActionFunctionArgs,
  step: S,
  form: {
    /** Called once the form is read: some schemas follow the active configuration. */
    schema: () => Schema;
    editRows?: EditRows<S>;
    /** What to say, and where to move focus, after a row was added or removed. */
    rowNotice?: RowNotice<S>;
    echo?: (payload: Record<string, unknown>) => Record<string, unknown>;
    render?: Render<S>;
  },
): Promise<Response> {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.edit');
  let intent: unknown = null;
  const read = await readStepForm(request);
  if (!read.ok) return json({ formError: read.message }, { status: read.status });
  const submission = parseWithZod(read.formData, {
    schema: (sent) => {
      intent = sent;
      return form.schema();
    },
  });
  const rowEdit = rowEditOf(intent, submission.payload);
  const echo = form.echo?.(submission.payload);
  return stepAction({
    request,
    user: actingUser(user),
    proposal,
    step,
    submission,
    editRows: form.editRows,
    rowEdit,
    rowNotice: form.rowNotice,
    echo,
    render: form.render,
    uploads: { errors: read.uploadErrors, status: read.uploadStatus, attached: read.attached, removed: isAttachmentRemoval(intent), fileInTextField: read.fileInTextField },
  });
}
