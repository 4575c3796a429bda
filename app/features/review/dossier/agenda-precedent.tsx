// The precedent of a dossier's agenda items: decided proposals of any chapter that carried the
// same items or positions. It only shows records, so the loader renders it to HTML
// (markup.server.tsx); its links are plain links the router follows with JavaScript.
import { ClassificationTag } from '../../../components/agenda-map';
import { Tag } from '../../../components/forms';
import { outcomeLabel, outcomeTone } from '../../../utils/labels';
import type { DossierData } from './parts';

export function AgendaPrecedentList({ precedent }: { precedent: DossierData['agendaPrecedent'] }) {
  return (
    <>
      <h3>Precedent: the same agenda items or positions elsewhere</h3>
      {precedent.length === 0 ? (
        <p className="muted">No decided proposal from any chapter carried these items or positions.</p>
      ) : (
        // One entry per earlier proposal, so its decision and rationale are said once, with every item it shares.
        <ul className="stack" style={{ paddingLeft: '1.1rem' }} data-testid="agenda-precedent">
          {precedentByProposal(precedent).map((g) => (
            <li key={g.proposalId} data-precedent-proposal={g.proposalId}>
              <a href={`/review/${g.proposalId}`}>
                {g.reference} “<bdi>{g.eventTitle}</bdi>”
              </a>{' '}
              ({g.chapterName}, <bdi>{g.partnerName}</bdi>)
              {g.decisionOutcome ? (
                <>
                  {' '}
                  · decision: <Tag tone={outcomeTone(g.decisionOutcome)}>{outcomeLabel(g.decisionOutcome)}</Tag>
                  {g.decisionRationale ? <span dir="auto"> {g.decisionRationale}</span> : null}
                </>
              ) : null}
              <ul className="small">
                {g.items.map((m) => (
                  <li key={`${m.ourItemId}-${m.theirItemId}`}>
                    <strong dir="auto">“{m.ourText}”</strong>: <ClassificationTag classification={m.classification} />
                    {m.staffClassified ? ' (classified by staff)' : ''} there, same {m.matchedBy.join(' and ')}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

type PrecedentGroup = {
  proposalId: number;
  reference: string;
  eventTitle: string;
  chapterName: string;
  partnerName: string;
  decisionOutcome: string | null;
  decisionRationale: string | null;
  items: {
    ourItemId: number;
    ourText: string;
    theirItemId: number;
    classification: string;
    staffClassified: boolean;
    matchedBy: string[];
  }[];
};

/** The per-item precedent regrouped by the earlier proposal it comes from, in order of first appearance. */
function precedentByProposal(precedent: DossierData['agendaPrecedent']): PrecedentGroup[] {
  const groups = new Map<number, PrecedentGroup>();
  for (const ap of precedent) {
    for (const m of ap.matches) {
      let g = groups.get(m.proposal_id);
      if (!g) {
        g = {
          proposalId: m.proposal_id,
          reference: m.reference,
          eventTitle: m.event_title,
          chapterName: m.chapter_name,
          partnerName: m.partner_name,
          decisionOutcome: m.decision_outcome,
          decisionRationale: m.decision_rationale,
          items: [],
        };
        groups.set(m.proposal_id, g);
      }
      g.items.push({
        ourItemId: ap.itemId,
        ourText: ap.text,
        theirItemId: m.item_id,
        classification: m.classification,
        staffClassified: Boolean(m.staff_classified),
        matchedBy: m.matchedBy,
      });
    }
  }
  return [...groups.values()];
}
