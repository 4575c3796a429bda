// The layout of a proposal's pages: its data, and the header (breadcrumb, title, state, a change request, the stepper) and
// the partner's precedent, rendered to HTML in the layout's loader: they only show data, so
// their components stay out of the JavaScript of every proposal page and step (issue 15's
// 100 KB budget). Links render as the app's <Link>s would, inside a router at the request's URL;
// components/server-markup.tsx follows them in the app.
import type { LoaderFunctionArgs, SerializeFrom } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link } from '@remix-run/react';
import { renderToStaticMarkup } from 'react-dom/server';
import { StaticRouter } from 'react-router-dom/server.js';
import { Tag } from '../../components/forms';
import { Stepper } from '../../components/stepper';
import { formatDate, formatDateTime, kindLabel, stateLabel, stateTone, stepLabel } from '../../utils/labels';
import { PartnerHistoryList } from './partner-history';
import { actingUser, notFound, requireProposal } from '../../utils/auth.server';
import { isChapterLead } from '../../../workflows/policy';
import { precedentFor } from './proposals.server';
import { proposalView, type ProposalView } from './proposal-view.server';

type Precedent = ReturnType<typeof precedentFor>;

function ProposalHeader({ view }: { view: ProposalView }) {
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
    </>
  );
}

function PartnerPrecedent({ view, precedent }: { view: ProposalView; precedent: Precedent }) {
  return (
    <section className="panel precedent" aria-labelledby="precedent-title" data-testid="partner-precedent">
      <h2 id="precedent-title">
        Precedent: other proposals with <bdi>{view.partner.name}</bdi>
      </h2>
      <p className="small muted">
        What became of earlier proposals with this partner. Other chapters’ proposals show only once decided: the outcome, the date
        and the reason.
      </p>
      <PartnerHistoryList history={precedent as SerializeFrom<Precedent>} />
      <p className="small">
        <Link to={`/partners/${view.partner.id}`}>The partner’s page</Link>
      </p>
    </section>
  );
}

/** The header's HTML, and the precedent's (empty when there is none), for the page at `url`. */
export function proposalHeaderMarkup(view: ProposalView, precedent: Precedent, url: string) {
  const render = (element: React.ReactElement) => renderToStaticMarkup(<StaticRouter location={url}>{element}</StaticRouter>);
  return {
    header: render(<ProposalHeader view={view} />),
    precedent: precedent.length > 0 ? render(<PartnerPrecedent view={view} precedent={precedent} />) : '',
  };
}

/** The layout's data: the proposal as its pages show it, the precedent, and the header's HTML. */
export async function proposalLayoutLoader({ request, params }: LoaderFunctionArgs) {
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
  // Other proposals with this partner: the viewer's own, and other chapters' decided precedent only.
  const precedent = precedentFor(view!.partner.id, actor, proposal.id);
  const url = new URL(request.url);
  return json({
    view: { ...view!, proposal: proposalFields, submissions },
    isLead: isChapterLead(user),
    precedent,
    // The header and the precedent arrive as HTML: their components stay out of the pages' JavaScript.
    markup: proposalHeaderMarkup(view!, precedent, `${url.pathname}${url.search}`),
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
