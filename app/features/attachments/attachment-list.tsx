// A read-only list of the files cited as evidence (dossier, record page): each a download
// link with its type, size, effective date and SHA-256.
import { attachmentHref, sizeLabel, typeLabel } from './file-labels';

export type AttachmentShown = { sha256: string; size: number | string; type: string; name: string; effectiveDate: string; uploadedAt?: string };

export function AttachmentList({ proposalId, attachments }: { proposalId: number; attachments: AttachmentShown[] | undefined }) {
  if (!attachments || attachments.length === 0) return null;
  return (
    <ul className="attachment-list small">
      {attachments.map((a) => (
        <li key={a.sha256}>
          <a href={attachmentHref(proposalId, a.sha256)} download={a.name}>
            {a.name}
          </a>{' '}
          <span className="muted">
            ({typeLabel(a.type)}, {sizeLabel(a.size)}; effective {a.effectiveDate || 'date not given'})
          </span>{' '}
          <code className="hash" title="SHA-256 of the file">
            {a.sha256.slice(0, 12)}…
          </code>
        </li>
      ))}
    </ul>
  );
}
