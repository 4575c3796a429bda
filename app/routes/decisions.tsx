import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react';
import { RegisterStyles, RegisterTable, toEntryView } from '../components/register-entries';
import {
  parseRegisterQuery,
  registerChoices,
  registerSearchParams,
  searchRegister,
  type RegisterFilter,
} from '../services/register.server';
import { can } from '../../workflows/policy';
import { actingUser, forbidden, requirePermission } from '../utils/auth.server';
import { outcomeLabel, stepLabel } from '../utils/labels';

// The decision register: every decision record, newest first, filtered and
// searched through plain GET parameters, so a search is a URL to bookmark or
// share, and the page works without JavaScript.

export const meta: MetaFunction = () => [{ title: 'Decision register · Cosponsor' }];

const FIELD_LABEL: Record<string, string> = {
  q: 'search',
  partner: 'partner',
  chapter: 'chapter',
  campaign: 'campaign',
  proposal: 'proposal',
  step: 'step',
  outcome: 'outcome',
  actor: 'decided by',
  from: 'from date',
  to: 'to date',
  after: 'page position (older)',
  before: 'page position (newer)',
};

const ID_FIELDS = new Set(['partner', 'chapter', 'campaign', 'proposal', 'actor', 'after', 'before']);

/** The validator's own words for ids and choices are technical; dates and search keep theirs. */
function readableReason(name: string, reason: string | undefined): string {
  if (ID_FIELDS.has(name)) return 'it is not a record number (a whole number above 0).';
  if (name === 'step' || name === 'outcome') return `it is not one of the ${name}s in the list.`;
  return reason ?? 'Invalid value.';
}

const href = (params: URLSearchParams | null) => {
  if (params === null) return null;
  const s = params.toString();
  return s ? `/decisions?${s}` : '/decisions';
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'register.view');
  const actor = actingUser(user);
  const url = new URL(request.url);
  const query = parseRegisterQuery(url.searchParams);
  const dropped = Object.entries(query.errors).map(([name, reason]) => ({
    name,
    label: FIELD_LABEL[name] ?? name,
    value: url.searchParams.get(name) ?? '',
    reason: readableReason(name, reason),
  }));
  // The filter form sends its empty fields too: tidy the URL so it reads as the search it is.
  if (dropped.length === 0 && [...url.searchParams.values()].some((v) => v.trim() === '')) {
    throw redirect(href(registerSearchParams(query.filter, query.page))!);
  }
  const result = searchRegister(actor, query.filter, query.page);
  if (!result.ok) forbidden(result.error.message);
  const choices = registerChoices(actor);
  if (!choices.ok) forbidden(choices.error.message);
  const { filter, page } = query;
  const filtered = Object.values(filter).some((v) => v !== null && v !== undefined && v !== '');
  return json({
    filter,
    paged: page.after != null || page.before != null,
    canAudit: can(actor, 'audit.run').ok,
    filtered,
    dropped,
    scopeChapter: result.scope.chapterId === null ? null : (user.chapter_name ?? 'your chapter'),
    rows: result.rows.map(toEntryView),
    newerHref: href(result.newerParams),
    olderHref: href(result.olderParams),
    newestHref: href(registerSearchParams(filter))!,
    everyProposalHref: href(registerSearchParams({ ...filter, proposalId: null }))!,
    csvHref: `/decisions.csv${registerSearchParams(filter).size ? `?${registerSearchParams(filter)}` : ''}`,
    choices: {
      partners: choices.partners,
      chapters: choices.chapters,
      campaigns: choices.campaigns,
      actors: choices.actors,
      steps: [...choices.steps],
      outcomes: [...choices.outcomes],
    },
  });
}

