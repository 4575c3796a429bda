import { first, nowIso, prebuilt, qb, run } from './connection';

// Which MOU version each person last read, so staff see what changed since.

export function mouViewOf(userId: number, proposalId: number): { mou_version: number; seen_at: string } | undefined {
  return first(
    qb()
      .selectFrom('mou_views')
      .select(['mou_version', 'seen_at'])
      .where('user_id', '=', userId)
      .where('proposal_id', '=', proposalId),
  );
}

// Runs in every staff decision: built and compiled once (db/connection.ts prebuilt).
const upsertView = prebuilt<{ userId: number; proposalId: number; mouVersion: number; at: string }, unknown>(
  ['userId', 'proposalId', 'mouVersion', 'at'],
  (p) =>
    qb()
      .insertInto('mou_views')
      .values({ user_id: p.userId, proposal_id: p.proposalId, mou_version: p.mouVersion, seen_at: p.at })
      .onConflict((oc) =>
        oc.columns(['user_id', 'proposal_id']).doUpdateSet((eb) => ({
          mou_version: eb.ref('excluded.mou_version'),
          seen_at: eb.ref('excluded.seen_at'),
        })),
      ),
);

export function upsertMouView(userId: number, proposalId: number, mouVersion: number, at: string = nowIso()): void {
  run(upsertView({ userId, proposalId, mouVersion, at }));
}
