import { describe, expect, it } from 'vitest';
import {
  acceptsPartnerAnswers,
  can,
  partnerLinkRole,
  partnerLinkStateRefusal,
  tokenHolderRefusal,
  type ActingUser,
  type ProposalSubject,
} from '../../workflows/policy';
import { STATES } from '../../workflows/types';

// The rights around a partner's questionnaire link, row by row: who may make and revoke one,
// in which states, and what the holder of a token may do.

const CHICAGO = 1;
const person = (id: number, roles: ActingUser['roles'], chapterId: number | null): ActingUser => ({ id, name: `P${id}`, roles, chapterId });
const leadOwn = person(1, ['chapter_lead'], CHICAGO);
const leadOther = person(2, ['chapter_lead'], 2);
const staff = person(3, ['staff'], null);
const reviewer = person(4, ['reviewer'], null);
const admin = person(5, ['admin'], null);
const subject: ProposalSubject = { proposer_id: 1, chapter_id: CHICAGO, last_changed_by: 1 };

describe('making and revoking a link', () => {
  const rows: [string, ActingUser, boolean, boolean][] = [
    // who, create, revoke
    ['the lead of the chapter', leadOwn, true, true],
    ['a lead of another chapter', leadOther, false, false],
    ['staff', staff, false, true],
    ['a reviewer', reviewer, false, false],
    ['an admin', admin, false, false],
  ];
  for (const [who, user, create, revoke] of rows) {
    it(`${who}: create ${create ? 'yes' : 'no'}, revoke ${revoke ? 'yes' : 'no'}`, () => {
      expect(can(user, 'partner_link.create', subject).ok).toBe(create);
      expect(can(user, 'partner_link.revoke', subject).ok).toBe(revoke);
    });
  }

  it('says why it refuses', () => {
    const refused = can(leadOther, 'partner_link.create', subject);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toMatch(/chapter lead of this proposal’s chapter/);
  });

  it('records the role the person acted in', () => {
    expect(partnerLinkRole(leadOwn, subject)).toBe('chapter_lead');
    expect(partnerLinkRole(staff, subject)).toBe('staff');
  });

  it('takes answers while the proposal is drafted, vetted or reviewed, never once it is decided or closed', () => {
    const open = STATES.filter((s) => acceptsPartnerAnswers(s));
    expect(open).toEqual(['draft', 'values', 'agenda', 'risk', 'perception', 'mou', 'review']);
    for (const s of ['approved', 'rejected', 'withdrawn', 'expired']) expect(partnerLinkStateRefusal(s)).toMatch(/no longer being vetted/);
  });
});

describe('the holder of a token', () => {
  const now = '2026-11-28T12:00:00.000Z';
  const live = { expiresAt: '2026-12-12T12:00:00.000Z', revokedAt: null, submittedAt: null };

  it('may answer a live link of a proposal still being vetted', () => {
    expect(tokenHolderRefusal(live, 'values', now)).toBeNull();
    expect(tokenHolderRefusal(live, 'review', now)).toBeNull();
  });

  const refusals: [string, Parameters<typeof tokenHolderRefusal>[0], string, string][] = [
    ['after it was submitted', { ...live, submittedAt: now }, 'values', 'submitted'],
    ['after it was revoked', { ...live, revokedAt: now }, 'values', 'revoked'],
    ['at the moment it expires', { ...live, expiresAt: now }, 'values', 'expired'],
    ['after it expired', { ...live, expiresAt: '2026-11-28T11:59:59.999Z' }, 'values', 'expired'],
    ['once the proposal is withdrawn', live, 'withdrawn', 'closed'],
    ['once the proposal is approved', live, 'approved', 'closed'],
  ];
  for (const [when, link, state, kind] of refusals) {
    it(`may not answer ${when}`, () => {
      expect(tokenHolderRefusal(link, state, now)?.kind).toBe(kind);
    });
  }

  it('a submission wins over a later revocation or expiry in what the holder is told', () => {
    expect(tokenHolderRefusal({ expiresAt: '2020-01-01T00:00:00.000Z', revokedAt: now, submittedAt: now }, 'withdrawn', now)?.kind).toBe('submitted');
  });
});
