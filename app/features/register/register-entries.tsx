// The decision register's rows as the pages show them: what a row holds, dates in UTC, record
// links and the page styles. Shared by /decisions and /partners/:id, which render the table to
// HTML in their loaders (register-table-markup.server.ts): its links are plain <a href>, which
// components/server-markup.tsx sends through the router when JavaScript runs.
import type { RegisterEntry } from './register.server';

type SnippetPart = { text: string; hit: boolean };

/** A register row as the loaders send it (see shortRegisterEntry). */
export type RegisterEntryView = {
  seq: number;
  at: string;
  step: string;
  outcome: string;
  actorName: string;
  actorRole: string;
  rationale: string;
  proposalId: number;
  reference: string;
  eventTitle: string;
  partnerId: number;
  partnerName: string;
  chapterName: string;
  campaignName: string;
  snippet: SnippetPart[] | null;
  /** True when the snippet is a piece of the rationale: it is shown instead. */
  snippetInRationale: boolean;
};

const SHORT_RATIONALE = 220;

/** A rationale cut at a word for the table; the record page has it whole. */
function shortText(text: string, max = SHORT_RATIONALE): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…`;
}

/** What a loader sends for one register row: only the fields shown, the rationale shortened. */
export function toEntryView(row: RegisterEntry): RegisterEntryView {
  const snippetText = row.snippet?.map((p) => p.text).join('').replace(/^…|…$/g, '') ?? '';
  const snippetInRationale = snippetText !== '' && row.rationale.includes(snippetText);
  return {
    seq: row.seq,
    at: row.at,
    step: row.step,
    outcome: row.outcome,
    actorName: row.actor_name,
    actorRole: row.actor_role,
    rationale: shortText(row.rationale),
    proposalId: row.proposal_id,
    reference: row.proposal_reference,
    eventTitle: row.event_title,
    partnerId: row.partner_id,
    partnerName: row.partner_name,
    chapterName: row.chapter_name,
    campaignName: row.campaign_name,
    snippet: row.snippet,
    snippetInRationale,
  };
}

/**
 * "2026-11-22 14:03 UTC": exact, sortable and cheap (no Intl formatter per row).
 * With seconds for the printable record.
 */
export function formatUtc(iso: string, seconds = false): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso)) return iso;
  return `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)} UTC`;
}

export function recordHref(proposalId: number, seq?: number): string {
  return `/proposals/${proposalId}/record${seq === undefined ? '' : `#record-${seq}`}`;
}

// Page styles the shared stylesheet does not have. Inline <style> is allowed by
// the CSP (style-src 'unsafe-inline'); the text is a constant, never user data.
const REGISTER_CSS = `
.register-rationale p { margin: 0 0 0.25rem; }
.register-when { white-space: nowrap; }
.register-snippet { border-left: 3px solid #e7c65a; padding-left: 0.4rem; }
.register-filters .grid-filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 0 1rem; }
.register-filters .field { margin-bottom: 0.6rem; }
.register-pager { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin: 0.5rem 0 1rem; }
.record-entry { break-inside: avoid; page-break-inside: avoid; }
.record-entry h2 { margin-top: 0; font-size: 1.1rem; }
.record-entry dl.facts { font-size: 0.95rem; }
.hash { font-family: var(--mono); font-size: 0.82rem; overflow-wrap: anywhere; word-break: break-all; }
.record-json { font-family: var(--mono); font-size: 0.8rem; white-space: pre-wrap; overflow-wrap: anywhere; background: #fafaf8; border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem; max-height: 32rem; overflow: auto; }
.readable-inputs dl.facts { grid-template-columns: minmax(8rem, max-content) minmax(0, 1fr); }
@media (max-width: 640px) {
  /* Nested inputs on a phone: each name above its value, or the values get a sliver of the width. */
  .readable-inputs dl.facts { grid-template-columns: minmax(0, 1fr); gap: 0; }
  .readable-inputs dl.facts dd { margin-bottom: 0.35rem; }
}
.readable-inputs ol, .readable-inputs ul { margin: 0; padding-left: 1.2rem; }
.audit-result { font-size: 1.1rem; }
@media print {
  .record-json { max-height: none; overflow: visible; border: 0; padding: 0; }
  .record-entry { border: 1px solid #999; }
  .record-head a, .record-entry a { color: #000; }
  details > summary { list-style: none; font-weight: 600; }
}
`;

export function RegisterStyles() {
  return <style dangerouslySetInnerHTML={{ __html: REGISTER_CSS }} />;
}
