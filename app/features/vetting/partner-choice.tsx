// Choosing the partner of a new proposal: an existing group with its history, or
// a new one looked up in the public registry (plain links, so no JavaScript needed).
import type { SerializeFrom } from '@remix-run/node';
import { Form, Link } from '@remix-run/react';
import { supportedMovements } from '../../../workflows/rules/agenda';
// Types only: erased from the browser bundle.
import type { partnerCandidates, RegistryPanel } from './proposals.server';
import { Tag } from '../../components/forms';
import { PartnerHistoryList } from './partner-history';

type Candidate = SerializeFrom<ReturnType<typeof partnerCandidates>[number]>;

/** A known partner like the one searched; `primary` when it is a close match, so using it is the main way on. */
export function CandidateCard({ c, q, primary = false }: { c: Candidate; q: string; primary?: boolean }) {
  return (
    <li className="card candidate">
      <div className="row">
        <span className="card__title" dir="auto">
          {c.name}
        </span>
        <Tag tone={c.match === 'exact' ? 'warn' : 'neutral'}>{c.match === 'exact' ? 'Same name' : c.match === 'close' ? 'Very similar name' : 'Name contains your search'}</Tag>
        {supportedMovements(c.publicPositions).map((m) => (
          <Tag key={m} tone="neutral">
            Supports {m}
          </Tag>
        ))}
      </div>
      <div className="card__meta">
        <span>{c.country}</span>
        {c.website ? <span>{c.website}</span> : null}
      </div>
      <p className="small" dir="auto">
        {c.description}
      </p>
      <div className="candidate__history">
        <h3 className="small">Past proposals with this partner</h3>
        {c.history.length === 0 ? <p className="small muted">None yet.</p> : <PartnerHistoryList history={c.history} />}
      </div>
      <div>
        <Link className={primary ? 'button' : 'button button--secondary button--small'} to={`/proposals/new?partnerId=${c.id}&q=${encodeURIComponent(q)}`}>
          Use <bdi>{c.name}</bdi>
        </Link>
      </div>
    </li>
  );
}

type EnabledPanel = SerializeFrom<Extract<RegistryPanel, { enabled: true }>>;

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

/** Plain links carrying the whole query, so the lookup works without JavaScript. */
function lookupHref(q: string, registry: EnabledPanel, extra: Record<string, string>) {
  const params = new URLSearchParams({ q, new: '1', rq: registry.query });
  if (registry.state) params.set('rstate', registry.state);
  for (const [k, val] of Object.entries(extra)) params.set(k, val);
  return `/proposals/new?${params.toString()}`;
}

export function RegistryLookup({ registry, q }: { registry: EnabledPanel; q: string }) {
  const { search, chosen } = registry;
  return (
    <section className="panel" aria-labelledby="registry-title" data-testid="registry-lookup">
      <h2 id="registry-title">Look up a US nonprofit</h2>
      <p className="small muted">
        Optional: fill in the partner from the IRS registry of tax-exempt organizations (ProPublica Nonprofit Explorer). You can change
        everything afterwards.
      </p>
      <Form method="get" className="search-form row" role="search" aria-label="Registry lookup">
        <input type="hidden" name="q" value={q} />
        <input type="hidden" name="new" value="1" />
        <div className="field grow">
          <label htmlFor="registry-q">Name or EIN</label>
          <input id="registry-q" type="search" name="rq" dir="auto" defaultValue={registry.query || q} required minLength={2} />
        </div>
        <div className="field field--state">
          <label htmlFor="registry-state">State (optional)</label>
          <input id="registry-state" type="text" name="rstate" defaultValue={registry.state} maxLength={2} pattern="[A-Za-z]{2}" autoComplete="address-level1" placeholder="e.g. IL" />
        </div>
        <button type="submit" className="button button--secondary">
          Look up
        </button>
      </Form>

      {search && !search.ok ? (
        <p className="alert alert--warn" role="status" data-testid="registry-error">
          {search.message} You can still enter the partner by hand below.
        </p>
      ) : null}
      {search && search.ok ? (
        search.rows.length === 0 ? (
          <p className="muted" role="status">
            {search.note ?? `No nonprofit in the registry matches “${registry.query}”${registry.state ? ` in ${registry.state}` : ''}.`}
          </p>
        ) : (
          <>
            {search.note ? <p className="small alert alert--info">{search.note}</p> : null}
            <div className="table-wrap">
              <table className="data" data-testid="registry-results">
                <caption className="small">
                  {search.totalResults === 1 ? '1 organization' : `${search.totalResults} organizations`} in the registry
                  {search.numPages > 1 ? `, page ${search.page + 1} of ${search.numPages}` : ''}. The search gives no revenue: it is
                  shown once you choose one.
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">City</th>
                    <th scope="col">State</th>
                    <th scope="col">EIN</th>
                    <th scope="col">NTEE</th>
                    <th scope="col">Latest revenue</th>
                    <th scope="col">
                      <span className="visually-hidden">Choose</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {search.rows.map((o) => (
                    <tr key={o.ein}>
                      <td>{o.name}</td>
                      <td>{o.city ?? '—'}</td>
                      <td>{o.state ?? '—'}</td>
                      <td>{o.einFormatted}</td>
                      <td>{o.nteeCode ?? '—'}</td>
                      <td>{o.latestRevenue ? `${usd(o.latestRevenue.amount)}${o.latestRevenue.taxPeriod ? ` (${o.latestRevenue.taxPeriod})` : ''}` : '—'}</td>
                      <td>
                        <Link className="button button--secondary button--small" to={lookupHref(q, registry, { ein: o.ein, rpage: String(search.page) })}>
                          Use this<span className="visually-hidden">: {o.name}</span>
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {search.numPages > 1 ? (
              <nav aria-label="Registry result pages" className="row small">
                {search.page > 0 ? <Link to={lookupHref(q, registry, { rpage: String(search.page - 1) })}>← Previous page</Link> : null}
                {search.page + 1 < search.numPages ? <Link to={lookupHref(q, registry, { rpage: String(search.page + 1) })}>Next page →</Link> : null}
              </nav>
            ) : null}
          </>
        )
      ) : null}

      {chosen && !chosen.ok ? (
        <p className="alert alert--warn" role="status" data-testid="registry-choice-error">
          {chosen.message} Enter the partner by hand below.
        </p>
      ) : null}
      {chosen && chosen.ok ? (
        <div className="alert alert--info" role="status" data-testid="registry-chosen">
          <p>
            <strong>Filled in below from the registry:</strong> {chosen.prefill.name}
            {chosen.prefill.city || chosen.prefill.state ? `, ${[chosen.prefill.city, chosen.prefill.state].filter(Boolean).join(', ')}` : ''} · EIN{' '}
            {chosen.prefill.ein}
            {chosen.prefill.nteeCode ? ` · NTEE ${chosen.prefill.nteeCode}` : ''}
            {chosen.prefill.latestRevenue !== null
              ? ` · latest revenue ${usd(chosen.prefill.latestRevenue)}${chosen.prefill.latestRevenuePeriod ? ` (${chosen.prefill.latestRevenuePeriod})` : ''}`
              : ''}
            .{' '}
            <a href={chosen.prefill.url} rel="noopener noreferrer nofollow">
              Registry page
            </a>
          </p>
          {chosen.note ? <p className="small">{chosen.note}</p> : null}
          <p className="small">The registry writes names in capitals: correct the name if you like, and say who the group is.</p>
        </div>
      ) : null}
    </section>
  );
}

