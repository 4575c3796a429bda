// Evidence files as pages show them: the names of types and sizes, the download address,
// and the read-only list of the dossier and the record. No form code: the dossier and the
// record page load only this.

const LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel workbook',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint presentation',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet',
  'application/msword': 'Word 97-2003 document',
  'application/vnd.ms-excel': 'Excel 97-2003 workbook',
};

export const typeLabel = (mime: string) => LABELS[mime] ?? 'File';

export function sizeLabel(bytes: number | string): string {
  const n = Number(bytes);
  if (!Number.isFinite(n)) return '';
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

export const attachmentHref = (proposalId: number, sha256: string) => `/proposals/${proposalId}/attachments/${sha256}`;

// The list of the dossier and the record: each file a download link with its type, size,
// effective date and SHA-256.

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
