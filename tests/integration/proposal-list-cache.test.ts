import { describe, expect, it } from 'vitest';
import { runElsewhere } from '../support/db';
import { parseProposalListQuery, proposalGroups } from '../../app/features/vetting/proposals.server';
import { actor, newPartner, proposalInReview } from './review-fixtures';

// The proposals overview is kept until the database changes (proposals.server.ts): every write
// must show on the next read, whoever made it, and one person's list never reaches another.

const overview = (email: string, address = '/proposals') => proposalGroups(actor(email), parseProposalListQuery(new URL(`http://x${address}`)));
const waiting = (result: ReturnType<typeof proposalGroups>) => result.groups.find((g) => g.key === 'waiting')!;

describe('the kept proposals overview', () => {
  it('is served again while nothing changed', () => {
    const first = overview('staff@cosponsor.test');
    expect(overview('staff@cosponsor.test')).toBe(first);
  });

  it('shows a proposal this process moved on the very next read', () => {
    const before = waiting(overview('staff@cosponsor.test'));
    const id = proposalInReview({ partnerId: newPartner('Overview Own Write Group'), mou: 'draft' });
    const after = waiting(overview('staff@cosponsor.test'));
    expect(after.count).toBe(before.count + 1);
    expect(after.proposals[0]!.id).toBe(id);
  });

  it('shows a write another connection committed on the very next read', async () => {
    const id = proposalInReview({ partnerId: newPartner('Overview Other Writer Group'), mou: 'draft' });
    expect(waiting(overview('staff@cosponsor.test')).proposals[0]!.event).toBe('Test teach-in');
    await runElsewhere('UPDATE proposals SET event_title = ? WHERE id = ?', ['Renamed elsewhere', id]);
    expect(waiting(overview('staff@cosponsor.test')).proposals[0]!.event).toBe('Renamed elsewhere');
  });

  it('never serves one chapter’s list to another, nor staff’s to a lead', () => {
    proposalInReview({ partnerId: newPartner('Overview Two Readers Group'), mou: 'draft' });
    const staff = overview('staff@cosponsor.test');
    const lead = overview('lead@cosponsor.test');
    expect(lead).not.toBe(staff);
    expect(lead.seesAll).toBe(false);
    expect(staff.seesAll).toBe(true);
    const leadChapter = actor('lead@cosponsor.test').chapterId;
    for (const group of lead.groups) for (const card of group.proposals) expect(card.chapter).toBe(staff.choices.chapters.find((c) => c.id === leadChapter)!.name);
    // A lead's address naming another chapter still gives their own.
    const other = staff.choices.chapters.find((c) => c.id !== leadChapter)!;
    expect(overview('lead@cosponsor.test', `/proposals?chapter=${other.id}`).groups).toEqual(lead.groups);
    expect(overview('staff@cosponsor.test', `/proposals?chapter=${other.id}`)).not.toBe(staff);
  });
});
