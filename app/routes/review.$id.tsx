import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { AgendaSection } from '../features/review/dossier/agenda';
import { DecisionSection } from '../features/review/dossier/decision';
import { DecisionFailure } from '../features/review/dossier/facts';
import { dossierPage } from '../features/review/dossier/dossier-page.server';
import { htmlOnce } from '../components/server-markup.server';
import type { Failure } from '../features/review/dossier/parts';
import { ServerMarkup } from '../components/server-markup';
import { Tag } from '../components/forms';
import { ClaimControl } from '../features/review/claim-control';
import { claimPanel } from '../features/review/claims.server';
import { Stepper } from '../components/stepper';
import { decideReviewForm, invalidReviewForm, reviewFormSchema, typedValues } from '../features/review/review-forms.server';
import { todayUtc } from '../jobs/expiry.server';
import { refreshScreeningBeforeDecision } from '../features/review/review.server';
import { actingUser, notFound, requirePermission, requireProposal } from '../utils/auth.server';
import { formatDateTime, kindLabel, stateLabel, stateTone } from '../utils/labels';
import { redirectWithFlash } from '../utils/session.server';
import { statusOf } from '../utils/errors.server';

// The dossier staff decide on: every step as recorded, the screening, the record, and the decision forms.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Review ${data.dossier.view.proposal.reference} · Cosponsor` : 'Review · Cosponsor' },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'review.queue');
  const today = todayUtc();
  const { proposal } = await requireProposal(request, params.id);
  // Reading the dossier writes nothing: screening runs on a schedule (server.ts) and before a decision (the action).
  // The precedent lists a few proposals; "show all" is a plain link (?precedent=all), so it works without JavaScript.
  const allPrecedent = new URL(request.url).searchParams.get('precedent') === 'all';
  // Kept until the next write to the database, for this viewer only (dossier-page.server.ts).
  const page = dossierPage(proposal.id, actingUser(user), today, { allPrecedent });
  if (!page) notFound('This proposal');
  // The read-only sections arrive as HTML: their components stay out of the page's JavaScript,
  // and the data they show is not sent again (a first load sends the HTML once, in the page).
  const { data, markup } = page!;
  return json({
    dossier: data,
    markup: {
      beforeAgenda: htmlOnce(context, 'dossier-before-agenda', markup.beforeAgenda),
      agendaPrecedent: htmlOnce(context, 'dossier-agenda-precedent', markup.agendaPrecedent),
      afterAgenda: htmlOnce(context, 'dossier-after-agenda', markup.afterAgenda),
    },
    claim: claimPanel(proposal.id, actingUser(user)),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'review.queue');
  const { proposal } = await requireProposal(request, params.id);
  // Screen again before acting when the last check is old (bounded by the timeout; never blocks deciding):
  // new hits then need an acknowledgement before the decision goes through.
  await refreshScreeningBeforeDecision(proposal);
  const submission = parseWithZod(await request.formData(), { schema: reviewFormSchema(todayUtc()) });
  const result =
    submission.status === 'success'
      ? decideReviewForm(proposal.id, actingUser(user), submission.value)
      : invalidReviewForm(proposal.id, submission.error, submission.payload);
  if (!result.ok) {
    const status = statusOf(result);
    return json({ ...result, status, values: typedValues(submission.payload) }, { status });
  }
  const final = result.intent === 'approve' || result.intent === 'reject' || result.intent === 'request_changes';
  return redirectWithFlash(final ? '/review' : `/review/${proposal.id}`, { kind: 'success', message: result.message });
}

export default function DossierPage() {
  const { dossier, markup, claim } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as Failure | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const { view } = dossier;
  const p = view.proposal;
  const steps = view.steps.map((s) => ({ ...s, href: `#step-${s.step}` }));

  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link to="/review">← Review queue</Link>
          </p>
          <h1 dir="auto">{p.event_title}</h1>
          <p>
            {p.reference} · {kindLabel(p.kind)} with{' '}
            <Link to={`/partners/${view.partner.id}`}>
              <strong dir="auto">{view.partner.name}</strong>
            </Link>{' '}
            · {p.chapter_name} · {p.campaign_name}
          </p>
          <p className="row small">
            <Link to={`/partners/${view.partner.id}`}>Partner page</Link>
            <Link to={`/proposals/${p.id}/record`}>Decision record</Link>
          </p>
          {claim.inReview ? (
            <div className="small" aria-label="Who is reviewing this" role="group">
              <ClaimControl
                proposalId={p.id}
                title={p.event_title}
                claim={claim.claim}
                mayClaim={claim.mayClaim}
                back="dossier"
                busy={busy}
                since={claim.claim ? formatDateTime(claim.claim.since) : ''}
              />
            </div>
          ) : null}
        </div>
        <div className="row">
          <Tag tone={stateTone(p.state)}>{stateLabel(p.state)}</Tag>
          {p.recommend_reject ? <Tag tone="bad">Recommend reject</Tag> : null}
          <a className="button button--secondary" href="#decision">
            Go to the decision
          </a>
        </div>
      </div>

      <DecisionFailure failure={failure} />

      <Stepper steps={steps} />
      <ServerMarkup html={markup.beforeAgenda} />
      <AgendaSection dossier={dossier} precedent={markup.agendaPrecedent} failure={failure} busy={busy} />
      <ServerMarkup html={markup.afterAgenda} />
      <DecisionSection dossier={dossier} failure={failure} busy={busy} />
    </>
  );
}
