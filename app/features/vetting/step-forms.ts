// What a step form holds while someone types: plain strings, exactly as entered,
// so a draft, an error re-render or a stale re-render gives back every character.
// The same readers take a submitted input (numbers, nulls, link lists) back to text
// when a step sent back starts from its last submission. No zod here: this module
// also runs in the browser (live outcomes), and must stay small.

/** An attached file's row as the form holds it (hidden fields, and the date as typed). */
export type AttachmentTyped = { sha256: string; size: string; type: string; name: string; effectiveDate: string; uploadedAt: string };
export type ValuesTyped = { ratings: Record<string, { rating: string; evidence: string; links: string; attachments: AttachmentTyped[] }> };
export type AgendaTypedItem = { text: string; scope: string; classification: string; positionKey: string };
export type AgendaTyped = { items: AgendaTypedItem[] };
export type RiskTypedItem = {
  kind: string;
  category: string;
  description: string;
  likelihood: string;
  impact: string;
  mitigation: string;
  residualLikelihood: string;
  residualImpact: string;
  attachments: AttachmentTyped[];
};
export type RiskTyped = { items: RiskTypedItem[] };
export type PerceptionTyped = { answers: Record<string, { answer: string; note: string; attachments: AttachmentTyped[] }> };

export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
export const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []);

/** An item's attached files, from a form payload, a draft or a submitted input. */
export function readAttachments(raw: unknown): AttachmentTyped[] {
  return arr(raw)
    .map(obj)
    .filter((a) => str(a.sha256) !== '')
    .map((a) => ({
      sha256: str(a.sha256),
      size: str(a.size),
      type: str(a.type),
      name: str(a.name),
      effectiveDate: str(a.effectiveDate),
      uploadedAt: str(a.uploadedAt),
    }));
}

// ---- Reading what arrived (form payload, saved draft) into typed values: one module per
// step (step-typed-*.ts), so a step page ships only its own readers ----

// ---- Lenient conversion for previews (the live outcome); the server validates strictly ----

/** What a 1..5 scale's select sends: one digit. Number() alone would also read 0x3, 3e0, +3 and ' 3' as 3. */
export const SCALE_VALUE = /^[1-5]$/;
/** A scale's value for the preview: what the select would show, or NaN (nothing chosen). */
export const num = (s: string): number => (SCALE_VALUE.test(s) ? Number(s) : Number.NaN);
export const numOrNull = (s: string): number | null => (s.trim() === '' ? null : num(s));

export function splitLines(s: string): string[] {
  return s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

// ---- Form field names (conform's convention: a.b[0].c) ----

/** "items.2.residualImpact" or "input.items.2.x" (service paths) -> "items[2].residualImpact". */
export function formKey(path: string): string {
  return path.replace(/^input\./, '').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

