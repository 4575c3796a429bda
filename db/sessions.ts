import { first, qb, run } from './connection';

// Sessions live in the database so they can be listed and revoked; the cookie
// holds only a random token, and the table only its SHA-256.

export function insertSession(values: { idHash: string; userId: number; createdAt: string; expiresAt: string; ip: string; userAgent: string }) {
  run(
    qb().insertInto('sessions').values({
      id: values.idHash,
      user_id: values.userId,
      created_at: values.createdAt,
      expires_at: values.expiresAt,
      ip: values.ip,
      user_agent: values.userAgent.slice(0, 300),
    }),
  );
}

/** The live session with this token hash: not revoked, not expired, user active. */
export function liveSession(idHash: string, now: string) {
  return first(
    qb()
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id', 's.user_id', 's.expires_at'])
      .where('s.id', '=', idHash)
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', now)
      .where('u.active', '=', 1),
  );
}

export function revokeSession(idHash: string, at: string): void {
  run(qb().updateTable('sessions').set({ revoked_at: at }).where('id', '=', idHash).where('revoked_at', 'is', null));
}

/** Ends every open session of a user at once (deactivation, password change). */
export function revokeAllSessionsOf(userId: number, at: string): number {
  return run(qb().updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null))
    .changes;
}

/** Ends every open session of a user but one (the one changing the password keeps working). */
export function revokeOtherSessionsOf(userId: number, keepIdHash: string, at: string): number {
  return run(
    qb().updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('id', '!=', keepIdHash).where('revoked_at', 'is', null),
  ).changes;
}
