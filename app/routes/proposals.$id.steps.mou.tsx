// Step 5: the MOU. The lead edits and saves versions, or says none is needed; then submits it to staff.
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Editor } from '../features/mou/step/editor';
import { NotNeededForm, SubmitForm } from '../features/mou/step/forms';
import { ReadOnly } from '../features/mou/step/read-only';
import { mouNotNeededSchema, mouEditorSchema, mouSaveSchema, mouSubmitSchema } from '../features/mou/mou-forms.server';
import {
  applyEditorIntent,
  editorStateFromForm,
  initialEditorState,
  mouStepPage,
  mouVersion,
  newEditorKey,
  requiredMouClauses,
  saveEditedMou,
  type EditorState,
} from '../features/mou/mou.server';
import { decide } from '../features/vetting/vetting.server';
import { actingUser, requireProposal } from '../utils/auth.server';
import { statusOf } from '../utils/errors.server';
import { redirectWithFlash } from '../utils/session.server';
import { isAtMouStep } from '../../workflows/policy';

export const handle = { proposalHeader: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `MOU · ${data.proposal.reference} · Cosponsor` : 'MOU · Cosponsor' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.view');
  return json(mouStepPage(actingUser(user), proposal));
}

type EditorReply = {
  form: 'editor';
  key: string;
  state: EditorState;
  errors: Record<string, string[]>;
  formError: string | null;
  compare: { from: number; to: number } | null;
};

const newKey = () => newEditorKey();

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.edit');
  const actor = actingUser(user);
  const formData = await request.formData();
  // One page, three forms: the editor's schema reads any of them leniently, and its payload says which was sent.
  const lenient = parseWithZod(formData, { schema: mouEditorSchema });
  const intent = String(lenient.payload.intent ?? '');
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

  const saved = saveEditedMou(proposal.id, actor, state);
  if (!saved.ok) {
    const reply: EditorReply = { form: 'editor', key: newKey(), state: saved.state, errors: saved.errors, formError: saved.message, compare: saved.compare };
    return json(reply, { status: statusOf(saved) });
  }
  return redirectWithFlash(here, {
    kind: 'success',
    message: saved.reopened
      ? `Version ${saved.version} of the MOU saved. The approval is void: the proposal is back with staff for review.`
      : `Version ${saved.version} of the MOU saved.`,
  });
}

// ---------------------------------------------------------------------------


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

  // A reply to a form this page no longer shows (another tab moved the proposal on meanwhile):
  // its reason would be lost with the form, so it shows above the page instead.
  const shownForm = { editor: Boolean(data.canEdit && editorState), 'not-needed': Boolean(notNeeded), submit: Boolean(data.canSubmit && data.latest) };
  const unshownRefusal =
    !actionData || shownForm[actionData.form]
      ? []
      : editorReply
        ? [editorReply.formError ?? ''].filter(Boolean)
        : 'result' in actionData
          ? Object.values(actionData.result.error ?? {}).flatMap((messages) => messages ?? [])
          : [];

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

      {unshownRefusal.length > 0 ? (
        <div className="alert alert--bad" role="alert" data-testid="mou-refusal">
          <h3>Not done</h3>
          {unshownRefusal.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      ) : null}

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
