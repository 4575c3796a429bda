// "I'm reviewing this": a staff member takes a proposal waiting for a decision so that two people
// do not work the same one. A working note only: it writes no decision record and decides nothing;
// whoever may decide is still asked of the policy (four-eyes) when they decide.
import { z } from 'zod';
import { nowIso } from '../../../db/connection';
import { proposalRow } from '../../../db/proposals';
import { claimOf, claimsOf, deleteClaim, insertClaim, type ReviewClaim } from '../../../db/review-claims';
import { userById } from '../../../db/users';
import { can, isInReview, isStaff, type ActingUser } from '../../../workflows/policy';
import { wholeNumber } from '../../utils/whole-number.server';

export type ClaimResult = { ok: true; message: string } | { ok: false; status: 403 | 404 | 409; message: string };

/** Who holds the proposal as shown to staff, or null. */
export type ClaimView = { by: string; byMe: boolean; since: string } | null;

export function claimView(claim: ReviewClaim | undefined, viewer: ActingUser): ClaimView {
  return claim ? { by: claim.user_name, byMe: claim.user_id === viewer.id, since: claim.claimed_at } : null;
}

/**
 * Whether a claim still holds: its holder is an active staff member. Someone deactivated, or no
 * longer staff, can never let go, and their claim would keep every other staff member out.
 */
function holds(claim: ReviewClaim): boolean {
  const holder = userById(claim.user_id);
  return holder !== undefined && holder.active === 1 && isStaff(holder);
}

/** The proposal's claim, if it still holds. */
function liveClaimOf(proposalId: number): ReviewClaim | undefined {
  const claim = claimOf(proposalId);
  return claim && holds(claim) ? claim : undefined;
}

/** The claims that still hold on these proposals, by proposal id (for the queue). */
export function liveClaimsOf(proposalIds: readonly number[]): Map<number, ReviewClaim> {
  return new Map([...claimsOf(proposalIds)].filter(([, claim]) => holds(claim)));
}

/** The dossier header's claim: shown only while the proposal waits for a decision. */
export function claimPanel(proposalId: number, viewer: ActingUser): { inReview: boolean; claim: ClaimView; mayClaim: boolean } {
  const p = proposalRow(proposalId);
  if (!p || !isInReview(p.state)) return { inReview: false, claim: null, mayClaim: false };
  return { inReview: true, claim: claimView(liveClaimOf(proposalId), viewer), mayClaim: can(viewer, 'proposal.claim', p).ok };
}

export function claimProposal(actor: ActingUser, proposalId: number): ClaimResult {
  const p = proposalRow(proposalId);
  if (!p) return { ok: false, status: 404, message: 'No such proposal.' };
  if (!isInReview(p.state) || !p.submitted_at) {
    return { ok: false, status: 409, message: `${p.reference} is not waiting for a decision any more: there is nothing to take.` };
  }
  const permission = can(actor, 'proposal.claim', p);
  if (!permission.ok) return { ok: false, status: 403, message: permission.reason };
  // A claim that no longer holds gives way, as one from an earlier round does.
  const lapsed = claimOf(p.id);
  if (lapsed && !holds(lapsed)) deleteClaim(p.id, lapsed.user_id);
  const holder = insertClaim(p.id, p.submitted_at, actor.id, nowIso());
  if (holder.user_id !== actor.id) {
    return { ok: false, status: 409, message: `${holder.user_name} is already reviewing ${p.reference} (since ${holder.claimed_at.slice(0, 16).replace('T', ' ')} UTC).` };
  }
  return { ok: true, message: `You are reviewing ${p.reference}: other staff see that you took it.` };
}

export function releaseProposal(actor: ActingUser, proposalId: number): ClaimResult {
  const p = proposalRow(proposalId);
  if (!p) return { ok: false, status: 404, message: 'No such proposal.' };
  if (!deleteClaim(p.id, actor.id)) return { ok: false, status: 409, message: `You were not reviewing ${p.reference}.` };
  return { ok: true, message: `You let go of ${p.reference}: any staff member may take it.` };
}

/** The take / let go form on the queue and the dossier header. */
export const claimFormSchema = z.object({
  intent: z.enum(['claim', 'release'], { message: 'Choose to take the proposal or let it go.' }),
  proposal: wholeNumber('Choose a proposal.'),
  back: z.enum(['queue', 'dossier']).default('queue'),
});
