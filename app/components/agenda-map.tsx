// The partner's agenda items against the organization's positions. Each classification
// has its own icon, word and border style, so the difference never rests on colour alone.
export type AgendaMapItem = {
  id: number;
  text: string;
  scope: string;
  classification: string;
  positionKey: string | null;
  positionStatement: string | null;
};

const CLASSIFICATION_INFO: Record<string, { label: string; icon: string; tone: string; help: string }> = {
  aligned: { label: 'Aligned', icon: '✓', tone: 'good', help: 'The organization calls for this.' },
  compatible: { label: 'Compatible', icon: '≈', tone: 'good', help: 'Within the mandate, complementary.' },
  no_position: { label: 'No position', icon: '⊘', tone: 'warn', help: 'The organization must not appear to endorse it.' },
  conflicting: { label: 'Conflicting', icon: '✕', tone: 'bad', help: 'Opposed by the organization, or outside its mandate.' },
  unknown: { label: 'Unknown', icon: '?', tone: 'neutral', help: 'Not yet mapped: staff will classify it.' },
};

export function classificationInfo(c: string) {
  return CLASSIFICATION_INFO[c] ?? CLASSIFICATION_INFO.unknown;
}

export function ClassificationTag({ classification }: { classification: string }) {
  const info = classificationInfo(classification);
  return (
    <span className={`agenda-tag agenda-tag--${classification}`}>
      <span aria-hidden="true">{info.icon}</span> {info.label}
    </span>
  );
}

export function AgendaMap({ items, emptyText = 'No agenda items recorded.' }: { items: AgendaMapItem[]; emptyText?: string }) {
  if (items.length === 0) return <p className="muted">{emptyText}</p>;
  return (
    <ul className="agenda-map">
      {items.map((it) => (
        <li key={it.id} className={`agenda-item agenda-item--${it.classification}`} data-classification={it.classification}>
          <div className="row">
            <ClassificationTag classification={it.classification} />
            <span className="tag tag--neutral">{it.scope === 'event' ? 'This event' : 'General agenda'}</span>
          </div>
          <p className="agenda-item__text" dir="auto">
            {it.text}
          </p>
          <p className="agenda-item__position small">
            {it.positionStatement ? (
              <>
                <span className="muted">Position: </span>
                {it.positionStatement}
              </>
            ) : (
              <span className="muted">Not mapped to a position.</span>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}
