// The home of one proposal: what to do next, the details, and the decision record.
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useRouteLoaderData } from '@remix-run/react';
import { AgendaMap } from '../components/agenda-map';
import { HeatMap } from '../components/heat-map';
import { Timeline } from '../components/timeline';
import { EventDatePassed } from '../features/vetting/event-date-notice';
import { submitProposalSchema } from '../features/vetting/proposal-forms.server';
import { decide } from '../features/vetting/vetting.server';
import { actingUser, requireProposal } from '../utils/auth.server';
import { statusOf } from '../utils/errors.server';
import { formatDate, formatDateTime, kindLabel, outcomeLabel, stepLabel, publicPositionLabel } from '../utils/labels';
import { redirectWithFlash } from '../utils/session.server';
import type { ProposalLayoutData } from './proposals.$id';
import { isApproved, isDraft, isInReview, isRejected, isWithdrawn } from '../../workflows/policy';

export const handle = { proposalHeader: true, partnerPrecedent: true };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.edit');
  const submission = parseWithZod(await request.formData(), { schema: submitProposalSchema });
  if (submission.status !== 'success') {
    const error = Object.values(submission.error ?? {}).flat()[0] ?? 'Unknown action.';
    return json({ error }, { status: 400 });
  }
  const result = decide({
    proposalId: proposal.id,
    expectedVersion: submission.value.version,
    actor: actingUser(user),
    command: { type: 'SUBMIT_PROPOSAL' },
  });
  if (!result.ok) {
    const message =
      result.error.kind === 'stale'
        ? 'This proposal was changed after you opened this page, by someone else or by you in another tab. Check the details below, then submit again.'
        : result.error.message;
    return json({ error: message }, { status: statusOf(result.error) });
  }
  return redirectWithFlash(`/proposals/${proposal.id}/steps/values`, {
    kind: 'success',
    message: 'Submitted for vetting. First step: the values check.',
  });
}

