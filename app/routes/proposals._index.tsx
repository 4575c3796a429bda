// The chapter's proposals, grouped by what needs the lead's action first.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Tag } from '../components/forms';
import { mayPropose } from '../../workflows/policy';
import { proposalGroups } from '../features/vetting/proposals.server';
import { actingUser, requireUser } from '../utils/auth.server';
import { formatDate, kindLabel, stateLabel, stateTone, stepLabel } from '../utils/labels';

export const meta: MetaFunction = () => [{ title: 'Proposals · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { seesAll, groups, total } = proposalGroups(actingUser(user));
  return json({
    groups,
    total,
    scope: seesAll ? 'All chapters' : (user.chapter_name ?? 'Your chapter'),
    canPropose: mayPropose({ roles: user.roles, chapterId: user.chapter_id }),
  });
}

export default function Proposals() {
  const { groups, total, scope, canPropose } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Proposals</h1>
          <p>
            {scope} · {total} {total === 1 ? 'proposal' : 'proposals'}, what needs your action first.
          </p>
        </div>
        {canPropose ? (
          <Link className="button" to="/proposals/new">
            <span aria-hidden="true">+ </span>New proposal
          </Link>
        ) : null}
      </div>
      <nav aria-label="Groups" className="group-nav small">
        {groups.map((g) => (
          <a key={g.key} href={`#group-${g.key}`}>
            {g.title} <span className="count">({g.proposals.length})</span>
          </a>
        ))}
      </nav>
      {groups.map((g) => (
        <section key={g.key} id={`group-${g.key}`} className={`proposal-group proposal-group--${g.key}`} aria-labelledby={`group-${g.key}-title`}>
          <h2 id={`group-${g.key}-title`}>
            {g.title} <span className="count muted">({g.proposals.length})</span>
          </h2>
          <p className="muted small">{g.hint}</p>
          {g.proposals.length === 0 ? (
            <p className="empty small muted">Nothing here.</p>
          ) : (
            <ul className="cards">
              {g.proposals.map((p) => (
                <li key={p.id} className="card proposal-card">
                  <Link to={`/proposals/${p.id}`} className="card__title" dir="auto">
                    {p.event}
                  </Link>
                  <div className="card__meta">
                    <span>
                      <span className="visually-hidden">Partner: </span>
                      <bdi>{p.partner}</bdi>
                    </span>
                    <span>
                      <span className="visually-hidden">Event date: </span>
                      {formatDate(p.eventDate)}
                    </span>
                    <span>{kindLabel(p.kind)}</span>
                    <span className="mono">{p.reference}</span>
                    {scope === 'All chapters' ? <span>{p.chapter}</span> : null}
                  </div>
                  <div className="row">
                    <Tag tone={stateTone(p.state)}>{stateLabel(p.state)}</Tag>
                    {p.returnedTo ? <Tag tone="warn">Sent back to {stepLabel(p.returnedTo)}</Tag> : null}
                    {p.recommendReject ? <Tag tone="bad">Recommend reject</Tag> : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}
