// The proposal list's cards rendered to HTML in the loader: they only show proposals, so they
// reach the browser once, as the page's HTML (components/server-markup.tsx), not a second time
// as data to hydrate from. Their links are plain <a href>, which the router follows when
// JavaScript runs (server-markup.tsx) and the browser follows without it.
import { renderToStaticMarkup } from 'react-dom/server';
import { Tag } from '../../components/forms';
import { formatDate, kindLabel, stateLabel, stateTone, stepLabel } from '../../utils/labels';

export type ProposalCard = {
  id: number;
  reference: string;
  partner: string;
  chapter: string;
  event: string;
  eventDate: string;
  kind: string;
  state: string;
  returnedTo: string | null;
  recommendReject: boolean;
};

function ProposalCards({ proposals, seesAll }: { proposals: ProposalCard[]; seesAll: boolean }) {
  return (
    <ul className="cards">
      {proposals.map((p) => (
        <li key={p.id} className="card proposal-card" data-proposal={p.id}>
          <a href={`/proposals/${p.id}`} className="card__title" dir="auto">
            {p.event}
          </a>
          <div className="card__meta">
            <span dir="auto">
              <span className="visually-hidden">Partner: </span>
              <bdi>{p.partner}</bdi>
            </span>
            <span>
              <span className="visually-hidden">Event date: </span>
              {formatDate(p.eventDate)}
            </span>
            <span>{kindLabel(p.kind)}</span>
            <span className="mono">{p.reference}</span>
            {seesAll ? <span>{p.chapter}</span> : null}
          </div>
          <div className="row">
            <Tag tone={stateTone(p.state)}>{stateLabel(p.state)}</Tag>
            {p.returnedTo ? <Tag tone="warn">Sent back to {stepLabel(p.returnedTo)}</Tag> : null}
            {p.recommendReject ? <Tag tone="bad">Recommend reject</Tag> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function proposalCardsMarkup(proposals: ProposalCard[], seesAll: boolean): string {
  return renderToStaticMarkup(<ProposalCards proposals={proposals} seesAll={seesAll} />);
}
