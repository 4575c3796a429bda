// The facts an MOU's placeholders ({{partner}}, {{organization}}, ...) are filled with.
// One place, so every page that shows template text (the MOU, a perception condition
// before it becomes a clause, the dossier) fills it the same way.
import { fillPlaceholders, type MouFacts } from '../../../workflows/mou';
import { proposalById } from '../../../db/proposals';
import { ORGANIZATION_NAME } from '../../../db/seed-data/config';
import { DecisionError } from '../vetting/vetting.server';

const KIND_LABELS: Record<string, string> = {
  co_listing: 'co-listing',
  co_hosting: 'co-hosting',
  speaker: 'speaker arrangement',
  shared_materials: 'materials-sharing arrangement',
};

export function mouFactsFor(proposalId: number): MouFacts {
  const p = proposalById(proposalId);
  if (!p) throw new DecisionError('not_found', 'There is no such proposal.');
  return {
    organization: ORGANIZATION_NAME,
    partner: p.partner_name,
    chapter: p.chapter_name,
    event_title: p.event_title,
    event_date: p.event_date,
    event_place: p.event_place,
    event_description: p.event_description,
    cosponsorship_kind: KIND_LABELS[p.kind] ?? p.kind,
    lead_name: p.proposer_name,
    lead_email: p.proposer_email,
    end_date: p.approved_until ?? p.event_date,
    reference: p.reference,
  };
}

/** Template text with the proposal's facts in place of its placeholders. */
export function fillForProposal(proposalId: number): (text: string) => string {
  const facts = mouFactsFor(proposalId);
  return (text) => fillPlaceholders(text, facts);
}
