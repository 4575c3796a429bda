import { describe, expect, it } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { decideAs, newPartner, proposalInReview } from './review-fixtures';

describe('staff requiring an MOU', () => {
  it('sends the proposal back to the MOU step, where “MOU not needed” is then refused', () => {
    const id = proposalInReview({ partnerId: newPartner('Northside Tenants Union'), mou: 'not_needed' });
    const back = decideAs('staff@cosponsor.test', id, {
      type: 'REQUEST_CHANGES',
      step: 'mou',
      requireMou: true,
      rationale: 'Co-hosting with shared materials needs a written agreement.',
    });
    if (!back.ok) throw new Error(back.error.message);
    expect(proposalRow(id)!.state).toBe('mou');

    const refused = decideAs('lead@cosponsor.test', id, {
      type: 'MOU_NOT_NEEDED',
      reason: 'Still only a one-off co-listing, in our view.',
    });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.kind).toBe('not_allowed');
    expect(refused.error.message).toBe('Staff require an MOU for this proposal: draft one instead.');
  });

  it('without the flag, the lead may still judge that no MOU is needed', () => {
    const id = proposalInReview({ partnerId: newPartner('Eastside Book Collective'), mou: 'not_needed' });
    const back = decideAs('staff@cosponsor.test', id, {
      type: 'REQUEST_CHANGES',
      step: 'mou',
      rationale: 'Please explain why no MOU is needed for a co-hosted event.',
    });
    if (!back.ok) throw new Error(back.error.message);
    const again = decideAs('lead@cosponsor.test', id, {
      type: 'MOU_NOT_NEEDED',
      reason: 'The partner only lists the event; we host it alone.',
    });
    expect(again.ok).toBe(true);
  });
});
