import { proposalRow } from '../../db/proposals';
import { createProposal, decide } from '../../app/features/vetting/vetting.server';
import { ALIGNED_ITEM, CRITERIA, actor, campaignId, daysFromToday, newPartner } from './review-fixtures';

// Proposals stopped at a given vetting step with nothing typed into it yet, sent
// there through the real decision service (route and browser tests share them).

function send(id: number, command: unknown) {
  const result = decide({ proposalId: id, expectedVersion: proposalRow(id)!.version, actor: actor('lead@cosponsor.test'), command });
  if (!result.ok) throw new Error(`refused: ${result.error.message}`);
}

/** A fresh proposal whose current step is `step`, nothing typed into it. */
export function proposalAt(step: 'draft' | 'values' | 'agenda' | 'risk' | 'perception', title: string, eventInDays = 40): number {
  const partnerId = newPartner(`${title} Group`, step === 'perception' ? ['supports_bds'] : []);
  const { id } = createProposal(actor('lead@cosponsor.test'), {
    partnerId,
    campaignId: campaignId('israel_opt'),
    eventTitle: title,
    eventDate: daysFromToday(eventInDays),
    eventPlace: 'Community hall',
    eventDescription: 'An evening teach-in with the partner group.',
    kind: 'co_listing',
  });
  if (step === 'draft') return id;
  send(id, { type: 'SUBMIT_PROPOSAL' });
  if (step === 'values') return id;
  const ratings = Object.fromEntries(CRITERIA.map((k) => [k, { rating: 'meets', evidence: 'Checked.', links: [] }]));
  send(id, { type: 'SUBMIT_VALUES', input: { ratings } });
  if (step === 'agenda') return id;
  send(id, { type: 'SUBMIT_AGENDA', input: { items: [ALIGNED_ITEM] } });
  if (step === 'risk') return id;
  send(id, {
    type: 'SUBMIT_RISK',
    input: {
      items: [
        { kind: 'risk', category: 'reputation', description: 'Misread as endorsement.', likelihood: 2, impact: 2, mitigation: 'Agree the text.', residualLikelihood: 1, residualImpact: 2 },
        { kind: 'benefit', category: 'outreach', description: 'New people.', likelihood: 4, impact: 4, mitigation: null, residualLikelihood: null, residualImpact: null },
      ],
    },
  });
  if (proposalRow(id)!.state !== 'perception') throw new Error(`Expected the perception step, got ${proposalRow(id)!.state}.`);
  return id;
}