function Select({
  id,
  name,
  label,
  value,
  any,
  options,
}: {
  id: string;
  name: string;
  label: string;
  value: string | number | null | undefined;
  any: string;
  options: { value: string | number; label: string }[];
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ''}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Filters({
  filter,
  choices,
  scoped,
  everyProposalHref,
}: {
  filter: RegisterFilter;
  choices: ReturnType<typeof useLoaderData<typeof loader>>['choices'];
  scoped: boolean;
  everyProposalHref: string;
}) {
  const location = useLocation();
  return (
    // Keyed by the URL so the fields show the search in the address bar after each navigation.
    <Form method="get" action="/decisions" className="panel register-filters" aria-labelledby="filter-heading" key={location.search}>
      <h2 id="filter-heading" className="visually-hidden">
        Search and filter the register
      </h2>
      <div className="row" style={{ alignItems: 'flex-end', gap: '0.5rem 1rem', marginBottom: '0.6rem' }}>
        <div className="field grow" style={{ marginBottom: 0 }}>
          <label htmlFor="register-q">Search rationale, evidence, agenda items and partner names</label>
          <input id="register-q" type="search" name="q" defaultValue={filter.q ?? ''} maxLength={200} aria-describedby="register-q-hint" />
          <span className="hint" id="register-q-hint">
            Every word must match; accents and case are ignored; “quotes” search for an exact phrase.
          </span>
        </div>
      </div>
      <div className="grid-filters">
        <Select id="register-partner" name="partner" label="Partner" value={filter.partnerId} any="All partners" options={choices.partners.map((p) => ({ value: p.id, label: p.name }))} />
        <Select
          id="register-chapter"
          name="chapter"
          label="Chapter"
          value={filter.chapterId}
          any={scoped ? 'Your chapter' : 'All chapters'}
          options={choices.chapters.map((c) => ({ value: c.id, label: c.name }))}
        />
        <Select id="register-campaign" name="campaign" label="Campaign" value={filter.campaignId} any="All campaigns" options={choices.campaigns.map((c) => ({ value: c.id, label: c.name }))} />
        <Select id="register-step" name="step" label="Step" value={filter.step} any="Every step" options={choices.steps.map((s) => ({ value: s, label: stepLabel(s) }))} />
        <Select
          id="register-outcome"
          name="outcome"
          label="Outcome"
          value={filter.outcome}
          any="Any outcome"
          options={choices.outcomes.map((o) => ({ value: o, label: outcomeLabel(o) }))}
        />
        <Select id="register-actor" name="actor" label="Decided by" value={filter.actorId} any="Anyone" options={choices.actors.map((a) => ({ value: a.id, label: a.name }))} />
        <div className="field">
          <label htmlFor="register-from">From (UTC day)</label>
          <input id="register-from" type="date" name="from" defaultValue={filter.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="register-to">To (UTC day, inclusive)</label>
          <input id="register-to" type="date" name="to" defaultValue={filter.to ?? ''} />
        </div>
      </div>
      {filter.proposalId ? (
        // Not a field of the form: kept as it came (from a proposal's record), with a way out.
        <p className="small" data-testid="register-proposal-filter">
          <input type="hidden" name="proposal" value={filter.proposalId} />
          Only the records of one proposal are shown.{' '}
          <Link to={everyProposalHref}>Show every proposal’s records</Link>
        </p>
      ) : null}
      <div className="form-actions" style={{ marginTop: '0.25rem' }}>
        <button type="submit" className="button">
          Search
        </button>
        <Link to="/decisions">Clear all</Link>
      </div>
    </Form>
  );
}

export default function DecisionRegister() {
  const data = useLoaderData<typeof loader>();
  const { rows } = data;
  const count =
    rows.length === 0
      ? null
      : data.newerHref === null && data.olderHref === null
        ? `${rows.length === 1 ? '1 record matches' : `${rows.length} records match`}.`
        : `Showing ${rows.length} records, #${rows[0]!.seq} to #${rows[rows.length - 1]!.seq}${data.newerHref ? '; newer ones come before' : ''}${data.olderHref ? '; more older records follow' : ''}.`;
  return (
    <>
      <RegisterStyles />
      <div className="page-head">
        <div>
          <h1>Decision register</h1>
          <p>Every decision recorded on a proposal, newest first. Records are never changed: a correction is a new record.</p>
        </div>
        <div className="row no-print">
          {data.canAudit ? <Link to="/audit">Verify the log</Link> : null}
          <a className="button button--secondary" href={data.csvHref} download data-testid="csv-link">
            Download CSV
          </a>
        </div>
      </div>
      {data.scopeChapter ? (
        <p className="alert alert--info" data-testid="register-scope">
          You see the decisions on <strong>{data.scopeChapter}</strong>’s proposals only. Staff and reviewers see every chapter.
        </p>
      ) : null}
      {data.dropped.length > 0 ? (
        <div className="alert alert--warn" role="status" data-testid="register-dropped">
          <h2>Part of this search was left out</h2>
          <ul className="error-list">
            {data.dropped.map((d) => (
              <li key={d.name}>
                The {d.label} “{d.value}” was not used: {d.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Filters filter={data.filter} choices={data.choices} scoped={data.scopeChapter !== null} everyProposalHref={data.everyProposalHref} />

      {rows.length === 0 ? (
        <div className="panel" data-testid="register-empty">
          {data.paged ? (
            <>
              <h2>No more records here</h2>
              <Link to={data.newestHref}>Back to the newest records</Link>
            </>
          ) : data.filtered ? (
            <>
              <h2>No decision matches this search</h2>
              <p>Try fewer words, another spelling, or fewer filters.</p>
              <Link to="/decisions">Clear the search and filters</Link>
            </>
          ) : (
            <>
              <h2>No decisions recorded yet</h2>
              <p>Each step of a proposal’s vetting adds a record here.</p>
            </>
          )}
        </div>
      ) : (
        <>
          <p className="muted" role="status" data-testid="register-count">
            {count}
          </p>
          <RegisterTable rows={rows} caption={`Decision records${data.filtered ? ' matching the search' : ''}, newest first`} />
        </>
      )}
      <Pager newerHref={data.newerHref} olderHref={data.olderHref} newestHref={data.paged ? data.newestHref : null} />
    </>
  );
}

function Pager({ newerHref, olderHref, newestHref }: { newerHref: string | null; olderHref: string | null; newestHref: string | null }) {
  if (!newerHref && !olderHref && !newestHref) return null;
  return (
    <nav aria-label="Register pages" className="register-pager">
      {newestHref && newerHref ? <Link to={newestHref}>Newest</Link> : null}
      {newerHref ? (
        <Link to={newerHref} rel="prev">
          ← Newer
        </Link>
      ) : null}
      {olderHref ? (
        <Link to={olderHref} rel="next">
          Older →
        </Link>
      ) : null}
    </nav>
  );
}
