import { all, first, qb, run, transaction } from './connection';

// "I'm reviewing this": at most one staff member holds a proposal in review at a time. A claim
// counts for the review round it was taken in (the proposal's submitted_at then).

export type ReviewClaim = { proposal_id: number; user_id: number; user_name: string; claimed_at: string };

function claimQuery() {
  return qb()
    .selectFrom('review_claims as rc')
    .innerJoin('users as u', 'u.id', 'rc.user_id')
    .innerJoin('proposals as p', (j) => j.onRef('p.id', '=', 'rc.proposal_id').onRef('p.submitted_at', '=', 'rc.round'))
    .select(['rc.proposal_id', 'rc.user_id', 'u.name as user_name', 'rc.claimed_at']);
}

export function claimOf(proposalId: number): ReviewClaim | undefined {
  return first(claimQuery().where('rc.proposal_id', '=', proposalId));
}

export function claimsOf(proposalIds: readonly number[]): Map<number, ReviewClaim> {
  if (proposalIds.length === 0) return new Map();
  return new Map(all(claimQuery().where('rc.proposal_id', 'in', [...proposalIds])).map((c) => [c.proposal_id, c]));
}

/** Takes the proposal for this review round unless someone holds it already; the holder after the attempt. */
export function insertClaim(proposalId: number, round: string, userId: number, at: string): ReviewClaim {
  return transaction(() => {
    // A claim from an earlier round is over: it gives way.
    run(qb().deleteFrom('review_claims').where('proposal_id', '=', proposalId).where('round', '!=', round));
    // The primary key on proposal_id makes a second taker a no-op, even from another process.
    run(
      qb()
        .insertInto('review_claims')
        .values({ proposal_id: proposalId, user_id: userId, round, claimed_at: at })
        .onConflict((oc) => oc.doNothing()),
    );
    return claimOf(proposalId)!;
  });
}

/** Lets go of the proposal, if this person holds it; whether a claim was removed. */
export function deleteClaim(proposalId: number, userId: number): boolean {
  return run(qb().deleteFrom('review_claims').where('proposal_id', '=', proposalId).where('user_id', '=', userId)).changes > 0;
}
