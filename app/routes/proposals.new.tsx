// Starting a proposal, in two stages that work without JavaScript:
// 1. find the partner among known ones (GET ?q=), see likely duplicates with their history;
// 2. choose one (?partnerId=) or create a new one (?new=1), and describe the event.
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Tag } from '../components/forms';
import { EventFields, FormAlerts, TextArea, TextField } from '../components/proposal-form';
import { newProposalSchema } from '../forms/proposal.server';
import {
  campaignOptions,
  partnerCandidates,
  partnerSummary,
  registryPanel,
  startProposalWithChecks,
  type RegistryPanel,
} from '../services/proposals.server';
import { actingUser, requirePermission } from '../utils/auth.server';
import { formatDate, stateLabel, stateTone } from '../utils/labels';
import { redirectWithFlash } from '../utils/session.server';

// Public positions a lead can record for a new partner (the rules read "supports_<movement>").
const PUBLIC_POSITION_OPTIONS = [{ key: 'supports_bds', label: 'Publicly supports BDS (boycott, divestment, sanctions)' }] as const;

export const meta: MetaFunction = () => [{ title: 'New proposal · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'proposal.create');
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').trim();
  const partnerId = Number(url.searchParams.get('partnerId'));
  const creating = url.searchParams.get('new') === '1';
  const partner = Number.isInteger(partnerId) && partnerId > 0 ? partnerSummary(partnerId) : null;
  // The registry lookup belongs to the new-partner form; it stays silent when the registry is off.
  const registry: RegistryPanel = creating && !partner ? await registryPanel(url.searchParams) : { enabled: false };
  return json({
    registry,
    q,
    stage: partner ? ('event' as const) : creating ? ('new' as const) : q ? ('results' as const) : ('search' as const),
    partner,
    candidates: q && !partner && !creating ? partnerCandidates(q) : [],
    campaigns: campaignOptions(),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'proposal.create');
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: newProposalSchema });
  const values = submission.payload as Record<string, unknown>;
  if (submission.status !== 'success') {
    return json({ values, errors: submission.error ?? {}, formError: null as string | null, duplicates: [] as ReturnType<typeof partnerCandidates> }, { status: 400 });
  }
  // Registry data is kept with a new partner, and the partner is screened (never failing the creation).
  const result = await startProposalWithChecks(actingUser(user), submission.value);
  if (!result.ok) {
    return json({ values, errors: result.fieldErrors, formError: result.formError, duplicates: result.duplicates ?? [] }, { status: 400 });
  }
  return redirectWithFlash(`/proposals/${result.id}`, {
    kind: 'success',
    message: `Proposal ${result.reference} created as a draft with ${result.partnerName}. Check it, then submit it for vetting.`,
  });
}

type Candidate = ReturnType<typeof partnerCandidates>[number];

