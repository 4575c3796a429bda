import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Tag } from '../components/forms';
import { RegisterStyles, RegisterTable, formatUtc, recordHref, toEntryView } from '../components/register-entries';
import { partnerProfile, registerScopeFor } from '../services/register.server';
import { actingUser, forbidden, notFound, requirePermission } from '../utils/auth.server';
import { formatDate, kindLabel, stateLabel, stateTone } from '../utils/labels';
import { isApproved } from '../../workflows/policy';

// A partner's profile and every proposal and decision about it, across the
// chapters this person may see: the precedent a chapter lead or staff member
// looks for before vetting the same group again.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.partner.name} · Partners · Cosponsor` : 'Partner · Cosponsor' },
];

/** Only web addresses are links: a stored "javascript:" text stays text. */
function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** "supports_bds" (the tag the agenda rules read) -> "Publicly supports BDS"; free text stays as typed. */
function positionLabel(position: string): string {
  const m = /^supports_(.+)$/.exec(position);
  return m ? `Publicly supports ${m[1]!.replace(/_/g, ' ').toUpperCase()}` : position;
}

type RegistryFact = { label: string; value: string; href: string | null };

const REGISTRY_LABEL: Record<string, string> = {
  source: 'Source',
  ein: 'EIN',
  subsectionCode: '501(c) subsection',
  rulingDate: 'Ruling date',
  url: 'Registry page',
  fetchedAt: 'Fetched',
  nteeCode: 'NTEE code',
  latestRevenue: 'Latest revenue',
  latestRevenuePeriod: 'Revenue tax period',
  city: 'City',
  state: 'State',
};

