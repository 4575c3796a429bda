import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Tag } from '../components/forms';
import { todayUtc } from '../jobs/expiry.server';
import { mayPropose, seesEveryChapter, stateAsOf } from '../../workflows/policy';
import { recentProposals } from '../features/vetting/proposals.server';
import { requireUser } from '../utils/auth.server';
import { formatDate, kindLabel, stateLabel, stateTone } from '../utils/labels';

export const meta: MetaFunction = () => [{ title: 'Proposals · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // An approval past its end date reads as expired; the sweep in server.ts records it.
  const today = todayUtc();
  // Chapter leads see their own chapter; staff, reviewers and admins see all.
  const seesAll = seesEveryChapter(user);
  const proposals = recentProposals(seesAll ? null : (user.chapter_id ?? -1));
  return json({
    canPropose: mayPropose({ roles: user.roles, chapterId: user.chapter_id }),
    scope: seesAll ? 'all chapters' : (user.chapter_name ?? 'your chapter'),
    proposals: proposals.map((p) => ({
      id: p.id,
      reference: p.reference,
      partner: p.partner_name,
      chapter: p.chapter_name,
      event: p.event_title,
      eventDate: p.event_date,
      kind: p.kind,
      state: stateAsOf(p.state, p.approved_until, today),
      recommendReject: p.recommend_reject === 1,
      updatedAt: p.updated_at,
    })),
  });
}

export default function Home() {
  const { proposals, canPropose, scope } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Co-sponsorship proposals</h1>
          <p>Most recently changed first, {scope}.</p>
        </div>
        {canPropose ? (
          <Link className="button" to="/proposals/new">
            Propose a partnership
          </Link>
        ) : null}
      </div>
      {proposals.length === 0 ? (
        <div className="panel">
          <p>No proposals yet.</p>
        </div>
      ) : (
        <div className="table-wrap panel" style={{ padding: 0 }}>
          <table className="data data--stack">
            <caption className="visually-hidden">Proposals</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Partner</th>
                <th scope="col">Chapter</th>
                <th scope="col">Event date</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {proposals.map((p) => (
                <tr key={p.id}>
                  <td data-label="Event">
                    <Link to={`/proposals/${p.id}`} dir="auto">
                      {p.event}
                    </Link>
                    <div className="small muted">
                      {p.reference} · {kindLabel(p.kind)}
                    </div>
                  </td>
                  <td data-label="Partner" dir="auto">
                    {p.partner}
                  </td>
                  <td data-label="Chapter">{p.chapter}</td>
                  <td data-label="Event date">{formatDate(p.eventDate)}</td>
                  <td data-label="State">
                    <Tag tone={stateTone(p.state)}>{stateLabel(p.state)}</Tag>
                    {p.recommendReject ? (
                      <>
                        {' '}
                        <Tag tone="bad">Recommend reject</Tag>
                      </>
                    ) : null}
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