export default function ProposalHome() {
  const data = useRouteLoaderData<ProposalLayoutData>('routes/proposals.$id');
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  if (!data) return null;
  const { view } = data;
  const p = view.proposal;
  const editable = view.viewer?.canEdit ?? false;
  const current = view.currentStep;
  const busy = navigation.state === 'submitting';

  return (
    <div className="proposal-home">
      {actionData && 'error' in actionData ? (
        <div className="alert alert--bad" role="alert">
          {actionData.error}
        </div>
      ) : null}

      {isApproved(p.state) || isRejected(p.state) || isWithdrawn(p.state) ? null : <EventDatePassed eventDate={p.event_date} />}

      <section className="panel next-action" aria-labelledby="next-title">
        <h2 id="next-title">What happens next</h2>
        {isDraft(p.state) ? (
          editable ? (
            <>
              <p>This proposal is a draft. Check the details, then submit it: the five vetting steps start with the values check.</p>
              <div className="form-actions">
                <Form method="post" className="inline-form">
                  <input type="hidden" name="version" value={p.version} />
                  <button type="submit" name="intent" value="submit" className="button" disabled={busy}>
                    Submit for vetting
                  </button>
                </Form>
                <Link to={`/proposals/${p.id}/edit`} className="button button--secondary">
                  Edit details
                </Link>
              </div>
            </>
          ) : (
            <p>A draft: the chapter lead has not submitted it for vetting yet.</p>
          )
        ) : current ? (
          editable ? (
            <>
              <p>
                {view.returnedTo === current
                  ? `Staff sent this proposal back to ${stepLabel(current)}. Fix it and resubmit; the steps after it follow again.`
                  : `Next step: ${stepLabel(current)}.`}
              </p>
              <Link to={`/proposals/${p.id}/steps/${current}`} className="button cta">
                {view.returnedTo === current ? `Fix ${stepLabel(current)}` : `Continue: ${stepLabel(current)}`}
                <span aria-hidden="true"> →</span>
              </Link>
            </>
          ) : (
            <p>Vetting in progress: the chapter lead is on {stepLabel(current)}.</p>
          )
        ) : isInReview(p.state) ? (
          <p>
            Every step is complete{p.submitted_at ? ` (since ${formatDateTime(p.submitted_at)})` : ''}. Staff will approve, reject or
            ask for changes.
          </p>
        ) : isApproved(p.state) ? (
          <div className="approval">
            <p>
              <strong>Approved{p.approved_until ? ` until ${formatDate(p.approved_until)}` : ''}</strong>
              {view.expiredAsOf ? <strong> (expired as of {formatDate(view.expiredAsOf)})</strong> : null}
              {view.approval ? ` by ${view.approval.actorName}, ${formatDateTime(view.approval.at)}.` : '.'}
            </p>
            {view.approval && view.approval.conditions.length > 0 ? (
              <>
                <h3>Conditions of the approval</h3>
                <ol className="conditions">
                  {view.approval.conditions.map((c) => (
                    <li key={c} dir="auto">
                      {c}
                    </li>
                  ))}
                </ol>
              </>
            ) : (
              <p className="muted">No conditions were attached.</p>
            )}
          </div>
        ) : view.closing ? (
          // Who closed it, when and why, and the one way on: a new proposal, which keeps this one as precedent.
          <>
            <p>
              <strong>{view.closing.outcome === 'rejected' ? 'Rejected' : 'Withdrawn'}</strong> by {view.closing.actorName}, {formatDateTime(view.closing.at)}
              {view.closing.rationale ? ':' : '.'}
            </p>
            {view.closing.rationale ? (
              <p className="change-request__rationale" dir="auto">
                “{view.closing.rationale}”
              </p>
            ) : null}
            <p className="small">
              A closed proposal cannot be resumed. To try again, start a new proposal with the same partner
              {view.closing.outcome === 'rejected' ? ': staff will see this decision as precedent.' : ' (its history is kept).'}
            </p>
          </>
        ) : (
          <p>{isWithdrawn(p.state) ? 'Withdrawn.' : isRejected(p.state) ? 'Rejected.' : 'Expired: the partnership needs re-vetting.'}</p>
        )}
        <p className="small">
          <Link to={`/proposals/${p.id}/partner`}>
            {view.viewer?.canAskPartner ? 'The partner’s own answers: ask for them, or read them' : 'The partner’s own answers: read them'}
          </Link>
        </p>
        {view.viewer?.canWithdraw ? (
          <p className="small withdraw-link">
            <Link to={`/proposals/${p.id}/withdraw`}>Withdraw this proposal…</Link>
          </p>
        ) : null}
      </section>

      <div className="grid-2">
        <section className="panel" aria-labelledby="details-title">
          <h2 id="details-title">Event</h2>
          <dl className="facts">
            <dt>Reference</dt>
            <dd className="mono">{p.reference}</dd>
            <dt>Title</dt>
            <dd dir="auto">{p.event_title}</dd>
            <dt>Date</dt>
            <dd>{formatDate(p.event_date)}</dd>
            <dt>Place</dt>
            <dd dir="auto">{p.event_place}</dd>
            <dt>Co-sponsorship</dt>
            <dd>{kindLabel(p.kind)}</dd>
            <dt>Campaign</dt>
            <dd>{p.campaign_name}</dd>
            <dt>Chapter</dt>
            <dd>{p.chapter_name}</dd>
            <dt>Proposed by</dt>
            <dd>
              {p.proposer_name}, {formatDate(p.created_at)}
            </dd>
          </dl>
          <p className="pre-line" dir="auto">
            {p.event_description}
          </p>
        </section>
        <section className="panel" aria-labelledby="partner-title">
          <h2 id="partner-title">Partner</h2>
          <dl className="facts">
            <dt>Name</dt>
            <dd dir="auto">{view.partner.name}</dd>
            <dt>Website</dt>
            <dd>{view.partner.website ? <a href={view.partner.website}>{view.partner.website}</a> : '—'}</dd>
            <dt>Country</dt>
            <dd>{view.partner.country || '—'}</dd>
            <dt>Public positions</dt>
            <dd>{view.partner.publicPositions.length ? view.partner.publicPositions.map(publicPositionLabel).join(', ') : 'None recorded'}</dd>
          </dl>
          <p className="pre-line" dir="auto">
            {view.partner.description}
          </p>
        </section>
      </div>

      {view.submissions.length > 0 ? (
        <section className="panel" aria-labelledby="results-title">
          <h2 id="results-title">Step results</h2>
          <ul className="step-results">
            {view.submissions.map((s) => (
              <li key={s.step}>
                <strong>{stepLabel(s.step)}:</strong> {outcomeLabel(s.outcome)}
                {s.summary ? <span className="muted"> · {s.summary}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {view.agendaItems.length > 0 ? (
        <section className="panel" aria-labelledby="agenda-title">
          <h2 id="agenda-title">Agenda mapping</h2>
          <AgendaMap items={view.agendaItems} />
        </section>
      ) : null}

      {view.riskItems.length > 0 ? (
        <section className="panel" aria-labelledby="risk-title">
          <h2 id="risk-title">Risks and benefits</h2>
          <HeatMap
            items={view.riskItems}
            likelihoodLabels={view.riskMatrix.likelihoodLabels}
            impactLabels={view.riskMatrix.impactLabels}
            bands={view.riskMatrix.bands}
          />
        </section>
      ) : null}

      <section className="panel" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Decision record</h2>
        <p className="small muted">Every step and decision, oldest first. Records are never changed; a correction is a new record.</p>
        <Timeline records={view.records} />
      </section>
    </div>
  );
}
