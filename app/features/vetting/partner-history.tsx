// A partner's earlier proposals, shown on every proposal page and the partner's page.
// A module of its own so those pages do not ship the new-proposal partner picker.
import type { SerializeFrom } from '@remix-run/node';
import { Link } from '@remix-run/react';
// A type only: erased from the browser bundle.
import type { PartnerHistoryEntry } from './proposals.server';
import { formatDate, stateLabel, stateTone } from '../../utils/labels';
import { Tag } from '../../components/forms';

type HistoryEntry = SerializeFrom<PartnerHistoryEntry>;

/** Earlier proposals with a partner: the viewer's own with a link, other chapters' decided precedent with its reason. */
export function PartnerHistoryList({ history }: { history: HistoryEntry[] }) {
  return (
    <ul className="small partner-history">
      {history.map((h, i) => (
        <li key={h.id ?? `precedent-${i}`}>
          <Tag tone={stateTone(h.state)}>{stateLabel(h.state)}</Tag>{' '}
          {h.id !== null && h.event ? (
            <>
              <Link to={`/proposals/${h.id}`} dir="auto">
                {h.event}
              </Link>{' '}
              · {h.chapter} · {formatDate(h.eventDate ?? '')}
            </>
          ) : (
            `${h.chapter} (precedent)`
          )}
          {h.decidedAt ? ` · decided ${formatDate(h.decidedAt)}` : ''}
          {h.reason ? (
            <span className="muted">
              {' '}
              · reason: <span dir="auto">{h.reason}</span>
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
