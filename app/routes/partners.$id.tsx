import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Tag } from '../components/forms';
import { RegisterStyles, formatUtc } from '../features/register/register-entries';
import { partnerProposalsMarkup, registerTableMarkup } from '../features/register/register-table-markup.server';
import { ServerMarkup } from '../components/server-markup';
import { htmlOnce } from '../components/server-markup.server';
import { partnerPageView } from '../features/register/partner-page.server';
import { partnerProfile, registerScopeFor } from '../features/register/register.server';
import { PartnerHistoryList } from '../features/vetting/partner-history';
import { precedentFor } from '../features/vetting/proposals.server';
import { actingUser, forbidden, notFound, requirePermission } from '../utils/auth.server';
import { pathId } from '../utils/path-id';
import { stateLabel, stateTone, publicPositionLabel } from '../utils/labels';
import { positiveWholeNumber } from '../utils/whole-number';

// A partner's profile and every proposal and decision about it, across the
// chapters this person may see: the precedent a chapter lead or staff member
// looks for before vetting the same group again.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.partner.name} · Partners · Cosponsor` : 'Partner · Cosponsor' },
];

// A page of each: the newest proposals (paged on here) and decisions (read on in the register).
// A busy partner's page once listed 50 and 25 and was the heaviest page to serve.
const PROPOSALS_SHOWN = 15;
const DECISIONS_SHOWN = 10;

/** A keyset position from the address: a proposal id, or null when absent or not one. */
function proposalCursor(url: URL, name: string): number | null {
  return positiveWholeNumber(url.searchParams.get(name));
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'register.view');
  const id = pathId(params.id);
  if (id === null) notFound('This partner');
  const actor = actingUser(user);
  const scope = registerScopeFor(actor);
  if (!scope.ok) forbidden(scope.error.message);
  // The newest ones here; the rest page on in the register (a much-asked partner has thousands of records).
  const url = new URL(request.url);
  const profile = partnerProfile(actor, id, {
    proposalLimit: PROPOSALS_SHOWN,
    decisionLimit: DECISIONS_SHOWN,
    proposalsAfter: proposalCursor(url, 'proposals_after'),
    proposalsBefore: proposalCursor(url, 'proposals_before'),
  });
  if (!profile.ok) {
    if (profile.error.kind === 'not_found') notFound('This partner');
    forbidden(profile.error.message);
  }
  const scoped = scope.scope.chapterId !== null;
  const { decisions, proposals, ...view } = partnerPageView(profile, scoped ? (user.chapter_name ?? 'your chapter') : null);
  return json({
    ...view,
    // The proposals and the decisions as HTML (sent once on a first load), with how many of each.
    proposalsShown: proposals.length,
    proposalsTable: htmlOnce(
      context,
      'partner-proposals',
      proposals.length === 0 ? '' : partnerProposalsMarkup(proposals, { caption: `Proposals with ${view.partner.name}, newest first` }),
    ),
    decisionsShown: decisions.length,
    decisionsTable: htmlOnce(
      context,
      'partner-decisions',
      decisions.length === 0
        ? ''
        : registerTableMarkup(decisions, { caption: `Decision records about ${view.partner.name}, newest first`, showPartner: false, showEventTitle: false }),
    ),
    // A chapter-scoped viewer learns other chapters' decided precedent (outcome, date, reason), never their records.
    otherChapterPrecedent: scoped ? precedentFor(id, actor).filter((h) => h.id === null) : [],
  });
}

const STATE_ORDER = ['approved', 'rejected', 'expired', 'withdrawn', 'review', 'mou', 'perception', 'risk', 'agenda', 'values', 'draft'];

