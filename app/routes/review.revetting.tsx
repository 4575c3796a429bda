import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Tag } from '../components/forms';
import { todayUtc } from '../jobs/expiry.server';
import { REVETTING_HORIZON_DAYS, revettingList } from '../features/review/review.server';
import { requirePermission } from '../utils/auth.server';
import { formatDate, stateLabel, stateTone } from '../utils/labels';

export const meta: MetaFunction = () => [{ title: 'Re-vetting due · Cosponsor' }];

const SHOWN = 200;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'review.queue');
  const today = todayUtc();
  const entries = revettingList(today);
  // The most urgent first; a long tail is better worked from the queue than read in one page.
  return json({ today, horizon: REVETTING_HORIZON_DAYS, total: entries.length, entries: entries.slice(0, SHOWN) });
}

export default function Revetting() {
  const { entries, total, horizon } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link to="/review">← Review queue</Link>
          </p>
          <h1>Re-vetting due</h1>
          <p>
            Partners whose approval has expired or ends within {horizon} days. A partnership that continues needs a new
            proposal: it links to the one before.
            {total > entries.length ? ` Showing the ${entries.length} most urgent of ${total}.` : ''}
          </p>
        </div>
      </div>
      {entries.length === 0 ? (
        <div className="panel">
          <p>No approval has expired or ends within {horizon} days.</p>
        </div>
      ) : (
        <div className="table-wrap panel" style={{ padding: 0 }}>
          <table className="data data--stack" data-testid="revetting">
            <caption className="visually-hidden">Partners due for re-vetting</caption>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">Last approval</th>
                <th scope="col">Approved until</th>
                <th scope="col">Re-vetting</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.partnerId} data-partner={e.partnerId}>
                  <th scope="row">{e.partnerName}</th>
                  <td className="cell--wide" data-label="Last approval">
                    <Link to={`/review/${e.proposalId}`}>
                      {e.reference} “{e.eventTitle}”
                    </Link>
                    <div className="small muted">{e.chapterName}</div>
                  </td>
                  <td data-label="Approved until">
                    {formatDate(e.approvedUntil)}{' '}
                    {e.status === 'expired' ? <Tag tone="bad">Expired</Tag> : <Tag tone="warn">Ends soon</Tag>}
                  </td>
                  <td data-label="Re-vetting">
                    {e.newer ? (
                      <>
                        <Link to={`/review/${e.newer.id}`}>{e.newer.reference}</Link>{' '}
                        <Tag tone={stateTone(e.newer.state)}>{stateLabel(e.newer.state)}</Tag>
                      </>
                    ) : (
                      <span className="muted">No new proposal yet</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