function CandidateCard({ c, q }: { c: Candidate; q: string }) {
  return (
    <li className="card candidate">
      <div className="row">
        <span className="card__title">{c.name}</span>
        <Tag tone={c.match === 'exact' ? 'warn' : 'neutral'}>{c.match === 'exact' ? 'Same name' : c.match === 'close' ? 'Very similar name' : 'Name contains your search'}</Tag>
        {c.publicPositions.includes('supports_bds') ? <Tag tone="neutral">Supports BDS</Tag> : null}
      </div>
      <div className="card__meta">
        <span>{c.country}</span>
        {c.website ? <span>{c.website}</span> : null}
      </div>
      <p className="small">{c.description}</p>
      <div className="candidate__history">
        <h3 className="small">Past proposals with this partner</h3>
        {c.history.length === 0 ? (
          <p className="small muted">None yet.</p>
        ) : (
          <ul className="small">
            {c.history.map((h) => (
              <li key={h.id}>
                <Tag tone={stateTone(h.state)}>{stateLabel(h.state)}</Tag> {h.event} · {h.chapter} · {formatDate(h.eventDate)}
                {h.decidedAt ? ` · decided ${formatDate(h.decidedAt)}` : ''}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <Link className="button button--secondary button--small" to={`/proposals/new?partnerId=${c.id}&q=${encodeURIComponent(q)}`}>
          Use {c.name}
        </Link>
      </div>
    </li>
  );
}

type EnabledPanel = Extract<RegistryPanel, { enabled: true }>;

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

/** Plain links carrying the whole query, so the lookup works without JavaScript. */
function lookupHref(q: string, registry: EnabledPanel, extra: Record<string, string>) {
  const params = new URLSearchParams({ q, new: '1', rq: registry.query });
  if (registry.state) params.set('rstate', registry.state);
  for (const [k, val] of Object.entries(extra)) params.set(k, val);
  return `/proposals/new?${params.toString()}`;
}

function RegistryLookup({ registry, q }: { registry: EnabledPanel; q: string }) {
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
          <input id="registry-q" type="search" name="rq" defaultValue={registry.query || q} required minLength={2} />
        </div>
        <div className="field">
          <label htmlFor="registry-state">State (optional)</label>
          <input id="registry-state" name="rstate" defaultValue={registry.state} maxLength={2} size={3} pattern="[A-Za-z]{2}" autoComplete="address-level1" />
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

export default function NewProposal() {
  const { q, stage, partner, candidates, campaigns, registry } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors;
  const prefill = registry.enabled && registry.chosen?.ok ? registry.chosen.prefill : null;
  const values =
    actionData?.values ??
    (stage === 'new'
      ? prefill
        ? { partnerName: prefill.name, partnerCountry: 'US', partnerEin: prefill.ein, partnerDescription: prefill.description, registryEin: prefill.ein }
        : { partnerName: q }
      : undefined);
  const v = (k: string) => (values && typeof (values as Record<string, unknown>)[k] === 'string' ? ((values as Record<string, unknown>)[k] as string) : undefined);
  const duplicates = actionData?.duplicates ?? [];

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb small">
        <Link to="/proposals">Proposals</Link> <span aria-hidden="true">›</span> <span>New proposal</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>New proposal</h1>
          <p>First the partner group, then the event.</p>
        </div>
      </div>
      <ol className="progress-steps small" aria-label="Progress">
        <li className={stage === 'search' || stage === 'results' ? 'is-current' : 'is-done'} aria-current={stage === 'search' || stage === 'results' ? 'step' : undefined}>
          1. Partner
        </li>
        <li className={stage === 'event' || stage === 'new' ? 'is-current' : ''} aria-current={stage === 'event' || stage === 'new' ? 'step' : undefined}>
          2. Event
        </li>
      </ol>

      {stage === 'search' || stage === 'results' ? (
        <section className="panel" aria-labelledby="search-title">
          <h2 id="search-title">Who invites the chapter?</h2>
          <Form method="get" className="search-form row" role="search">
            <div className="field grow">
              <label htmlFor="partner-q">Partner group’s name</label>
              <span className="hint" id="partner-q-hint">
                We look among known partners first: case, punctuation, “The”, “Inc.” and small typos do not matter.
              </span>
              {/* eslint-disable-next-line jsx-a11y/no-autofocus -- the search stage is a one-field page */}
              <input id="partner-q" type="search" name="q" defaultValue={q} aria-describedby="partner-q-hint" required minLength={2} autoFocus={stage === 'search'} />
            </div>
            <button type="submit" className="button">
              Search partners
            </button>
          </Form>
        </section>
      ) : null}

      {stage === 'results' ? (
        <section className="panel" aria-labelledby="results-title">
          <h2 id="results-title">{candidates.length > 0 ? `Known partners like “${q}”` : `No known partner like “${q}”`}</h2>
          {candidates.length > 0 ? (
            <>
              <p className="muted">Is it one of these? Using the known partner keeps its history together, so staff see the precedent.</p>
              <ul className="cards">
                {candidates.map((c) => (
                  <CandidateCard key={c.id} c={c} q={q} />
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">Nobody has proposed this group before.</p>
          )}
          <p className="form-actions">
            <Link className="button" to={`/proposals/new?q=${encodeURIComponent(q)}&new=1`}>
              {candidates.length > 0 ? 'None of these: create a new partner' : 'Create a new partner'}
            </Link>
          </p>
        </section>
      ) : null}

      {stage === 'new' && registry.enabled ? <RegistryLookup registry={registry} q={q} /> : null}

      {stage === 'event' || stage === 'new' ? (
        // Keyed on the chosen organization, so "Use this" refills the fields with JavaScript too.
        <Form key={prefill?.ein ?? 'blank'} method="post" className="stack proposal-form" noValidate>
          <FormAlerts formError={actionData?.formError} errors={errors} />
          {duplicates.length > 0 ? (
            <section className="panel" aria-labelledby="dup-title">
              <h2 id="dup-title">Known partners with a very similar name</h2>
              <ul className="cards">
                {duplicates.map((c) => (
                  <CandidateCard key={c.id} c={c} q={v('partnerName') ?? q} />
                ))}
              </ul>
              <label className="checkbox">
                <input type="checkbox" name="confirmNew" /> This is a different group: create it anyway
              </label>
            </section>
          ) : null}
          <input type="hidden" name="q" value={q} />
          <section className="panel" aria-labelledby="partner-title">
            <h2 id="partner-title">Partner</h2>
            {partner ? (
              <>
                <input type="hidden" name="partnerId" value={partner.id} />
                <p>
                  <strong>{partner.name}</strong> · {partner.country}
                  {partner.publicPositions.includes('supports_bds') ? ' · publicly supports BDS' : ''}
                </p>
                <p className="small muted">{partner.description}</p>
                <Link to={`/proposals/new?q=${encodeURIComponent(q || partner.name)}`} className="small">
                  Choose another partner
                </Link>
              </>
            ) : (
              <>
                <TextField name="partnerName" label="Name" required errors={errors} defaultValue={v('partnerName')} />
                <div className="grid-2 grid-tight">
                  <TextField name="partnerWebsite" type="url" label="Website" errors={errors} defaultValue={v('partnerWebsite')} hint="Optional, e.g. https://example.org" />
                  <TextField name="partnerCountry" label="Country" required errors={errors} defaultValue={v('partnerCountry') ?? 'US'} />
                </div>
                <TextField
                  name="partnerEin"
                  label="EIN (US nonprofits)"
                  errors={errors}
                  defaultValue={v('partnerEin')}
                  hint="Optional, e.g. 12-3456789. Screening uses it to tell namesakes apart."
                />
                {v('registryEin') ? <input type="hidden" name="registryEin" value={v('registryEin')} /> : null}
                <TextArea name="partnerDescription" label="About the group" required errors={errors} defaultValue={v('partnerDescription')} hint="Who they are, what they do, who leads them." />
                <fieldset className="field">
                  <legend>Known public positions</legend>
                  <span className="hint">Tick what the group says publicly; it decides whether a perception review is needed.</span>
                  {PUBLIC_POSITION_OPTIONS.map((o) => (
                    <label key={o.key} className="checkbox">
                      <input type="checkbox" name="supportsBds" defaultChecked={v('supportsBds') === 'on'} /> {o.label}
                    </label>
                  ))}
                </fieldset>
                <Link to={`/proposals/new?q=${encodeURIComponent(q)}`} className="small">
                  Back to the search
                </Link>
              </>
            )}
          </section>
          <section className="panel" aria-labelledby="event-title">
            <h2 id="event-title">Event</h2>
            <EventFields values={values as Record<string, unknown> | undefined} errors={errors} campaigns={campaigns} />
          </section>
          <div className="form-actions">
            <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
              {navigation.state === 'submitting' ? 'Creating…' : 'Create the draft proposal'}
            </button>
            <Link to="/proposals" className="button button--secondary">
              Cancel
            </Link>
          </div>
        </Form>
      ) : null}
    </>
  );
}