export default function PartnerPage() {
  const data = useLoaderData<typeof loader>();
  const { partner } = data;
  const states = Object.entries(data.proposalStates).sort(([a], [b]) => STATE_ORDER.indexOf(a) - STATE_ORDER.indexOf(b));
  return (
    <>
      <RegisterStyles />
      <nav aria-label="Breadcrumb" className="breadcrumb small">
        <Link to="/decisions">Decisions</Link> <span aria-hidden="true">›</span> <span>Partner</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 dir="auto">{partner.name}</h1>
          <p>
            {data.proposalCount === 1 ? '1 proposal' : `${data.proposalCount} proposals`} ·{' '}
            {data.decisionCount === 1 ? '1 decision record' : `${data.decisionCount} decision records`}
            {data.scopeChapter ? ` in ${data.scopeChapter}` : ' across all chapters'}
          </p>
        </div>
        <Link className="button button--secondary" to={data.registerHref}>
          Search its decisions
        </Link>
      </div>
      {data.scopeChapter ? (
        <p className="alert alert--info" data-testid="partner-scope">
          You see {data.scopeChapter}’s proposals with this partner only.
          {data.otherChapterProposals > 0
            ? ` Other chapters have ${data.otherChapterProposals === 1 ? '1 proposal' : `${data.otherChapterProposals} proposals`} with it; their records are not shown here${data.otherChapterPrecedent.length > 0 ? ', only the outcome and reason of those decided' : ''}.`
            : ''}
        </p>
      ) : null}
      {data.otherChapterPrecedent.length > 0 ? (
        <section className="panel precedent" aria-labelledby="precedent-heading" data-testid="partner-precedent">
          <h2 id="precedent-heading">Decided precedent from other chapters</h2>
          <PartnerHistoryList history={data.otherChapterPrecedent} />
        </section>
      ) : null}

      <section className="panel" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <dl className="facts" data-testid="partner-profile">
          <dt>Website</dt>
          <dd>
            {partner.websiteHref ? (
              <a href={partner.websiteHref} rel="noopener noreferrer nofollow">
                {partner.website}
              </a>
            ) : (
              partner.website || <span className="muted">None given</span>
            )}
          </dd>
          <dt>Country</dt>
          <dd>{partner.country}</dd>
          {partner.ein ? (
            <>
              <dt>EIN</dt>
              <dd>{partner.ein}</dd>
            </>
          ) : null}
          <dt>Description</dt>
          <dd className="pre-line" dir="auto">{partner.description || <span className="muted">None given</span>}</dd>
          <dt>Public positions</dt>
          <dd>
            {partner.publicPositions.length === 0 ? (
              <span className="muted">None recorded</span>
            ) : (
              <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
                {partner.publicPositions.map((position, i) => (
                  <li key={i}>{publicPositionLabel(position)}</li>
                ))}
              </ul>
            )}
          </dd>
          <dt>In Cosponsor since</dt>
          <dd>
            <time dateTime={partner.createdAt}>{formatUtc(partner.createdAt)}</time>
          </dd>
        </dl>
        {partner.registry.length > 0 ? (
          <>
            <h3>Registry data</h3>
            <dl className="facts" data-testid="partner-registry">
              {partner.registry.map((fact) => (
                <div key={fact.label} style={{ display: 'contents' }}>
                  <dt>{fact.label}</dt>
                  <dd>
                    {fact.href ? (
                      <a href={fact.href} rel="noopener noreferrer nofollow">
                        {fact.value}
                      </a>
                    ) : (
                      fact.value
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          </>
        ) : null}
      </section>

      <section aria-labelledby="proposals-heading">
        <h2 id="proposals-heading">Proposals</h2>
        {states.length > 0 ? (
          <ul className="row" style={{ listStyle: 'none', padding: 0, margin: '0 0 0.6rem' }} aria-label="Proposals by state">
            {states.map(([state, n]) => (
              <li key={state}>
                <Tag tone={stateTone(state)}>
                  {stateLabel(state)}: {n}
                </Tag>
              </li>
            ))}
          </ul>
        ) : null}
        {data.proposalsShown === 0 ? (
          <p className="panel muted" data-testid="partner-no-proposals">
            {data.scopeChapter ? 'Your chapter has no proposal with this partner.' : 'No proposal with this partner yet.'}
          </p>
        ) : (
          <ServerMarkup html={data.proposalsTable} />
        )}
        {data.proposalCount > data.proposalsShown ? (
          <p className="small muted" data-testid="partner-more-proposals">
            {data.newerProposalsHref ? `${data.proposalsShown} of ${data.proposalCount} proposals are listed.` : `The newest ${data.proposalsShown} of ${data.proposalCount} proposals are listed.`}{' '}
            <Link to={data.allProposalsHref}>All {data.proposalCount} proposals in the register</Link>
          </p>
        ) : null}
        {data.newerProposalsHref || data.olderProposalsHref ? (
          <nav aria-label="Pages of this partner’s proposals" className="register-pager" data-testid="partner-proposal-pager">
            {data.newerProposalsHref ? <Link to={data.newestProposalsHref}>Newest</Link> : null}
            {data.newerProposalsHref ? (
              <Link to={data.newerProposalsHref} rel="prev">
                ← Newer proposals
              </Link>
            ) : null}
            {data.olderProposalsHref ? (
              <Link to={data.olderProposalsHref} rel="next">
                Older proposals →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>

      <section aria-labelledby="decisions-heading">
        <h2 id="decisions-heading">Decisions</h2>
        {data.decisionsShown === 0 ? (
          <p className="panel muted" data-testid="partner-no-decisions">
            No decision record about this partner{data.scopeChapter ? ' in your chapter' : ''}.
          </p>
        ) : (
          <>
            <p className="small muted">
              {data.olderHref
                ? `The newest ${data.decisionsShown} of ${data.decisionCount} decision records.`
                : `All ${data.decisionCount === 1 ? 'the decision record' : `${data.decisionCount} decision records`}, newest first.`}
            </p>
            <ServerMarkup html={data.decisionsTable} />
            {data.olderHref ? (
              <p>
                <Link to={data.olderHref}>Older decisions about this partner →</Link>
              </p>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
