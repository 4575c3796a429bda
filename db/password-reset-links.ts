import { first, insertId, qb, run } from './connection';

// "Forgot your password?" links (docs/decisions/0410-forgotten-password-by-e-mail.md). Only the
// token's SHA-256 is here; whoever holds the e-mail holds the token.

export type PasswordResetLink = {
  id: number;
  user_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  superseded_at: string | null;
};

/** Stores a new link and supersedes the person's older ones: only the newest e-mail works. */
export function insertPasswordResetLink(values: { userId: number; tokenHash: string; ip: string; createdAt: string; expiresAt: string }): number {
  supersedePasswordResetLinks(values.userId, values.createdAt);
  return insertId(
    qb().insertInto('password_reset_links').values({
      user_id: values.userId,
      token_hash: values.tokenHash,
      requested_ip: values.ip,
      created_at: values.createdAt,
      expires_at: values.expiresAt,
    }),
  );
}

/** Every link of this person not yet used or superseded stops working. Returns how many. */
export function supersedePasswordResetLinks(userId: number, at: string): number {
  return run(
    qb().updateTable('password_reset_links').set({ superseded_at: at }).where('user_id', '=', userId).where('used_at', 'is', null).where('superseded_at', 'is', null),
  ).changes;
}

export function passwordResetLinkByHash(tokenHash: string): PasswordResetLink | undefined {
  return first(
    qb()
      .selectFrom('password_reset_links')
      .select(['id', 'user_id', 'created_at', 'expires_at', 'used_at', 'superseded_at'])
      .where('token_hash', '=', tokenHash),
  );
}

/** Links sent to this person since `since`: a limit per account whatever address asks. */
export function passwordResetLinksSince(userId: number, since: string): number {
  const row = first(
    qb()
      .selectFrom('password_reset_links')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('created_at', '>', since),
  );
  return Number(row?.n ?? 0);
}

/** Spends the link, only if nobody spent or superseded it meanwhile; returns whether this call did. */
export function spendPasswordResetLink(id: number, at: string): boolean {
  return (
    run(qb().updateTable('password_reset_links').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).where('superseded_at', 'is', null))
      .changes === 1
  );
}
