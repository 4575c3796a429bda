import { describe, expect, it } from 'vitest';
import { sqlAll, sqlGet } from '../support/sql';
import { countUnread } from '../../db/inbox';
import { countByGroup, proposalListPage, type ListCursor, type ProposalListFilter, type ProposalListGroup } from '../../db/proposal-list';
import { inboxScope, markAllRead, markRead, inboxFor } from '../../app/features/inbox/inbox.server';
import { userByEmail } from '../../db/users';
import { STATES } from '../../workflows/types';
import { isAtStep, isDraft, isInReview } from '../../workflows/policy';
import { actor, campaignId, daysFromToday, decideAs, newPartner, proposalInReview } from './review-fixtures';
import { createProposal } from '../../app/features/vetting/vetting.server';
import { partnerHistory } from '../../app/features/vetting/proposals.server';
import { partnerHistory as partnerRegister } from '../../db/register';

// The counts every page shows are kept by triggers (migration 0125) rather than counted per
// request; the lists read each state's newest rows from an index and merge them. Both must say
// exactly what counting and sorting the rows says, after every kind of write.


/** Every person's unread count, in every scope the header uses, as the kept counts and as the rows say. */
function unreadBothWays() {
  const users = sqlAll<{ id: number; email: string }>('SELECT id, email FROM users');
  const chapters = sqlAll<{ id: number }>('SELECT id FROM chapters').map((c) => c.id);
  const kept: Record<string, number> = {};
  const counted: Record<string, number> = {};
  const unread = (userId: number, chapterId: number | null) =>
    sqlGet<{ n: number }>(
      `SELECT count(*) AS n FROM inbox i JOIN proposals p ON p.id = i.proposal_id
        WHERE i.user_id = ? AND i.read_at IS NULL AND (CAST(? AS bigint) IS NULL OR p.chapter_id = ?)`,
      userId,
      chapterId,
      chapterId,
    )!.n;
  for (const u of users) {
    for (const chapterId of [null, ...chapters]) {
      const key = `${u.email}:${chapterId ?? 'all'}`;
      kept[key] = countUnread(u.id, { chapterId });
      counted[key] = unread(u.id, chapterId);
    }
  }
  return { kept, counted };
}

const STEP_STATES = STATES.filter((s) => isAtStep(s));
const GROUPS: Record<string, ProposalListGroup> = {
  changes: { states: STEP_STATES, returned: true },
  drafts: { states: STATES.filter((s) => isDraft(s)), returned: null },
  in_progress: { states: STEP_STATES, returned: false },
  waiting: { states: STATES.filter((s) => isInReview(s)), returned: null },
  decided: { states: STATES.filter((s) => !isDraft(s) && !isAtStep(s) && !isInReview(s)), returned: null },
};

/** A group's ids, newest change first, by a plain query over every row. */
function sortedIds(filter: ProposalListFilter, group: ProposalListGroup): number[] {
  const rows = sqlAll<{ id: number; state: string; returned_to: string | null }>(
    `SELECT id, state, returned_to FROM proposals
      WHERE (CAST(? AS bigint) IS NULL OR chapter_id = ?) AND (CAST(? AS bigint) IS NULL OR campaign_id = ?)
      ORDER BY updated_at DESC, id DESC`,
    filter.chapterId,
    filter.chapterId,
    filter.campaignId,
    filter.campaignId,
  );
  return rows
    .filter((r) => group.states.includes(r.state) && (group.returned === null || group.returned === (r.returned_to !== null)))
    .map((r) => r.id);
}

/** Every page of a group, walked forward with `older` and then back with `newer`. */
function walk(filter: ProposalListFilter, group: ProposalListGroup, limit: number) {
  const forward: number[][] = [];
  let after: ListCursor | null = null;
  do {
    const last = proposalListPage(filter, group, { after, limit });
    if (last.rows.length) forward.push(last.rows.map((r) => r.id));
    after = last.older;
  } while (after);
  const backward: number[][] = [];
  let before = forward.length > 1 ? proposalListPage(filter, group, { after: null, limit }).older : null;
  // From the second page back to the first, then compare with the first pages seen going forward.
  if (before) {
    const second = proposalListPage(filter, group, { after: before, limit });
    before = second.newer;
    const first = proposalListPage(filter, group, { before, limit });
    backward.push(first.rows.map((r) => r.id));
  }
  return { forward, backward };
}

function filters(): ProposalListFilter[] {
  const chapters = sqlAll<{ id: number }>('SELECT id FROM chapters ORDER BY id').map((c) => c.id);
  const campaigns = sqlAll<{ id: number }>('SELECT id FROM campaigns ORDER BY id').map((c) => c.id);
  return [
    { chapterId: null, campaignId: null, text: null },
    ...chapters.map((chapterId) => ({ chapterId, campaignId: null, text: null })),
    ...campaigns.map((campaignId) => ({ chapterId: null, campaignId, text: null })),
    { chapterId: chapters[0]!, campaignId: campaigns[0]!, text: null },
  ];
}

function expectListsMatchRows() {
  for (const filter of filters()) {
    const counts = countByGroup(filter, GROUPS);
    for (const [key, group] of Object.entries(GROUPS)) {
      const ids = sortedIds(filter, group);
      expect({ filter, key, count: counts[key] }).toEqual({ filter, key, count: ids.length });
      const { forward, backward } = walk(filter, group, 2);
      expect(forward.flat()).toEqual(ids);
      expect(forward.every((page) => page.length <= 2)).toBe(true);
      if (backward.length) expect(backward[0]).toEqual(forward[0]);
    }
    // Words typed still count the rows themselves, and agree.
    const typed = countByGroup({ ...filter, text: 'a' }, GROUPS);
    const typedTotal = Object.values(typed).reduce((a, b) => a + b, 0);
    expect(typedTotal).toBeLessThanOrEqual(Object.values(counts).reduce((a, b) => a + b, 0));
  }
}

