import { randomBytes } from 'node:crypto';
import { first, qb } from '../../db/connection';
import { insertSession } from '../../db/sessions';

/** An open session of this user, an hour long, as a sign-in from `ip` makes one; returns its id hash. */
export function openSession(userId: number, ip: string): string {
  const idHash = randomBytes(32).toString('hex');
  const now = Date.now();
  insertSession({ idHash, userId, createdAt: new Date(now).toISOString(), expiresAt: new Date(now + 3600_000).toISOString(), ip, userAgent: 'test' });
  return idHash;
}

/** When the session was revoked (null while it is open). */
export const revokedAt = (idHash: string) => first(qb().selectFrom('sessions').select('revoked_at').where('id', '=', idHash))!.revoked_at;
