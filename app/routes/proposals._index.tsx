// The proposals a person may see, grouped by what needs the lead's action first: counts per group,
// filters, and keyset pages of one group, all plain links and GET forms (no JavaScript needed).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { FilterSelect } from '../components/forms';
import { mayPropose } from '../../workflows/policy';
import { parseProposalListQuery, proposalGroups, type ProposalListQuery } from '../features/vetting/proposals.server';
import { actingUser, requireUser } from '../utils/auth.server';
import { proposalCardsMarkup } from '../features/vetting/proposal-cards-markup.server';
import { ServerMarkup } from '../components/server-markup';
import { htmlOnce } from '../components/server-markup.server';

export const meta: MetaFunction = () => [{ title: 'Proposals · Cosponsor' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = parseProposalListQuery(new URL(request.url));
  const { seesAll, groups, counts, total, choices } = proposalGroups(actingUser(user), query);
  return json({
    query,
    // Each group's cards as HTML (sent once on a first load), with how many it shows.
    groups: groups.map(({ proposals, ...g }) => ({
      ...g,
      shown: proposals.length,
      cards: htmlOnce(context, `proposal-cards-${g.key}`, proposals.length === 0 ? '' : proposalCardsMarkup(proposals, seesAll)),
    })),
    counts,
    total,
    choices,
    seesAll,
    scope: seesAll ? 'All chapters' : (user.chapter_name ?? 'Your chapter'),
    canPropose: mayPropose({ roles: user.roles, chapterId: user.chapter_id }),
  });
}

type Query = Pick<ProposalListQuery, 'group' | 'chapterId' | 'campaignId' | 'text'>;

/** The list's address with these filters, a group and a keyset position. */
function listHref(query: Query, page: { group?: string | null; after?: string | null; before?: string | null } = {}): string {
  const params = new URLSearchParams();
  const group = page.group === undefined ? query.group : page.group;
  if (group) params.set('group', group);
  if (query.chapterId) params.set('chapter', String(query.chapterId));
  if (query.campaignId) params.set('campaign', String(query.campaignId));
  if (query.text) params.set('q', query.text);
  if (page.after) params.set('after', page.after);
  if (page.before) params.set('before', page.before);
  const s = params.toString();
  return s ? `/proposals?${s}` : '/proposals';
}

const plural = (n: number) => `${n} ${n === 1 ? 'proposal' : 'proposals'}`;

export default function Proposals() {
  const { query, groups, counts, total, choices, seesAll, scope, canPropose } = useLoaderData<typeof loader>();
  const filtered = query.chapterId !== null || query.campaignId !== null || query.text !== null;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Proposals</h1>
          <p>
            {scope} · {plural(total)}
            {filtered ? ' match the filters' : ''}
            {total > 0 ? ', what needs your action first' : ''}.
          </p>
        </div>
        {canPropose ? (
          <Link className="button" to="/proposals/new">
            <span aria-hidden="true">+ </span>New proposal
          </Link>
        ) : null}
      </div>

      <Form method="get" className="panel" aria-labelledby="filter-heading">
        <h2 id="filter-heading" className="visually-hidden">
          Filter the proposals
        </h2>
        {query.group ? <input type="hidden" name="group" value={query.group} /> : null}
        <div className="row" style={{ alignItems: 'flex-end', gap: '0.75rem 1rem' }}>
          <div className="field" style={{ marginBottom: 0 }}>
            <label htmlFor="filter-q">Event, partner or reference</label>
            <input id="filter-q" name="q" type="search" dir="auto" maxLength={200} defaultValue={query.text ?? ''} />
          </div>
          {seesAll ? (
            <FilterSelect id="filter-chapter" name="chapter" label="Chapter" allLabel="All chapters" value={query.chapterId} choices={choices.chapters} />
          ) : null}
          <FilterSelect id="filter-campaign" name="campaign" label="Campaign" allLabel="All campaigns" value={query.campaignId} choices={choices.campaigns} />
          <button type="submit" className="button">
            Filter
          </button>
          {filtered ? <Link to={listHref({ group: query.group, chapterId: null, campaignId: null, text: null })}>Clear filters</Link> : null}
        </div>
      </Form>

      <nav aria-label="Groups" className="group-nav small">
        <Link to={listHref(query, { group: null })} aria-current={query.group === null ? 'page' : undefined}>
          All groups <span className="count">({total})</span>
        </Link>
        {counts.map((g) => (
          <Link key={g.key} to={listHref(query, { group: g.key })} aria-current={query.group === g.key ? 'page' : undefined}>
            {g.title} <span className="count">({g.count})</span>
          </Link>
        ))}
      </nav>

      {total === 0 ? (
        // Nothing to list: one message saying what to do, not five empty groups.
        <div className="panel" data-testid="proposals-empty">
          {filtered ? (
            <p>
              No proposal matches these filters. Try fewer words or another campaign, or{' '}
              <Link to={listHref({ group: null, chapterId: null, campaignId: null, text: null })}>show every proposal</Link>.
            </p>
          ) : canPropose ? (
            <p>
              {scope} has no proposals yet. When a group invites the chapter to co-sponsor an event, start a{' '}
              <Link to="/proposals/new">new proposal</Link>: the partner first, then the event; the five vetting steps follow. <Link to="/help">How vetting works</Link>
            </p>
          ) : (
            <p>No proposal yet: chapter leads start them, and they appear here.</p>
          )}
        </div>
      ) : null}

      {(total === 0 ? [] : groups).map((g) => (
        <section key={g.key} id={`group-${g.key}`} className={`proposal-group proposal-group--${g.key}`} aria-labelledby={`group-${g.key}-title`}>
          <h2 id={`group-${g.key}-title`}>
            {g.title} <span className="count muted">({g.count})</span>
          </h2>
          <p className="muted small">{g.hint}</p>
          {g.shown === 0 ? <p className="empty small muted">Nothing here.</p> : <ServerMarkup html={g.cards} />}
          {query.group === null && g.count > g.shown ? (
            <p>
              <Link to={listHref(query, { group: g.key })}>
                All {g.count} in “{g.title}”<span aria-hidden="true"> →</span>
              </Link>
            </p>
          ) : null}
          {query.group !== null && (g.newer || g.older) ? (
            <nav aria-label={`Pages of “${g.title}”`} className="row">
              {g.newer ? <Link to={listHref(query, { before: g.newer })}>← Newer</Link> : null}
              {g.older ? <Link to={listHref(query, { after: g.older })}>Older →</Link> : null}
            </nav>
          ) : null}
        </section>
      ))}
    </>
  );
}
