// Withdrawing a proposal: a confirmation page with the reason (works without JavaScript).
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { availableEvents, type PersistedVetting } from '../../workflows/machine';
import { FormAlerts, STALE_NOTE, TextArea } from '../features/vetting/proposal-form';
import { withdrawSchema } from '../features/vetting/proposal-forms.server';
import { mapFieldErrors } from '../features/vetting/proposals.server';
import { decide } from '../features/vetting/vetting.server';
import { actingUser, requireProposal } from '../utils/auth.server';
import { stateLabel } from '../utils/labels';
import { statusOf } from '../utils/errors.server';
import { redirectWithFlash } from '../utils/session.server';

export const handle = { proposalHeader: true };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.withdraw');
  const open = availableEvents(JSON.parse(proposal.workflow) as PersistedVetting, actingUser(user), proposal.chapter_id).includes('WITHDRAW');
  return json({ id: proposal.id, version: proposal.version, state: proposal.state, open });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.withdraw');
  const submission = parseWithZod(await request.formData(), { schema: withdrawSchema });
  const values = submission.payload as Record<string, unknown>;
  if (submission.status !== 'success') {
    return json({ values, errors: submission.error ?? {}, formError: null as string | null, stale: false }, { status: 400 });
  }
  const result = decide({
    proposalId: proposal.id,
    expectedVersion: submission.value.version,
    actor: actingUser(user),
    command: { type: 'WITHDRAW', reason: submission.value.reason },
  });
  if (!result.ok) {
    const stale = result.error.kind === 'stale';
    return json(
      { values, errors: mapFieldErrors(result.error.fieldErrors), formError: stale ? null : result.error.message, stale },
      { status: statusOf(result.error) },
    );
  }
  return redirectWithFlash(`/proposals/${proposal.id}`, { kind: 'success', message: 'Proposal withdrawn. The reason is on the record.' });
}

export default function Withdraw() {
  const { id, version, state, open } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  if (!open) {
    return (
      <section className="panel">
        <h2>This proposal can no longer be withdrawn</h2>
        <p>It is {stateLabel(state).toLowerCase()}: only a proposal not yet decided by staff can be withdrawn.</p>
        <Link to={`/proposals/${id}`}>Back to the proposal</Link>
      </section>
    );
  }
  return (
    <Form method="post" className="stack panel" noValidate aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">Withdraw this proposal?</h2>
      <p>
        Withdrawing ends the vetting for good: the proposal and its record stay, but it cannot be resumed. To try again later, start a
        new proposal with the same partner (its history is kept).
      </p>
      <FormAlerts stale={actionData?.stale} staleNote={STALE_NOTE} formError={actionData?.formError} errors={actionData?.errors} />
      <input type="hidden" name="version" value={version} />
      <TextArea
        name="reason"
        label="Reason"
        required
        errors={actionData?.errors}
        defaultValue={typeof actionData?.values?.reason === 'string' ? actionData.values.reason : undefined}
        hint="Recorded in the decision log, visible to staff and reviewers."
      />
      <div className="form-actions">
        <button type="submit" className="button button--danger" disabled={navigation.state === 'submitting'}>
          Withdraw the proposal
        </button>
        <Link to={`/proposals/${id}`} className="button button--secondary">
          Keep it
        </Link>
      </div>
    </Form>
  );
}