/** The registry data stored with the partner (JSON), as label/value pairs. */
function registryFacts(registry: string | null): RegistryFact[] {
  if (!registry) return [];
  let data: unknown;
  try {
    data = JSON.parse(registry);
  } catch {
    return [{ label: 'Registry data', value: registry, href: null }];
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  return Object.entries(data as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([key, v]) => {
      const value =
        typeof v === 'object'
          ? JSON.stringify(v)
          : key === 'latestRevenue' && typeof v === 'number'
            ? `$${Math.round(v).toLocaleString('en-US')}`
            : String(v);
      const label = REGISTRY_LABEL[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
      return { label: label.charAt(0).toUpperCase() + label.slice(1), value: key === 'fetchedAt' ? formatUtc(value) : value, href: safeUrl(v) };
    });
}

const PROPOSALS_SHOWN = 50;
const DECISIONS_SHOWN = 25;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'register.view');
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound('This partner');
  const actor = actingUser(user);
  const scope = registerScopeFor(actor);
  if (!scope.ok) forbidden(scope.error.message);
  // The newest ones here; the rest page on in the register (a much-asked partner has thousands of records).
  const profile = partnerProfile(actor, id, { proposalLimit: PROPOSALS_SHOWN, decisionLimit: DECISIONS_SHOWN });
  if (!profile.ok) {
    if (profile.error.kind === 'not_found') notFound('This partner');
    forbidden(profile.error.message);
  }
  const p = profile.partner;
  const qs = (params: URLSearchParams | null) => (params ? `/decisions?${params}` : null);
  return json({
    partner: {
      id: p.id,
      name: p.name,
      website: p.website,
      websiteHref: safeUrl(p.website),
      country: p.country,
      description: p.description,
      publicPositions: p.publicPositions.map(positionLabel),
      ein: p.ein,
      registry: registryFacts(p.registry),
      createdAt: p.created_at,
    },
    scopeChapter: scope.scope.chapterId === null ? null : (user.chapter_name ?? 'your chapter'),
    otherChapterProposals: profile.otherChapterProposals,
    proposals: profile.proposals.map((r) => ({
      id: r.id,
      reference: r.reference,
      eventTitle: r.event_title,
      eventDate: r.event_date,
      kind: r.kind,
      state: r.state,
      chapterName: r.chapter_name,
      campaignName: r.campaign_name,
      proposerName: r.proposer_name,
      decidedAt: r.decided_at,
      approvedUntil: r.approved_until,
    })),
    proposalCount: profile.proposalCount,
    proposalStates: profile.proposalStates,
    decisions: profile.decisions.map(toEntryView),
    decisionCount: profile.decisionCount,
    registerHref: qs(profile.registerParams)!,
    // Each proposal has exactly one "created" record: the register lists them all, paged.
    allProposalsHref: `/decisions?${new URLSearchParams({ partner: String(p.id), step: 'proposal', outcome: 'created' })}`,
    olderHref: qs(profile.olderParams),
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
          <h1>{partner.name}</h1>
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
            ? ` Other chapters have ${data.otherChapterProposals === 1 ? '1 proposal' : `${data.otherChapterProposals} proposals`} with it; their records are not shown here.`
            : ''}
        </p>
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
          <dd className="pre-line">{partner.description || <span className="muted">None given</span>}</dd>
          <dt>Public positions</dt>
          <dd>
            {partner.publicPositions.length === 0 ? (
              <span className="muted">None recorded</span>
            ) : (
              <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
                {partner.publicPositions.map((position, i) => (
                  <li key={i}>{position}</li>
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
        {data.proposals.length === 0 ? (
          <p className="panel muted" data-testid="partner-no-proposals">
            {data.scopeChapter ? 'Your chapter has no proposal with this partner.' : 'No proposal with this partner yet.'}
          </p>
        ) : (
          <div className="table-wrap panel" style={{ padding: 0 }}>
            <table className="data" data-testid="partner-proposals">
              <caption className="visually-hidden">Proposals with {partner.name}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Proposal</th>
                  <th scope="col">Chapter and campaign</th>
                  <th scope="col">Event date</th>
                  <th scope="col">State</th>
                  <th scope="col">Decided</th>
                </tr>
              </thead>
              <tbody>
                {data.proposals.map((p) => (
                  <tr key={p.id} data-proposal={p.id}>
                    <td>
                      <Link to={recordHref(p.id)}>{p.reference}</Link>
                      <div className="small">{p.eventTitle}</div>
                      <div className="small muted">
                        {kindLabel(p.kind)} · proposed by {p.proposerName}
                      </div>
                    </td>
                    <td className="small">
                      {p.chapterName}
                      <div className="muted">{p.campaignName}</div>
                    </td>
                    <td className="small">{formatDate(p.eventDate)}</td>
                    <td>
                      <Tag tone={stateTone(p.state)}>{stateLabel(p.state)}</Tag>
                      {p.approvedUntil && isApproved(p.state) ? <div className="small muted">until {formatDate(p.approvedUntil)}</div> : null}
                    </td>
                    <td className="small">{p.decidedAt ? <time dateTime={p.decidedAt}>{formatUtc(p.decidedAt)}</time> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.proposalCount > data.proposals.length ? (
          <p className="small muted" data-testid="partner-more-proposals">
            The newest {data.proposals.length} of {data.proposalCount} proposals are listed.{' '}
            <Link to={data.allProposalsHref}>All {data.proposalCount} proposals in the register</Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="decisions-heading">
        <h2 id="decisions-heading">Decisions</h2>
        {data.decisions.length === 0 ? (
          <p className="panel muted" data-testid="partner-no-decisions">
            No decision record about this partner{data.scopeChapter ? ' in your chapter' : ''}.
          </p>
        ) : (
          <>
            <p className="small muted">
              {data.olderHref
                ? `The newest ${data.decisions.length} of ${data.decisionCount} decision records.`
                : `All ${data.decisionCount === 1 ? 'the decision record' : `${data.decisionCount} decision records`}, newest first.`}
            </p>
            <RegisterTable rows={data.decisions} caption={`Decision records about ${partner.name}, newest first`} showPartner={false} showEventTitle={false} />
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
