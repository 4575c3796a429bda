// One listed entity as staff weigh it: who listed it, when, on what basis, and how close the match is.
import { formatDate } from '../../../utils/labels';

export type HitFactsProps = {
  hit: {
    entityId: string;
    lists: string[];
    authority: string | null;
    program: string | null;
    listedOn: string | null;
    score: number;
    explanations: string[];
    countries: string[];
    topics: string[];
    sourceUrl: string | null;
  };
};

export function HitFacts({ hit: h }: HitFactsProps) {
  return (
    <>
      <ul className="small screening-hit__facts">
        <li>List: {h.lists.join(', ')}</li>
        <li>Authority: {h.authority ?? 'not given'}</li>
        {h.program ? <li>Program: {h.program}</li> : null}
        <li>Listed: {h.listedOn ? formatDate(h.listedOn) : 'date not given'}</li>
        <li>
          Match score {h.score} (at or above the service’s match threshold)
          {h.explanations.length > 0 ? <span className="muted"> · {h.explanations.join('; ')}</span> : null}
        </li>
        <li>
          Entity id: <code>{h.entityId}</code>
        </li>
        {h.countries.length > 0 ? <li>Countries: {h.countries.map((c) => c.toUpperCase()).join(', ')}</li> : null}
        {h.topics.length > 0 ? <li>Topics: {h.topics.join(', ')}</li> : null}
      </ul>
      {h.sourceUrl && /^https?:\/\//.test(h.sourceUrl) ? (
        <a className="small" href={h.sourceUrl} rel="noopener noreferrer nofollow">
          Source of the listing
        </a>
      ) : null}
    </>
  );
}
