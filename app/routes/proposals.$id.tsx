// Layout of one proposal: its heading, the change request (when staff sent it back)
// and the stepper, above the page of the moment (home or a step). Pages opt in to
// this header with handle.proposalHeader; other pages under /proposals/:id render bare.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, Outlet, useLoaderData, useMatches } from '@remix-run/react';
import { Tag } from '../components/forms';
import { Stepper } from '../components/stepper';
import { PartnerHistoryList } from '../features/vetting/partner-history';
import { proposalView } from '../features/vetting/proposal-view.server';
import { precedentFor } from '../features/vetting/proposals.server';
import { actingUser, notFound, requireProposal } from '../utils/auth.server';
import { formatDate, formatDateTime, kindLabel, stateLabel, stateTone, stepLabel } from '../utils/labels';
import { isChapterLead } from '../../workflows/policy';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.view.proposal.event_title} · ${data.view.proposal.reference} · Cosponsor` : 'Proposal · Cosponsor' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id);
  const actor = actingUser(user);
  const view = proposalView(proposal.id, actor);
  if (!view) notFound('This proposal');
  // What the pages show, not the raw rows: no workflow snapshot, step results as outcome + summary.
  const { workflow: _workflow, ...proposalFields } = view!.proposal;
  const submissions = Object.values(view!.submissions).map((s) => ({
    step: s!.step,
    outcome: s!.outcome,
    submittedAt: s!.submitted_at,
    summary: summaryOf(s!.result),
  }));
  return json({
    view: { ...view!, proposal: proposalFields, submissions },
    isLead: isChapterLead(user),
    // Other proposals with this partner: the viewer's own, and other chapters' decided precedent only.
    precedent: precedentFor(view!.partner.id, actor, proposal.id),
  });
}

function summaryOf(result: unknown): string | null {
  if (result && typeof result === 'object') {
    const r = result as { summary?: unknown; arithmetic?: unknown };
    if (typeof r.summary === 'string') return r.summary;
    if (typeof r.arithmetic === 'string') return r.arithmetic;
  }
  return null;
}

export type ProposalLayoutData = typeof loader;
export const PROPOSAL_LAYOUT_ID = 'routes/proposals.$id';

export default function ProposalLayout() {
  const { view, precedent } = useLoaderData<typeof loader>();
  const matches = useMatches();
  const handles = matches.map((m) => m.handle as { proposalHeader?: boolean; partnerPrecedent?: boolean } | undefined);
  const withHeader = handles.some((h) => h?.proposalHeader);
  // The home and the values step show what became of earlier proposals with this partner.
  const withPrecedent = handles.some((h) => h?.partnerPrecedent) && precedent.length > 0;
  if (!withHeader) return <Outlet />;
  const p = view.proposal;
  const editable = view.viewer?.canEdit ?? false;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb small">
        <Link to="/proposals">Proposals</Link> <span aria-hidden="true">›</span> <span>{p.reference}</span>
      </nav>
      <header className="page-head proposal-head">
        <div>
          <h1>
            <Link to={`/proposals/${p.id}`} className="proposal-head__title" dir="auto">
              {p.event_title}
            </Link>
          </h1>
          <p>
            With <strong dir="auto">{view.partner.name}</strong> · {kindLabel(p.kind)} · {formatDate(p.event_date)} · {p.chapter_name}
          </p>
        </div>
        <div className="row">
          <Tag tone={stateTone(p.state)}>{stateLabel(p.state)}</Tag>
          {p.recommend_reject ? <Tag tone="bad">Recommend reject</Tag> : null}
          {!editable ? <Tag tone="neutral">Read-only</Tag> : null}
        </div>
      </header>
      {view.changeRequest ? (
        <section className="alert alert--warn change-request" aria-labelledby="change-request-title">
          <h2 id="change-request-title">
            Changes requested on {stepLabel(view.changeRequest.step)}
          </h2>
          <p className="change-request__rationale" dir="auto">
            “{view.changeRequest.rationale}”
          </p>
          <p className="small">
            {view.changeRequest.actorName}, {formatDateTime(view.changeRequest.at)}.
            {editable ? (
              <>
                {' '}
                <Link to={`/proposals/${p.id}/steps/${view.changeRequest.step}`}>Fix {stepLabel(view.changeRequest.step)} and resubmit</Link>
              </>
            ) : null}
          </p>
        </section>
      ) : null}
      <Stepper steps={view.steps} />
      {withPrecedent ? (
        <section className="panel precedent" aria-labelledby="precedent-title" data-testid="partner-precedent">
          <h2 id="precedent-title">
            Precedent: other proposals with <bdi>{view.partner.name}</bdi>
          </h2>
          <p className="small muted">
            What became of earlier proposals with this partner. Other chapters’ proposals show only once decided: the outcome, the date
            and the reason.
          </p>
          <PartnerHistoryList history={precedent} />
          <p className="small">
            <Link to={`/partners/${view.partner.id}`}>The partner’s page</Link>
          </p>
        </section>
      ) : null}
      <Outlet />
    </>
  );
}
