import { describe, expect, it } from 'vitest';
import { currentAgendaItems, proposalRow } from '../../db/proposals';
import { recordsOfProposal } from '../../db/decision-log';
import { ALIGNED_ITEM, decideAs, newPartner, proposalInReview } from './review-fixtures';

describe('staff classifying an unknown agenda item', () => {
  it('re-judges the agenda: a no-position BDS item now calls for the perception review, and staff can send it back there', () => {
    const id = proposalInReview({
      partnerId: newPartner('Riverside Justice Collective'),
      agenda: [ALIGNED_ITEM, { text: 'Boycott of goods from the settlements', scope: 'general', classification: 'unknown', positionKey: null }],
    });
    expect(proposalRow(id)!.perception_required).toBe(0);
    const unknown = currentAgendaItems(id).find((i) => i.classification === 'unknown')!;

    const classified = decideAs('staff@cosponsor.test', id, {
      type: 'CLASSIFY_AGENDA_ITEM',
      itemId: unknown.id,
      classification: 'no_position',
      positionKey: 'boycott_of_israel',
      rationale: 'A boycott call: the organization takes no position on it.',
    });
    if (!classified.ok) throw new Error(classified.error.message);
    expect(proposalRow(id)!.perception_required).toBe(1);
    const record = recordsOfProposal(id).at(-1)!;
    expect(JSON.parse(record.inputs).judged.agendaAfter).toEqual({ outcome: 'manageable_divergence', perceptionRequired: true });

    // Another staff member (the classifier made the last change) sends it to the perception review.
    const back = decideAs('staff2@cosponsor.test', id, {
      type: 'REQUEST_CHANGES',
      step: 'perception',
      rationale: 'The boycott item calls for the perception review before a decision.',
    });
    if (!back.ok) throw new Error(back.error.message);
    expect(proposalRow(id)!.state).toBe('perception');
  });

  it('leaves the perception flag off when the item is aligned', () => {
    const id = proposalInReview({
      partnerId: newPartner('Lakeside Housing Rights Group'),
      agenda: [ALIGNED_ITEM, { text: 'Stop the demolitions in Masafer Yatta', scope: 'event', classification: 'unknown', positionKey: null }],
    });
    const unknown = currentAgendaItems(id).find((i) => i.classification === 'unknown')!;
    const classified = decideAs('staff@cosponsor.test', id, {
      type: 'CLASSIFY_AGENDA_ITEM',
      itemId: unknown.id,
      classification: 'aligned',
      positionKey: 'cancel_evictions_demolitions',
      rationale: '',
    });
    if (!classified.ok) throw new Error(classified.error.message);
    expect(proposalRow(id)!.perception_required).toBe(0);
  });
});
