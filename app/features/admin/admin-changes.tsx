// The admin log as a timeline: who changed what, newest first.
import { formatDateTime } from '../../utils/labels';

// The shape of AdminChange in admin.server.ts, as the loaders send it.
export type AdminChangeItem = { id: number; at: string; actor: string; text: string };

export function AdminChanges({
  id,
  title,
  changes,
  emptyText = 'No changes yet.',
}: {
  id: string;
  title: string;
  changes: AdminChangeItem[];
  emptyText?: string;
}) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {changes.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <ol className="timeline">
          {changes.map((c) => (
            <li key={c.id}>
              <div className="timeline__meta">{formatDateTime(c.at)}</div>
              <div>
                <strong>{c.actor}</strong> {c.text}.
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
