import type { AttachmentRef } from './types';

// Where a step's input (or a record's inputs) cites files: every `attachments` list, at any
// depth, with the path of the criterion or item that holds it. Pure, so the verifier,
// the download check and the pages read records the same way.

export type CitedAttachment = { ref: AttachmentRef; path: string[] };

const isRef = (v: unknown): v is AttachmentRef =>
  !!v && typeof v === 'object' && typeof (v as AttachmentRef).sha256 === 'string' && typeof (v as AttachmentRef).name === 'string';

export function attachmentsIn(value: unknown, path: string[] = [], out: CitedAttachment[] = [], depth = 0): CitedAttachment[] {
  if (!value || typeof value !== 'object' || depth > 12) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => attachmentsIn(v, [...path, String(i)], out, depth + 1));
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === 'attachments' && Array.isArray(v)) {
      for (const ref of v) if (isRef(ref)) out.push({ ref, path });
    } else attachmentsIn(v, [...path, key], out, depth + 1);
  }
  return out;
}
