// Editing the event details of a draft (before it is submitted for vetting).
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { EventFields } from '../features/vetting/event-fields';
import { FormAlerts, STALE_NOTE } from '../features/vetting/proposal-form';
import { eventSchema } from '../features/vetting/proposal-forms.server';
import { campaignOptions, editDraftDetails } from '../features/vetting/proposals.server';
import { actingUser, requireProposal } from '../utils/auth.server';
import { isDraft } from '../../workflows/policy';
import { redirectWithFlash } from '../utils/session.server';

export const handle = { proposalHeader: true };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { proposal } = await requireProposal(request, params.id, 'proposal.edit');
  return json({
    proposal: {
      id: proposal.id,
      state: proposal.state,
      version: proposal.version,
      eventTitle: proposal.event_title,
      eventDate: proposal.event_date,
      eventPlace: proposal.event_place,
      eventDescription: proposal.event_description,
      kind: proposal.kind,
      campaignId: proposal.campaign_id,
    },
    campaigns: campaignOptions(),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.edit');
  const submission = parseWithZod(await request.formData(), { schema: eventSchema });
  const values = submission.payload as Record<string, unknown>;
  if (submission.status !== 'success') {
    return json({ values, errors: submission.error ?? {}, formError: null as string | null, stale: false }, { status: 400 });
  }
  const result = editDraftDetails(actingUser(user), proposal, submission.value);
  if (!result.ok && result.kind === 'not_draft') {
    return json({ values, errors: {}, formError: 'Only a draft’s details can be edited: this proposal is already being vetted.', stale: false }, { status: 409 });
  }
  if (!result.ok && result.kind === 'unknown_campaign') {
    return json({ values, errors: { campaignId: ['Choose one of the campaigns.'] }, formError: null, stale: false }, { status: 400 });
  }
  if (!result.ok) return json({ values, errors: {}, formError: null, stale: true }, { status: 409 });
  return redirectWithFlash(`/proposals/${proposal.id}`, { kind: 'success', message: 'Details saved.' });
}

export default function EditProposal() {
  const { proposal, campaigns } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  if (!isDraft(proposal.state)) {
    return (
      <section className="panel">
        <h2>Details can no longer be edited</h2>
        <p>Once a proposal is submitted for vetting its details are part of the record.</p>
        <Link to={`/proposals/${proposal.id}`}>Back to the proposal</Link>
      </section>
    );
  }
  return (
    <Form method="post" className="stack panel" noValidate aria-labelledby="edit-title">
      <h2 id="edit-title">Edit the event details</h2>
      <FormAlerts stale={actionData?.stale} staleNote={STALE_NOTE} formError={actionData?.formError} errors={actionData?.errors} />
      <input type="hidden" name="version" value={proposal.version} />
      <EventFields values={(actionData?.values as Record<string, unknown> | undefined) ?? proposal} errors={actionData?.errors} campaigns={campaigns} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
          Save details
        </button>
        <Link to={`/proposals/${proposal.id}`} className="button button--secondary">
          Cancel
        </Link>
      </div>
    </Form>
  );
}
