import { describe, expect, it } from 'vitest';
import { copyOfCurrentDatabase, onDatabase, runElsewhere } from '../support/db';
import { proposalRow } from '../../db/proposals';
import { markMouSeen } from '../../app/features/mou/mou.server';
import { dossierPage } from '../../app/features/review/dossier/dossier-page.server';
import { actor, newPartner, proposalInReview } from './review-fixtures';

// The dossier's data and HTML are kept until the database changes, per viewer
// (dossier-page.server.ts): every write must show on the next read, whoever made it, and one
// person's view must never reach another.

const today = () => new Date().toISOString().slice(0, 10);
/** Renames a partner through a connection of its own: another worker of the cluster, another instance, or a script. */
const renameElsewhere = (partnerId: number, name: string, target?: string) => runElsewhere('UPDATE partners SET name = ? WHERE id = ?', [name, partnerId], target);

const sectionsOf = (page: ReturnType<typeof dossierPage>) => {
  if (!page) throw new Error('No dossier');
  return page.markup.beforeAgenda + page.markup.agendaPrecedent + page.markup.afterAgenda;
};

describe('the kept dossier', () => {
  it('is served again while nothing changed', () => {
    const id = proposalInReview({ partnerId: newPartner('Cache Same Group'), mou: 'draft' });
    const staff = actor('staff@cosponsor.test');
    const first = dossierPage(id, staff, today());
    expect(dossierPage(id, staff, today())).toBe(first);
  });

  it('shows a write this process made on the very next read', () => {
    const id = proposalInReview({ partnerId: newPartner('Cache Own Write Group'), mou: 'draft' });
    const staff = actor('staff@cosponsor.test');
    expect(sectionsOf(dossierPage(id, staff, today()))).toContain('You are reading this MOU for the first time (version 1).');
    // Reading the MOU is a write of this process, shown in the dossier's MOU section.
    markMouSeen(id, staff.id);
    const after = sectionsOf(dossierPage(id, staff, today()));
    expect(after).toContain('No changes since you last read it (version 1).');
    expect(after).not.toContain('for the first time');
  });

  it('shows a write another connection committed on the very next read', async () => {
    const partnerId = newPartner('Cache Other Writer Group');
    const id = proposalInReview({ partnerId, mou: 'draft' });
    const staff = actor('staff@cosponsor.test');
    const before = dossierPage(id, staff, today())!;
    expect(before.data.view.proposal.partner_name).toBe('Cache Other Writer Group');
    await renameElsewhere(partnerId, 'Cache Renamed Elsewhere Group');
    const after = dossierPage(id, staff, today())!;
    expect(after.data.view.proposal.partner_name).toBe('Cache Renamed Elsewhere Group');
    expect(sectionsOf(after)).toContain('Cache Renamed Elsewhere Group');
    expect(proposalRow(id)!.partner_id).toBe(partnerId);
  });

  it('is not served from another database opened since', async () => {
    const partnerId = newPartner('Cache First File Group');
    const id = proposalInReview({ partnerId, mou: 'draft' });
    const staff = actor('staff@cosponsor.test');
    const firstCopy = copyOfCurrentDatabase();
    const secondCopy = copyOfCurrentDatabase();
    await renameElsewhere(partnerId, 'Cache Second File Group', secondCopy);
    // Each copy opened afresh: the counters of two new connections can be equal.
    const onFirst = onDatabase(firstCopy, () => dossierPage(id, staff, today()))!;
    const onSecond = onDatabase(secondCopy, () => dossierPage(id, staff, today()))!;
    expect(onFirst.data.view.proposal.partner_name).toBe('Cache First File Group');
    expect(onSecond.data.view.proposal.partner_name).toBe('Cache Second File Group');
  });

  it('never serves one staff member’s view to another', () => {
    const id = proposalInReview({ partnerId: newPartner('Cache Two Readers Group'), mou: 'draft' });
    const reader = actor('staff@cosponsor.test');
    const newcomer = actor('staff2@cosponsor.test');
    markMouSeen(id, reader.id);
    // No write between the two reads: only the key tells the two people apart.
    expect(sectionsOf(dossierPage(id, reader, today()))).toContain('No changes since you last read it (version 1).');
    const theirs = sectionsOf(dossierPage(id, newcomer, today()));
    expect(theirs).toContain('You are reading this MOU for the first time (version 1).');
    expect(theirs).not.toContain('No changes since you last read it');
  });

  it('keeps apart the same person with other rights, and another day', () => {
    const id = proposalInReview({ partnerId: newPartner('Cache Rights Group'), mou: 'draft' });
    const staff = actor('staff@cosponsor.test');
    const asStaff = dossierPage(id, staff, today())!;
    // The same id with the admin role too (as after a role change elsewhere): policy may allow more.
    const withAdmin = dossierPage(id, { ...staff, roles: [...staff.roles, 'admin'] }, today())!;
    expect(withAdmin).not.toBe(asStaff);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const nextDay = dossierPage(id, staff, tomorrow)!;
    expect(nextDay).not.toBe(asStaff);
    expect(nextDay.data.endDate.min).toBe(tomorrow);
  });
});
