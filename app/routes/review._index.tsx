import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { claimFormSchema, claimProposal, releaseProposal } from '../features/review/claims.server';
import { ClaimControl } from '../features/review/claim-control';
import { FilterSelect, LeftOutNotice, Tag } from '../components/forms';
import { todayUtc } from '../jobs/expiry.server';
import {
  parseQueueQuery,
  queueFiltersLeftOut,
  queueFilterChoices,
  reviewQueue,
  type EventTiming,
  type QueueFlag,
  type QueueQuery,
} from '../features/review/review.server';
import { openAlerts } from '../features/review/screening-memory.server';
import { actingUser, requirePermission } from '../utils/auth.server';
import { redirectWithFlash } from '../utils/session.server';
import { kindLabel } from '../utils/labels';

export const meta: MetaFunction = () => [{ title: 'Review queue · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'review.queue');
  const today = todayUtc();
  const url = new URL(request.url);
  const query = parseQueueQuery(url);
  return json({
    today,
    query,
    leftOut: queueFiltersLeftOut(url, query),
    queue: reviewQueue(query, today, actingUser(user)),
    choices: queueFilterChoices(),
    // Approved partnerships a scheduled rescan found a new hit on: flagged here, never changed.
    screeningAlerts: openAlerts(),
  });
}

// "I'm reviewing this" and letting go, from the queue or the dossier header (a POST: reading writes nothing).
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'review.queue');
  const submission = parseWithZod(await request.formData(), { schema: claimFormSchema });
  if (submission.status !== 'success') return json({ message: 'Choose a proposal to take or to let go.' }, { status: 400 });
  const { intent, proposal, back } = submission.value;
  const result = intent === 'claim' ? claimProposal(actingUser(user), proposal) : releaseProposal(actingUser(user), proposal);
  if (!result.ok) return json({ message: result.message }, { status: result.status });
  return redirectWithFlash(back === 'dossier' ? `/review/${proposal}` : '/review', { kind: 'success', message: result.message });
}

// Labels live here, not in the .server module: the browser renders them too.
const FLAG_LABEL: Record<QueueFlag, string> = {
  recommend_reject: 'Recommend reject',
  values_concerns: 'Values concerns',
  agenda_conflicts: 'Agenda conflicts',
  unknown_items: 'Unknown agenda items',
  critical_risk: 'Critical residual risk',
  perception_conditions: 'Perception conditions',
  screening_hits: 'Screening hits',
};
const FLAG_TONE: Record<QueueFlag, 'bad' | 'warn'> = {
  recommend_reject: 'bad',
  values_concerns: 'warn',
  agenda_conflicts: 'bad',
  unknown_items: 'warn',
  critical_risk: 'bad',
  perception_conditions: 'warn',
  screening_hits: 'bad',
};

// The same output as formatDate/formatDateTime of utils/labels, from formatters
// built once: toLocale*String builds a new one per call (about 0.15 ms), and
// the queue formats two dates on each of its 50 rows.
const DAY = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const DAY_TIME = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});
const formatDate = (day: string) => DAY.format(new Date(`${day}T00:00:00Z`));
const formatDateTime = (iso: string | null) => (iso ? `${DAY_TIME.format(new Date(iso))} UTC` : '—');

const TIMING: Record<EventTiming, { text: string; tone: 'bad' | 'warn' } | null> = {
  past: { text: 'Date passed', tone: 'bad' },
  close: { text: 'Within 14 days', tone: 'warn' },
  later: null,
};

function pageHref(query: QueueQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.chapterId) params.set('chapter', String(query.chapterId));
  if (query.campaignId) params.set('campaign', String(query.campaignId));
  if (query.flag) params.set('flag', query.flag);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `/review?${s}` : '/review';
}

type Alert = { proposalId: number; reference: string; eventTitle: string; partnerName: string; chapterName: string; entityId: string; caption: string; raisedAt: string };