describe('the counts and lists every page shows', () => {
  it('keeps each person’s unread count equal to their unread messages, in every scope, through every kind of write', () => {
    let { kept, counted } = unreadBothWays();
    expect(kept).toEqual(counted);
    expect(Object.values(counted).some((n) => n > 0)).toBe(true);

    // Entering review notifies staff; a decision notifies the chapter's leads.
    const inReview = proposalInReview({ partnerId: newPartner('Counts Review Group'), title: 'Counts one' });
    const second = proposalInReview({ partnerId: newPartner('Counts Second Group'), title: 'Counts two' });
    expect(decideAs('staff@cosponsor.test', second, { type: 'REQUEST_CHANGES', step: 'values', rationale: 'Say more about the partner’s funding.' }).ok).toBe(true);
    ({ kept, counted } = unreadBothWays());
    expect(kept).toEqual(counted);

    const staff = userByEmail('staff@cosponsor.test')!;
    const before = countUnread(staff.id);
    const [firstUnread] = inboxFor({ ...staff }, { unreadOnly: true });
    expect(firstUnread).toBeDefined();
    expect(markRead(staff.id, firstUnread!.id)).toEqual({ ok: true, outcome: 'marked' });
    expect(countUnread(staff.id)).toBe(before - 1);
    // Read twice: counted once.
    expect(markRead(staff.id, firstUnread!.id)).toEqual({ ok: true, outcome: 'already_read' });
    expect(countUnread(staff.id)).toBe(before - 1);

    const lead = actor('lead@cosponsor.test');
    expect(countUnread(lead.id, inboxScope(lead))).toBeGreaterThan(0);
    markAllRead(lead.id);
    expect(countUnread(lead.id, inboxScope(lead))).toBe(0);
    ({ kept, counted } = unreadBothWays());
    expect(kept).toEqual(counted);
    expect(inReview).toBeGreaterThan(0);
  });

  it('counts and pages every group under every filter exactly as counting and sorting the rows does', () => {
    expectListsMatchRows();
    // Changes requested, a proposal sent back and resubmitted, an approval: the groups move.
    const sentBack = proposalInReview({ partnerId: newPartner('Counts Sent Back Group'), title: 'Counts three' });
    expect(decideAs('staff@cosponsor.test', sentBack, { type: 'REQUEST_CHANGES', step: 'risk', rationale: 'Score the venue risk.' }).ok).toBe(true);
    const approved = proposalInReview({ partnerId: newPartner('Counts Approved Group'), title: 'Counts four' });
    const approval = decideAs('staff2@cosponsor.test', approved, { type: 'APPROVE', conditions: [], endDate: daysFromToday(30), rationale: '' });
    expect(approval.ok ? 'approved' : approval.error.message).toBe('approved');
    expectListsMatchRows();
    expect(countByGroup({ chapterId: null, campaignId: null, text: null }, GROUPS).changes).toBeGreaterThan(0);
  });

  it('finds a partner’s history past a long run of newer proposals the viewer may not see', () => {
    const partnerId = newPartner('Counts Much-Asked Group');
    const draft = (email: string, title: string) =>
      createProposal(actor(email), {
        partnerId,
        campaignId: campaignId('israel_opt'),
        eventTitle: title,
        eventDate: daysFromToday(40),
        eventPlace: 'Community hall',
        eventDescription: 'An evening with the partner group.',
        kind: 'co_listing',
      }).id;
    const own = draft('lead@cosponsor.test', 'Our own older draft');
    // More newer drafts of another chapter than one read brings back: neither viewable nor precedent.
    for (let i = 0; i < 130; i++) draft('lead2@cosponsor.test', `Another chapter's draft ${i}`);
    const lead = actor('lead@cosponsor.test');
    expect(partnerHistory([partnerId], lead).get(partnerId)!.map((h) => h.id)).toEqual([own]);
    // Staff see every one, newest first, as many as the list holds.
    const staffView = partnerHistory([partnerId], actor('staff@cosponsor.test')).get(partnerId)!;
    expect(staffView).toHaveLength(20);
    expect(staffView.map((h) => h.id)).toEqual([...staffView.map((h) => h.id!)].sort((a, b) => b - a));
  });

  it('counts each partner’s decisions, in every chapter scope, as the records say, as records are added', () => {
    const expectCounts = () => {
      const partners = sqlAll<{ id: number }>('SELECT DISTINCT partner_id AS id FROM decision_records').map((p) => p.id);
      const chapters = sqlAll<{ id: number }>('SELECT id FROM chapters').map((c) => c.id);
      const count = (partnerId: number, chapterId: number | null) =>
        sqlGet<{ n: number }>('SELECT count(*) AS n FROM decision_records WHERE partner_id = ? AND (CAST(? AS bigint) IS NULL OR chapter_id = ?)', partnerId, chapterId, chapterId)!.n;
      for (const partnerId of partners) {
        for (const chapterId of [null, ...chapters]) {
          const expected = count(partnerId, chapterId);
          expect({ partnerId, chapterId, n: partnerRegister(partnerId, { chapterId })!.decisionCount }).toEqual({ partnerId, chapterId, n: expected });
        }
      }
    };
    expectCounts();
    const partnerId = newPartner('Counts Decided Group');
    proposalInReview({ partnerId, title: 'Counts five' });
    proposalInReview({ lead: 'lead2@cosponsor.test', partnerId, title: 'Counts six' });
    expectCounts();
    expect(partnerRegister(partnerId)!.decisionCount).toBeGreaterThan(4);
  });
});
