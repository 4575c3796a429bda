import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Filters, Pager } from '../features/register/register-filters';
import { RegisterStyles, toEntryView } from '../features/register/register-entries';
import { registerTableMarkup } from '../features/register/register-table-markup.server';
import { LeftOutNotice } from '../components/forms';
import { ServerMarkup } from '../components/server-markup';
import { htmlOnce } from '../components/server-markup.server';
import {
  filteredPartnerName,
  NOT_A_CHOICE,
  parseRegisterQuery,
  registerChoices,
  registerSearchParams,
  searchRegister,
} from '../features/register/register.server';
import { can } from '../../workflows/policy';
import { actingUser, forbidden, requirePermission } from '../utils/auth.server';

// The decision register: every decision record, newest first, filtered and
// searched through plain GET parameters, so a search is a URL to bookmark or
// share, and the page works without JavaScript.

export const meta: MetaFunction = () => [{ title: 'Decision register · Cosponsor' }];

const FIELD_LABEL: Record<string, string> = {
  q: 'search',
  partner: 'partner',
  partner_name: 'partner name',
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
  if (reason === NOT_A_CHOICE) return reason;
  if (ID_FIELDS.has(name)) return 'it is not a record number (a whole number above 0).';
  if (name === 'step' || name === 'outcome') return `it is not one of the ${name}s in the list.`;
  return reason ?? 'Invalid value.';
}

const href = (params: URLSearchParams | null) => {
  if (params === null) return null;
  const s = params.toString();
  return s ? `/decisions?${s}` : '/decisions';
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'register.view');
  const actor = actingUser(user);
  const url = new URL(request.url);
  const choices = registerChoices(actor);
  if (!choices.ok) forbidden(choices.error.message);
  const query = parseRegisterQuery(url.searchParams, choices);
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
  const { filter, page } = query;
  const filtered = Object.values(filter).some((v) => v !== null && v !== undefined && v !== '');
  const rows = result.rows.map(toEntryView);
  return json({
    filter,
    paged: page.after != null || page.before != null,
    canAudit: can(actor, 'audit.run').ok,
    filtered,
    dropped,
    scopeChapter: result.scope.chapterId === null ? null : (user.chapter_name ?? 'your chapter'),
    // The rows as HTML (sent once on a first load); the page says how many and which.
    rowCount: rows.length,
    firstSeq: rows[0]?.seq ?? null,
    lastSeq: rows[rows.length - 1]?.seq ?? null,
    table: htmlOnce(
      context,
      'register-rows',
      rows.length === 0 ? '' : registerTableMarkup(rows, { caption: `Decision records${filtered ? ' matching the search' : ''}, newest first` }),
    ),
    newerHref: href(result.newerParams),
    olderHref: href(result.olderParams),
    newestHref: href(registerSearchParams(filter))!,
    everyProposalHref: href(registerSearchParams({ ...filter, proposalId: null }))!,
    onePartner: filter.partnerId == null ? null : (filteredPartnerName(filter.partnerId) ?? `partner ${filter.partnerId}`),
    everyPartnerHref: href(registerSearchParams({ ...filter, partnerId: null }))!,
    csvHref: `/decisions.csv${registerSearchParams(filter).size ? `?${registerSearchParams(filter)}` : ''}`,
    choices: {
      chapters: choices.chapters,
      campaigns: choices.campaigns,
      actors: choices.actors,
      steps: [...choices.steps],
      outcomes: [...choices.outcomes],
    },
  });
}

export default function DecisionRegister() {
  const data = useLoaderData<typeof loader>();
  const { rowCount } = data;
  const count =
    rowCount === 0
      ? null
      : data.newerHref === null && data.olderHref === null
        ? `${rowCount === 1 ? '1 record matches' : `${rowCount} records match`}.`
        : `Showing ${rowCount} records, #${data.firstSeq} to #${data.lastSeq}${data.newerHref ? '; newer ones come before' : ''}${data.olderHref ? '; more older records follow' : ''}.`;
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
      <LeftOutNotice
        title="Part of this search was left out"
        testId="register-dropped"
        items={data.dropped.map((d) => ({ key: d.name, label: d.label, value: d.value, reason: d.reason }))}
      />
      <Filters
        filter={data.filter}
        choices={data.choices}
        scoped={data.scopeChapter !== null}
        everyProposalHref={data.everyProposalHref}
        onePartner={data.onePartner}
        everyPartnerHref={data.everyPartnerHref}
      />

      {rowCount === 0 ? (
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
          <ServerMarkup html={data.table} />
        </>
      )}
      <Pager newerHref={data.newerHref} olderHref={data.olderHref} newestHref={data.paged ? data.newestHref : null} />
    </>
  );
}