/** Approved partnerships with a new screening hit: to look at again; the approval stands until staff act. */
function ScreeningAlerts({ alerts }: { alerts: Alert[] }) {
  return (
    <section className="panel" aria-labelledby="screening-alerts-heading" data-testid="screening-alerts">
      <h2 id="screening-alerts-heading">
        <Tag tone="bad">New screening hits</Tag> on approved partnerships
      </h2>
      <p className="small">A scheduled rescan found these listings. Nothing changed: each approval stands until staff act on it.</p>
      <ul>
        {alerts.map((a) => (
          <li key={`${a.proposalId}-${a.entityId}`} data-proposal={a.proposalId}>
            <Link to={`/review/${a.proposalId}/screening`} dir="auto">
              {a.eventTitle}
            </Link>{' '}
            <span dir="auto">with {a.partnerName}</span> ({a.reference}, {a.chapterName}): <span dir="auto">“{a.caption}”</span>, found{' '}
            {formatDateTime(a.raisedAt)}
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function ReviewQueue() {
  const { query, queue, choices, screeningAlerts, leftOut } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const filtered = query.chapterId !== null || query.campaignId !== null || query.flag !== null;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Review queue</h1>
          <p>
            {queue.waiting === 1 ? '1 proposal is' : `${queue.waiting} proposals are`} waiting for a staff decision, oldest
            submission first.
          </p>
        </div>
        <div className="row">
          <Link className="button button--secondary" to="/proposals">
            All proposals
          </Link>
          <Link className="button button--secondary" to="/review/revetting">
            Re-vetting due
          </Link>
        </div>
      </div>
      {refusal ? (
        <div className="alert alert--bad" role="alert">
          {refusal.message}
        </div>
      ) : null}

      {screeningAlerts.length > 0 ? <ScreeningAlerts alerts={screeningAlerts} /> : null}

      <LeftOutNotice
        title="Part of this filter was left out"
        testId="queue-left-out"
        items={leftOut.map((l) => ({ key: l.name, label: l.name, value: l.value, reason: l.reason }))}
      />

      <Form method="get" className="panel" aria-labelledby="filter-heading">
        <h2 id="filter-heading" className="visually-hidden">
          Filter the queue
        </h2>
        <div className="row" style={{ alignItems: 'flex-end', gap: '0.75rem 1rem' }}>
          <FilterSelect id="filter-chapter" name="chapter" label="Chapter" allLabel="All chapters" value={query.chapterId} choices={choices.chapters} />
          <FilterSelect id="filter-campaign" name="campaign" label="Campaign" allLabel="All campaigns" value={query.campaignId} choices={choices.campaigns} />
          <div className="field" style={{ marginBottom: 0 }}>
            <label htmlFor="filter-flag">Flag</label>
            <select id="filter-flag" name="flag" defaultValue={query.flag ?? ''}>
              <option value="">Any or none</option>
              {choices.flags.map((f) => (
                <option key={f} value={f}>
                  {FLAG_LABEL[f]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button">
            Filter
          </button>
          {filtered ? <Link to="/review">Clear filters</Link> : null}
        </div>
      </Form>

      {queue.items.length === 0 ? (
        <div className="panel">
          <p>{filtered ? 'No proposal in the queue matches these filters.' : 'Nothing is waiting for a decision.'}</p>
        </div>
      ) : (
        <div className="table-wrap panel" style={{ padding: 0 }}>
          <table className="data data--stack" data-testid="review-queue">
            <caption className="visually-hidden">
              Proposals waiting for a decision{filtered ? `, filtered: ${queue.total} of ${queue.waiting}` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Event and partner</th>
                <th scope="col">Chapter</th>
                <th scope="col">Event date</th>
                <th scope="col">Submitted</th>
                <th scope="col">Waiting</th>
                <th scope="col">Reviewer</th>
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {queue.items.map((item) => {
                const timing = TIMING[item.timing];
                return (
                  <tr key={item.id} data-proposal={item.id}>
                    <td className="cell--wide">
                      <Link to={`/review/${item.id}`} dir="auto">
                        {item.eventTitle}
                      </Link>
                      <div className="small" dir="auto">
                        {item.partnerName}
                      </div>
                      <div className="small muted">
                        {item.reference} · {kindLabel(item.kind)} · {item.campaignName}
                      </div>
                    </td>
                    <td data-label="Chapter">{item.chapterName}</td>
                    <td data-label="Event date">
                      <time dateTime={item.eventDate}>{formatDate(item.eventDate)}</time>
                      {timing ? (
                        <div>
                          <Tag tone={timing.tone}>{timing.text}</Tag>
                        </div>
                      ) : null}
                    </td>
                    <td className="small" data-label="Submitted">{formatDateTime(item.submittedAt)}</td>
                    <td className="small" data-label="Waiting">{item.waitingDays === 1 ? '1 day' : `${item.waitingDays} days`}</td>
                    <td className="small" data-label="Reviewer">
                      <ClaimControl
                        proposalId={item.id}
                        title={item.eventTitle}
                        claim={item.claim}
                        mayClaim={item.mayClaim}
                        back="queue"
                        busy={busy}
                        since={item.claim ? formatDateTime(item.claim.since) : ''}
                      />
                      {!item.claim && item.claimRefusal ? <p className="small muted">{item.claimRefusal}</p> : null}
                    </td>
                    <td data-label="Flags">
                      {item.flags.length === 0 ? (
                        <span className="muted small">None</span>
                      ) : (
                        <ul className="row" style={{ listStyle: 'none', margin: 0, padding: 0, gap: '0.3rem' }}>
                          {item.flags.map((f) => (
                            <li key={f}>
                              <Tag tone={FLAG_TONE[f]}>{FLAG_LABEL[f]}</Tag>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {queue.pages > 1 ? (
        <nav aria-label="Queue pages" className="row">
          {queue.page > 1 ? <Link to={pageHref(query, queue.page - 1)}>← Earlier submissions</Link> : null}
          <span className="muted">
            Page {queue.page} of {queue.pages} ({queue.total} proposals)
          </span>
          {queue.page < queue.pages ? <Link to={pageHref(query, queue.page + 1)}>Later submissions →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
