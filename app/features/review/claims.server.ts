// "I'm reviewing this": a staff member takes a proposal waiting for a decision so that two people
// do not work the same one. A working note only: it writes no decision record and decides nothing;
// whoever may decide is still asked of the policy (four-eyes) when they decide.
import { z } from 'zod';
import { nowIso } from '../../../db/connection';
import { proposalRow } from '../../../db/proposals';
import { claimOf, deleteClaim, insertClaim, type ReviewClaim } from '../../../db/review-claims';
import { can, isInReview, type ActingUser } from '../../../workflows/policy';
import { wholeNumber } from '../../utils/whole-number.server';

export type ClaimResult = { ok: true; message: string } | { ok: false; status: 403 | 404 | 409; message: string };

/** Who holds the proposal as shown to staff, or null. */
export type ClaimView = { by: string; byMe: boolean; since: string } | null;

export function claimView(claim: ReviewClaim | undefined, viewer: ActingUser): ClaimView {
  return claim ? { by: claim.user_name, byMe: claim.user_id === viewer.id, since: claim.claimed_at } : null;
}

/** The dossier header's claim: shown only while the proposal waits for a decision. */
export function claimPanel(proposalId: number, viewer: ActingUser): { inReview: boolean; claim: ClaimView; mayClaim: boolean } {
  const p = proposalRow(proposalId);
  if (!p || !isInReview(p.state)) return { inReview: false, claim: null, mayClaim: false };
  return { inReview: true, claim: claimView(claimOf(proposalId), viewer), mayClaim: can(viewer, 'proposal.claim', p).ok };
}

export function claimProposal(actor: ActingUser, proposalId: number): ClaimResult {
  const p = proposalRow(proposalId);
  if (!p) return { ok: false, status: 404, message: 'No such proposal.' };
  if (!isInReview(p.state) || !p.submitted_at) {
    return { ok: false, status: 409, message: `${p.reference} is not waiting for a decision any more: there is nothing to take.` };
  }
  const permission = can(actor, 'proposal.claim', p);
  if (!permission.ok) return { ok: false, status: 403, message: permission.reason };
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
