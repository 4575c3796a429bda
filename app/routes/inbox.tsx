import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Tag } from '../components/forms';
import { inboxActionSchema } from '../features/inbox/inbox-forms.server';
import { INBOX_PAGE_SIZE, inboxCounts, inboxFor, markAllRead, markRead } from '../features/inbox/inbox.server';
import { requireUser } from '../utils/auth.server';
import { toResponse } from '../utils/errors.server';
import { formatDateTime } from '../utils/labels';
import { redirectWithFlash } from '../utils/session.server';
import { positiveWholeNumber } from '../utils/whole-number';
import { isChapterLead, isStaff } from '../../workflows/policy';

export const meta: MetaFunction = () => [{ title: 'Inbox · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const unreadOnly = url.searchParams.get('show') === 'unread';
  const requested = positiveWholeNumber(url.searchParams.get('page'));
  const counts = inboxCounts(user);
  const pages = Math.max(1, Math.ceil((unreadOnly ? counts.unread : counts.total) / INBOX_PAGE_SIZE));
  // Past the last page is the last page; anything but a page number in digits is the first.
  const page = requested === null ? 1 : Math.min(requested, pages);
  // What an empty inbox promises depends on who reads it: only chapter leads and staff are sent messages.
  const receives = { lead: isChapterLead(user), staff: isStaff(user) };
  return json({ unreadOnly, page, pages, unread: counts.unread, receives, items: inboxFor(user, { unreadOnly, page }) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await request.formData(), { schema: inboxActionSchema });
  if (submission.status !== 'success') {
    return json({ message: submission.error?.id?.[0] ?? submission.error?.intent?.[0] ?? 'Unknown action.' }, { status: 400 });
  }
  const v = submission.value;
  if (v.intent === 'read-all') {
    const n = markAllRead(user.id);
    // Nothing marked happens from a second tab, after the first marked everything.
    const message = n === 0 ? 'Nothing was unread: every message was already marked read.' : n === 1 ? 'Marked 1 message read.' : `Marked ${n} messages read.`;
    return redirectWithFlash('/inbox', { kind: 'success', message });
  }
  // Only the person's own messages change: anything else must not be reported as done.
  const result = markRead(user.id, v.id);
  if (!result.ok) return toResponse(result);
  return redirectWithFlash('/inbox', { kind: 'success', message: result.outcome === 'marked' ? 'Marked read.' : 'That message was already marked read.' });
}

const KIND: Record<string, { text: string; tone: 'good' | 'warn' | 'bad' | 'neutral' }> = {
  approved: { text: 'Approved', tone: 'good' },
  rejected: { text: 'Rejected', tone: 'bad' },
  changes_requested: { text: 'Changes requested', tone: 'warn' },
  expired: { text: 'Expired', tone: 'bad' },
  submitted: { text: 'In review', tone: 'neutral' },
  partner_answered: { text: 'Partner answered', tone: 'neutral' },
  screening_alert: { text: 'New screening hit', tone: 'bad' },
};

export default function Inbox() {
  const { items, unreadOnly, unread, page, pages, receives } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const pageHref = (n: number) => `/inbox?${new URLSearchParams({ ...(unreadOnly ? { show: 'unread' } : {}), ...(n > 1 ? { page: String(n) } : {}) })}`;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Inbox</h1>
          <p>{unread === 0 ? 'Nothing unread.' : unread === 1 ? '1 unread message.' : `${unread} unread messages.`}</p>
        </div>
        <div className="row">
          {unreadOnly ? <Link to="/inbox">Show all</Link> : <Link to="/inbox?show=unread">Show unread only</Link>}
          {unread > 0 ? (
            <Form method="post">
              <input type="hidden" name="intent" value="read-all" />
              <button type="submit" className="button button--secondary" disabled={busy}>
                Mark all read
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      {refused && 'message' in refused ? (
        <p className="alert alert--bad" role="alert">
          {refused.message}
        </p>
      ) : null}
      {items.length === 0 ? (
        <div className="panel">
          {unreadOnly ? (
            <p>No unread messages.</p>
          ) : receives.lead || receives.staff ? (
            <p>
              No messages yet.
              {receives.lead ? ' Staff decisions on your chapter’s proposals, and partners’ answers to their questionnaires, appear here.' : ''}
              {receives.staff ? ' Proposals that reach the review queue, and new screening hits, appear here.' : ''}
            </p>
          ) : (
            <p>
              No message is sent to your role here: messages go to chapter leads and staff. Every decision is in the{' '}
              <Link to="/decisions">decision register</Link>.
            </p>
          )}
        </div>
      ) : (
        <ul className="cards" data-testid="inbox">
          {items.map((item) => (
            <li key={item.id} className="card" data-read={item.read ? 'true' : 'false'} style={item.read ? undefined : { borderLeft: '4px solid var(--brand)' }}>
              <div className="row">
                <Tag tone={KIND[item.kind]?.tone ?? 'neutral'}>{KIND[item.kind]?.text ?? item.kind}</Tag>
                {item.read ? <span className="small muted">Read</span> : <strong className="small">Unread</strong>}
                <span className="spacer" />
                <time className="small muted" dateTime={item.createdAt}>
                  {formatDateTime(item.createdAt)}
                </time>
              </div>
              <p style={{ margin: 0 }} dir="auto">
                {item.message}
              </p>
              <div className="row">
                <Link to={item.href}>
                  Open {item.reference}
                  <span className="visually-hidden"> “{item.eventTitle}”</span>
                </Link>
                {!item.read ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={item.id} />
                    <button type="submit" className="button button--secondary button--small" disabled={busy}>
                      Mark read<span className="visually-hidden">: {item.reference}</span>
                    </button>
                  </Form>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 ? (
        <nav aria-label="Inbox pages" className="row" style={{ marginTop: '1rem' }}>
          {page > 1 ? <Link to={pageHref(page - 1)}>← Newer</Link> : null}
          <span className="muted">
            Page {page} of {pages}
          </span>
          {page < pages ? <Link to={pageHref(page + 1)}>Older →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
